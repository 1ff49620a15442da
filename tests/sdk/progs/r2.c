/* Deliberately outside the VM's ISA when built with -march=mips64r2 (bit-field extract/insert, rotate,
 * byte swaps) plus a trap: `fpvm check-elf` must list these and exit 1. */
#include "fpkit/fpp.h"

static volatile uint64_t in = 0x0123456789abcdefull;

int main(void) {
  uint64_t x = in;
  uint32_t lo = (uint32_t)x;
  uint64_t f = (x >> 7) & 0x3ff;                  /* dext */
  uint64_t g = (x & ~0xff00ull) | ((x & 0xff) << 8); /* dins */
  uint32_t r = (lo >> 5) | (lo << 27);             /* rotr */
  uint64_t b = __builtin_bswap64(x);               /* dsbh/dshd */
  if (f + g + r + b == 42) __builtin_trap();       /* teq / break */
  return (int)((f ^ g ^ r ^ b) & 1);
}
