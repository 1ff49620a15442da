/* A compute loop for the run-speed benchmark (and a short smoke run in the tests): mixes ALU ops,
 * multiplies, loads/stores and branches in roughly the proportions of compiled code. LOOP_ITERS is
 * set on the compiler command line. */
#include "rt.h"

#ifndef LOOP_ITERS
#define LOOP_ITERS 20000
#endif

static u64 table[256];

int main(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  u64 x = 0x9e3779b97f4a7c15ul, acc = 0;
  for (int i = 0; i < 256; i++) table[i] = (u64)i * 0x100000001b3ul;
  for (long i = 0; i < RT_OPAQUE((long)LOOP_ITERS); i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    u64 t = table[x & 255];
    table[(x >> 8) & 255] = t + x;
    acc += (t ^ x) * 0x2545f4914f6cdd1dul;
    if (acc & 1) acc ^= x >> 3;
    else acc += (u32)x / 7;
  }
  rt_printf("loop: iters %ld acc %016lx\n", (long)LOOP_ITERS, acc);
  rt_printf("loop: ok\n");
  return 0;
}
