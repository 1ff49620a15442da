/* Differential fuzzing of the MIPS64 engine. The input describes a small program (instruction words
 * at 0x1000), a data page at 0x2000, registers biased toward valid syscalls/fds/addresses, and
 * scheduler fields. The same pre-state is run (1) in run mode and (2) step by step in proof mode,
 * and every proof step is replayed through the independent verifier. Checked: no crash/UB; run and
 * proof mode reach the same state hash after the same number of steps; every proof verifies to the
 * engine's post hash; an engine panic is a verifier rejection. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/mips64.h"
#include "fuzz_input.h"

#define NSTEPS 48

/* Any key has a preimage: the key itself followed by (key[31] % 48) bytes of key. */
static int fz_get(void *ctx, const uint8_t key[32], uint8_t **out, size_t *len) {
  (void)ctx;
  size_t n = 32 + key[31] % 48u;
  uint8_t *b = malloc(n);
  if (!b) return FPK_ENOMEM;
  for (size_t i = 0; i < n; i++) b[i] = key[i % 32];
  *out = b;
  *len = n;
  return FPK_OK;
}
static int fz_hint(void *ctx, const uint8_t *d, size_t n) {
  (void)ctx, (void)d, (void)n;
  return FPK_OK;
}

static fpvm_mips64_state *build(const uint8_t *data, size_t size) {
  src in = {data, size};
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(0x1000, FPVM_MIPS64_HEAP_START);
  if (!s) return NULL;
  unsigned ninsn = 1 + (unsigned)take(&in, 1) % 24;
  uint8_t code[4 * 24];
  for (unsigned i = 0; i < ninsn; i++) {
    uint32_t w = (uint32_t)take(&in, 4);
    if ((w & 0x3) == 1 && (w >> 26) == 0) w = (w & ~0x3Fu) | 0x0C; /* make syscalls common */
    code[4 * i] = (uint8_t)(w >> 24);
    code[4 * i + 1] = (uint8_t)(w >> 16);
    code[4 * i + 2] = (uint8_t)(w >> 8);
    code[4 * i + 3] = (uint8_t)w;
  }
  if (fpvm_mem_set_range(s->mem, 0x1000, code, 4 * ninsn) != FPK_OK) goto fail;
  for (unsigned i = 0; i < 8; i++) fpvm_mem_write64(s->mem, 0x2000 + 8 * take(&in, 1), take(&in, 8));
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  for (unsigned r = 1; r < 32; r++) {
    uint64_t sel = take(&in, 1);
    switch (sel % 4) {
      case 0: t->regs[r] = take(&in, 8); break;
      case 1: t->regs[r] = 0x2000 + take(&in, 2) % 0x1000; break; /* data pointer */
      case 2: t->regs[r] = take(&in, 1) % 8; break;               /* small: fds, ops */
      default: t->regs[r] = 5000 + take(&in, 2) % 330; break;     /* syscall numbers */
    }
  }
  if (take(&in, 1) & 1) t->regs[5] = 0x50F00; /* valid clone flags sometimes */
  s->steps_since_switch = FPVM_MIPS64_SCHED_QUANTUM - take(&in, 1) % 8;
  s->step = take(&in, 4);
  if (take(&in, 1) & 1) { /* a second thread on the other stack */
    fpvm_mips64_thread t2 = *t;
    t2.id = 1;
    t2.pc = 0x1000 + 4 * (take(&in, 1) % ninsn);
    t2.next_pc = t2.pc + 4;
    s->next_thread_id = 2;
    if (fpvm_mips64_stack_push(&s->right, &t2) != FPK_OK) goto fail;
  }
  return s;
fail:
  fpvm_mips64_state_destroy(s);
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fpvm_oracle orc = {.ctx = NULL, .hint = fz_hint, .get = fz_get};
  fpvm_mips64_vm *run = fpvm_mips64_vm_create(build(data, size));
  fpvm_mips64_vm *pv = fpvm_mips64_vm_create(build(data, size));
  fpvm_mips64_proof *p = calloc(1, sizeof *p);
  if (!run || !pv || !p) abort();
  fpvm_mips64_vm_set_oracle(run, &orc);
  fpvm_mips64_vm_set_oracle(pv, &orc);

  uint64_t done = 0;
  int rrc = fpvm_mips64_run(run, NSTEPS, false, &done);

  uint64_t n = 0;
  int prc = FPK_OK;
  while (n < NSTEPS && !fpvm_mips64_vm_state(pv)->exited) {
    prc = fpvm_mips64_step(pv, p);
    if (prc != FPK_OK && prc != FPK_EPANIC) abort();
    if (prc == FPK_OK) {
      fpvm_mips64_verify_oracle vo = {0};
      fpvm_mips64_proof_oracle(p, &vo);
      uint8_t post[32], postw[FPVM_MIPS64_WITNESS_SIZE];
      char reason[200];
      int vrc = fpvm_mips64_verify_step(p->state_data, sizeof p->state_data, p->proof_data, sizeof p->proof_data,
                                        &vo, post, postw, reason, sizeof reason);
      if (vrc != FPK_OK || memcmp(post, p->post_hash, 32) != 0) abort(); /* the proof must verify */
      n++;
    } else {
      break;
    }
  }
  if (prc == FPK_EPANIC) {
    if (rrc != FPK_EPANIC || done != n) abort(); /* both modes fault at the same step */
  } else {
    if (rrc != FPK_OK || done != n) abort();
    uint8_t h1[32], h2[32];
    fpvm_mips64_state_hash(fpvm_mips64_vm_state(run), h1);
    fpvm_mips64_state_hash(fpvm_mips64_vm_state(pv), h2);
    if (memcmp(h1, h2, 32) != 0) abort();
  }
  fpvm_mips64_proof_clear(p);
  free(p);
  fpvm_mips64_vm_destroy(run);
  fpvm_mips64_vm_destroy(pv);
  return 0;
}
