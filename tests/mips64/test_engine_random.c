/* Fixed-seed random programs (the normal-suite sibling of fuzz/fuzz_step.c): each runs in run mode
 * and step by step in proof mode; both must fault at the same step or end in the same state hash,
 * every proof's used slots must verify against its pre-state root, and each pre hash must be the
 * previous post hash. The seed is printed; FPK_SEED overrides it. */
#include "fpkit/mips64.h"
#include "test.h"

#define NPROG 1500
#define NSTEPS 40

static uint64_t rng_state;
static uint64_t rnd(void) { /* xorshift64* */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1Dull;
}

/* Instruction words weighted toward valid, interesting encodings. */
static uint32_t rnd_insn(void) {
  uint32_t r = (uint32_t)rnd();
  unsigned rs = 16 + (unsigned)(rnd() % 4), rt = 8 + (unsigned)(rnd() % 8), rd = 8 + (unsigned)(rnd() % 8);
  switch (rnd() % 8) {
    case 0: return r; /* anything */
    case 1: return (uint32_t)(rs << 21 | rt << 16 | rd << 11 | (r & 0x7C0) | (r % 64)); /* SPECIAL */
    case 2: { /* load/store on a data pointer */
      static const unsigned ops[] = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A,
                                     0x2B, 0x2C, 0x2D, 0x2E, 0x37, 0x3F, 0x1A, 0x1B, 0x30, 0x38, 0x34, 0x3C};
      return (uint32_t)(ops[rnd() % 23] << 26 | rs << 21 | rt << 16 | (r & 0x3F));
    }
    case 3: return 0x0000000C; /* syscall */
    case 4: return (uint32_t)((0x08 + rnd() % 8) << 26 | rs << 21 | rt << 16 | (r & 0xFFFF)); /* imm ALU */
    case 5: return (uint32_t)((0x04 + rnd() % 4) << 26 | rt << 21 | rd << 16 | (r % 8)); /* short branch */
    case 6: return (uint32_t)(0x1Cu << 26 | rs << 21 | rt << 16 | rd << 11 | (r % 0x26)); /* SPECIAL2 */
    default: return (uint32_t)(0x18 + rnd() % 2) << 26 | (uint32_t)(rs << 21 | rt << 16 | (r & 0xFFFF));
  }
}

static const uint64_t sysnrs[] = {5000, 5001, 5009, 5012, 5055, 5058, 5070, 5178, 5194, 5205, 5023, 5222,
                                  5313, 5284, 5038, 5002, 5011, 5003};

static fpvm_mips64_state *build(uint64_t seed) {
  rng_state = seed | 1;
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(0x1000, FPVM_MIPS64_HEAP_START);
  unsigned n = 4 + (unsigned)(rnd() % 20);
  uint8_t code[4 * 24];
  for (unsigned i = 0; i < n; i++) fpk_put_be32(code + 4 * i, rnd_insn());
  CHECK_EQ_U64(fpvm_mem_set_range(s->mem, 0x1000, code, 4 * n), FPK_OK);
  for (unsigned i = 0; i < 6; i++) fpvm_mem_write64(s->mem, 0x2000 + 8 * (rnd() % 64), rnd());
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  for (unsigned r = 1; r < 32; r++) t->regs[r] = rnd() % 3 ? rnd() % 64 : rnd();
  for (unsigned r = 16; r < 20; r++) t->regs[r] = 0x2000 + rnd() % 0x200;
  t->regs[2] = sysnrs[rnd() % (sizeof sysnrs / sizeof sysnrs[0])];
  t->regs[4] = rnd() % 8;
  t->regs[5] = rnd() % 2 ? 0x50F00 : 0x2000 + rnd() % 0x100;
  t->regs[6] = rnd() % 16;
  s->step = rnd() % 100000000;
  s->steps_since_switch = FPVM_MIPS64_SCHED_QUANTUM - rnd() % 30;
  if (rnd() % 2) {
    fpvm_mips64_thread t2 = *t;
    t2.id = 1;
    t2.pc = 0x1000 + 4 * (rnd() % n);
    t2.next_pc = t2.pc + 4;
    s->next_thread_id = 2;
    CHECK_EQ_U64(fpvm_mips64_stack_push(&s->right, &t2), FPK_OK);
  }
  return s;
}

static int or_get(void *ctx, const uint8_t key[32], uint8_t **out, size_t *len) {
  (void)ctx;
  size_t n = 1 + key[31] % 40u;
  *out = malloc(n);
  if (!*out) return FPK_ENOMEM;
  for (size_t i = 0; i < n; i++) (*out)[i] = (uint8_t)(key[i % 32] ^ i);
  *len = n;
  return FPK_OK;
}

static void test_engine_random_programs(void) {
  uint64_t seed0 = getenv("FPK_SEED") ? strtoull(getenv("FPK_SEED"), NULL, 0) : 0x5eed2026ull;
  fprintf(stderr, "seed 0x%llx\n", (unsigned long long)seed0);
  fpvm_oracle orc = {.ctx = NULL, .hint = NULL, .get = or_get};
  int panics = 0, exits = 0;
  for (int i = 0; i < NPROG; i++) {
    uint64_t seed = seed0 + (uint64_t)i * 0x9E3779B97F4A7C15ull;
    fpvm_mips64_vm *run = fpvm_mips64_vm_create(build(seed));
    fpvm_mips64_vm *pv = fpvm_mips64_vm_create(build(seed));
    fpvm_mips64_vm_set_oracle(run, &orc);
    fpvm_mips64_vm_set_oracle(pv, &orc);
    uint64_t done = 0;
    int rrc = fpvm_mips64_run(run, NSTEPS, false, &done);
    fpvm_mips64_proof *p = calloc(1, sizeof *p);
    uint64_t n = 0;
    int prc = FPK_OK;
    uint8_t prev[32];
    bool ok = true;
    while (n < NSTEPS && !fpvm_mips64_vm_state(pv)->exited) {
      prc = fpvm_mips64_step(pv, p);
      if (prc) break;
      if (n && memcmp(prev, p->pre_hash, 32)) ok = false;
      memcpy(prev, p->post_hash, 32);
      uint64_t w;
      const uint8_t *pd = p->proof_data + FPVM_MIPS64_THREAD_SIZE + 32;
      /* slot 0 proves the stepped thread's pc (thread witness bytes 10..17) against the pre root */
      if (!fpvm_mem_proof_check(p->state_data, fpk_be64(p->proof_data + 10), pd, &w)) ok = false;
      /* slot 1 proves its word against the pre root */
      if ((fpvm_mips64_vm_slots_used(pv) & 2u) &&
          !fpvm_mem_proof_check(p->state_data, fpvm_mips64_vm_slot1_addr(pv), pd + FPVM_MEM_PROOF_SIZE, &w))
        ok = false;
      n++;
    }
    CHECK(ok);
    if (prc == FPK_EPANIC) {
      panics++;
      CHECK_EQ_U64(rrc, FPK_EPANIC);
      CHECK_EQ_U64(done, n);
    } else {
      CHECK_EQ_U64(prc, FPK_OK);
      CHECK_EQ_U64(rrc, FPK_OK);
      CHECK_EQ_U64(done, n);
      uint8_t h1[32], h2[32];
      fpvm_mips64_state_hash(fpvm_mips64_vm_state(run), h1);
      fpvm_mips64_state_hash(fpvm_mips64_vm_state(pv), h2);
      CHECK(memcmp(h1, h2, 32) == 0);
      exits += fpvm_mips64_vm_state(pv)->exited;
    }
    fpvm_mips64_proof_clear(p);
    free(p);
    fpvm_mips64_vm_destroy(run);
    fpvm_mips64_vm_destroy(pv);
  }
  fprintf(stderr, "%d programs: %d panicked, %d exited, %d ran %d steps\n", NPROG, panics, exits,
          NPROG - panics - exits, NSTEPS);
  CHECK(panics > 0 && panics < NPROG); /* the generator reaches both outcomes */
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_engine_random_programs);
  return fpk_test_main_end();
}
