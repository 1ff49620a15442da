/* Makes a syscall the VM does not have (5062, not in cannon.md §5.2), with the number loaded just
 * before it: `fpvm check-elf` must name it and exit 1. Never run. */
#include "fpkit/fpp.h"

int main(void) {
#if defined(__mips__)
  register long v0 __asm__("$2") = 5062;
  __asm__ volatile("syscall" : "+r"(v0) : : "$3", "$7", "memory");
  return (int)v0;
#else
  return 0;
#endif
}
