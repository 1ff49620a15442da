/* MIPS64 engine speed: instructions/s of the run loop on a hand-assembled hot loop (ALU, loads,
 * stores, branches), and microseconds per proof-mode step on the same program.
 * usage: bench_step [run_steps] [proof_steps]   (defaults 200000000, 20000) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fpkit/mips64.h"

/* CPU time of this process: the machine is shared, wall time would mostly measure the neighbours. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define R3(fn, rd, rs, rt) ((uint32_t)((rs) << 21 | (rt) << 16 | (rd) << 11 | (fn)))
#define SH(fn, rd, rt, sa) ((uint32_t)((rt) << 16 | (rd) << 11 | (sa) << 6 | (fn)))
#define I(op, rt, rs, im) ((uint32_t)((op) << 26 | (rs) << 21 | (rt) << 16 | ((im)&0xFFFF)))

static fpvm_mips64_state *hot_loop(void) {
  enum { T0 = 8, T1, T2, T3, T4, T5, S0 = 16, S1 = 17 };
  static const uint32_t prog[] = {
      I(0x0F, S0, 0, 2),          /* lui s0, 2 */
      /* loop (index 1): */
      I(0x37, T0, S0, 0),         /* ld t0, 0(s0) */
      I(0x19, T0, T0, 1),         /* daddiu t0, t0, 1 */
      I(0x3F, T0, S0, 0),         /* sd t0, 0(s0) */
      I(0x23, T1, S0, 8),         /* lw t1, 8(s0) */
      R3(0x21, T2, T2, T1),       /* addu t2, t2, t1 */
      R3(0x26, T3, T3, T2),       /* xor t3, t3, t2 */
      SH(0x00, T4, T3, 3),        /* sll t4, t3, 3 */
      I(0x2B, T4, S0, 12),        /* sw t4, 12(s0) */
      I(0x19, S1, S1, 1),         /* daddiu s1, s1, 1 */
      I(0x0C, T5, S1, 0xFF),      /* andi t5, s1, 0xff */
      I(0x05, 0, T5, (uint32_t)-11), /* bne t5, zero, loop */
      0,                          /* nop */
      I(0x04, 0, 0, (uint32_t)-13), /* beq zero, zero, loop */
      0,                          /* nop */
  };
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(0x1000, FPVM_MIPS64_HEAP_START);
  if (!s) return NULL;
  uint8_t buf[sizeof prog];
  for (size_t i = 0; i < sizeof prog / 4; i++) fpk_put_be32(buf + 4 * i, prog[i]);
  if (fpvm_mem_set_range(s->mem, 0x1000, buf, sizeof buf) != FPK_OK) return NULL;
  return s;
}

int main(int argc, char **argv) {
  uint64_t run_steps = argc > 1 ? strtoull(argv[1], NULL, 0) : 200000000ull;
  uint64_t proof_steps = argc > 2 ? strtoull(argv[2], NULL, 0) : 20000ull;

  fpvm_mips64_vm *vm = fpvm_mips64_vm_create(hot_loop());
  if (!vm) return 1;
  uint64_t done = 0;
  double t0 = now();
  if (fpvm_mips64_run(vm, run_steps, false, &done) != FPK_OK) {
    fprintf(stderr, "bench_step: run failed: %s\n", fpk_errmsg());
    return 1;
  }
  double dt = now() - t0;
  printf("run:   %llu steps in %.3f s CPU = %.1f M instructions/s (%.2f ns/step)\n", (unsigned long long)done, dt,
         (double)done / dt / 1e6, dt * 1e9 / (double)done);
  fpvm_mips64_vm_destroy(vm);

  vm = fpvm_mips64_vm_create(hot_loop());
  fpvm_mips64_proof *p = calloc(1, sizeof *p);
  if (!vm || !p) return 1;
  t0 = now();
  for (uint64_t i = 0; i < proof_steps; i++) {
    if (fpvm_mips64_step(vm, p) != FPK_OK) {
      fprintf(stderr, "bench_step: proof step failed: %s\n", fpk_errmsg());
      return 1;
    }
  }
  dt = now() - t0;
  printf("proof: %llu steps in %.3f s CPU = %.2f us/step\n", (unsigned long long)proof_steps, dt,
         dt * 1e6 / (double)proof_steps);
  fpvm_mips64_proof_clear(p);
  free(p);
  fpvm_mips64_vm_destroy(vm);
  return 0;
}
