/* Proof-mode details beyond the vectors: slot contents checked against the pre-state root, Cannon's
 * stale-slot behaviour (an unused slot keeps the last proof this vm computed; zeros at first; slot 2
 * recomputed by clock_gettime even in run mode), and the preimage fields of a proof. */
#include "fpkit/mips64.h"
#include "test.h"

#define TW (FPVM_MIPS64_THREAD_SIZE + 32)
#define PS FPVM_MEM_PROOF_SIZE

static const uint8_t *slot(const fpvm_mips64_proof *p, unsigned k) { return p->proof_data + TW + k * PS; }

static bool zero(const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (b[i]) return false;
  return true;
}

/* program at 0x1000: ld t0, 0(s0) ; addiu t1, t1, 1 ; syscall (clock_gettime) ; addiu t1, t1, 1 */
static fpvm_mips64_vm *prog(void) {
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(0x1000, 0);
  fpvm_mem_write64(s->mem, 0x1000, 0xDE08000025290001ull);
  fpvm_mem_write64(s->mem, 0x1008, 0x0000000C25290001ull);
  fpvm_mem_write64(s->mem, 0x3000, 0x1122334455667788ull);
  fpvm_mem_write64(s->mem, 0x4008, 0xAAAAAAAAAAAAAAAAull);
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  t->regs[16] = 0x3000;
  t->regs[2] = 5222; /* clock_gettime(MONOTONIC, 0x4000) */
  t->regs[4] = 1;
  t->regs[5] = 0x4000;
  s->step = 30000000;
  return fpvm_mips64_vm_create(s);
}

static void test_engine_proof_slots_and_staleness(void) {
  fpvm_mips64_vm *vm = prog();
  fpvm_mips64_proof *p = calloc(1, sizeof *p);
  uint64_t w;
  /* step 1: ld → slot 1 proves 0x3000 against the pre-state root; slot 2 still zeros */
  CHECK_EQ_U64(fpvm_mips64_step(vm, p), FPK_OK);
  CHECK_EQ_U64(fpvm_mips64_vm_slots_used(vm), 2);
  CHECK(fpvm_mem_proof_check(p->state_data, 0x3000, slot(p, 1), &w));
  CHECK_EQ_U64(w, 0x1122334455667788ull);
  CHECK(fpvm_mem_proof_check(p->state_data, 0x1000, slot(p, 0), &w)); /* instruction word */
  CHECK(zero(slot(p, 2), PS));
  uint8_t first[PS];
  memcpy(first, slot(p, 1), PS);
  /* step 2: addiu uses no data slot: slot 1 keeps the previous proof (Cannon's tracker) */
  CHECK_EQ_U64(fpvm_mips64_step(vm, p), FPK_OK);
  CHECK_EQ_U64(fpvm_mips64_vm_slots_used(vm), 0);
  CHECK(memcmp(slot(p, 1), first, PS) == 0);
  CHECK(zero(slot(p, 2), PS));
  /* step 3 in run mode: clock_gettime still recomputes slot 2 (after the secs write) */
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  /* step 4: addiu in proof mode: slot 2 is the stale clock_gettime proof of 0x4008 */
  CHECK_EQ_U64(fpvm_mips64_step(vm, p), FPK_OK);
  CHECK(memcmp(slot(p, 1), first, PS) == 0);
  const uint8_t *s2 = slot(p, 2);
  CHECK_EQ_U64(fpk_be64(s2 + 0), 3);                     /* secs = 30000000 / 1e7, already written */
  CHECK_EQ_U64(fpk_be64(s2 + 8), 0xAAAAAAAAAAAAAAAAull); /* nsecs not yet written when proven */
  CHECK(!fpvm_mem_proof_check(p->state_data, 0x4008, s2, &w)); /* stale: not against this root */
  CHECK_EQ_U64(fpvm_mem_read64(fpvm_mips64_vm_state(vm)->mem, 0x4008), (30000003ull % 10000000ull) * 100);
  fpvm_mips64_proof_clear(p);
  free(p);
  fpvm_mips64_vm_destroy(vm);

  /* with exact slots off, run mode leaves slot 2 alone */
  vm = prog();
  p = calloc(1, sizeof *p);
  fpvm_mips64_vm_set_exact_slots(vm, false);
  uint64_t done;
  CHECK_EQ_U64(fpvm_mips64_run(vm, 3, false, &done), FPK_OK);
  CHECK_EQ_U64(fpvm_mips64_step(vm, p), FPK_OK);
  CHECK(zero(slot(p, 1), PS));
  CHECK(zero(slot(p, 2), PS));
  fpvm_mips64_proof_clear(p);
  free(p);
  fpvm_mips64_vm_destroy(vm);
}

/* clock_gettime in proof mode: slot 1 against the pre root, slot 2 against the root after the
 * first write, and the post hash equals the state hash. */
static void test_engine_proof_clock_slots(void) {
  fpvm_mips64_vm *vm = prog();
  fpvm_mips64_proof *p = calloc(1, sizeof *p);
  uint64_t done, w;
  CHECK_EQ_U64(fpvm_mips64_run(vm, 2, false, &done), FPK_OK);
  CHECK_EQ_U64(fpvm_mips64_step(vm, p), FPK_OK);
  CHECK_EQ_U64(fpvm_mips64_vm_slots_used(vm), 6);
  CHECK(fpvm_mem_proof_check(p->state_data, 0x4000, slot(p, 1), &w));
  CHECK_EQ_U64(w, 0);
  /* the intermediate root: pre-state memory with only the secs word written */
  fpvm_mem *m = fpvm_mem_create();
  fpvm_mem_write64(m, 0x1000, fpvm_mem_read64(fpvm_mips64_vm_state(vm)->mem, 0x1000));
  fpvm_mem_write64(m, 0x1008, 0x0000000C25290001ull);
  fpvm_mem_write64(m, 0x3000, 0x1122334455667788ull);
  fpvm_mem_write64(m, 0x4008, 0xAAAAAAAAAAAAAAAAull);
  uint8_t pre_root[32], mid_root[32];
  fpvm_mem_root(m, pre_root);
  CHECK(memcmp(pre_root, p->state_data, 32) == 0);
  fpvm_mem_write64(m, 0x4000, 3);
  fpvm_mem_root(m, mid_root);
  CHECK(fpvm_mem_proof_check(mid_root, 0x4008, slot(p, 2), &w));
  CHECK_EQ_U64(w, 0xAAAAAAAAAAAAAAAAull);
  uint8_t h[32];
  fpvm_mips64_state_hash(fpvm_mips64_vm_state(vm), h);
  CHECK(memcmp(h, p->post_hash, 32) == 0);
  CHECK(!p->has_oracle);
  fpvm_mem_destroy(m);
  fpvm_mips64_proof_clear(p);
  free(p);
  fpvm_mips64_vm_destroy(vm);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_engine_proof_slots_and_staleness);
  RUN(test_engine_proof_clock_slots);
  return fpk_test_main_end();
}
