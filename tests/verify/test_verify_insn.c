/* Single instructions through the verifier on witnesses built here: the vectors V5 of cannon.md §8.2
 * (exact pre/post hashes the contract returned) and the table examples of §8.1, including the
 * edge cases the step vectors do not reach (lwr at byte 3, ldr at byte 7, INT64_MIN / -1).
 * The post-state is checked through its hashes: the left stack root must be the onion of the
 * expected thread and the memory root that of the expected memory. */
#include "fpkit/keccak.h"
#include "fpkit/mips64.h"
#include "test.h"

#define W FPVM_MIPS64_WITNESS_SIZE
#define P FPVM_MIPS64_PROOF_SIZE
#define TS FPVM_MIPS64_THREAD_SIZE
#define DEPTH 59

typedef struct {
  uint64_t id, pc, next_pc, lo, hi, regs[32];
  uint8_t exit_code, exited;
} thr;

typedef struct {
  uint64_t addr[4], word[4];
  int n;
} words;

static uint8_t zh[DEPTH + 1][32];

static void words_set(words *m, uint64_t addr, uint64_t v) {
  for (int i = 0; i < m->n; i++)
    if (m->addr[i] == addr) {
      m->word[i] = v;
      return;
    }
  m->addr[m->n] = addr;
  m->word[m->n++] = v;
}

/* Node of height h covering leaf indexes with (index >> h) == prefix. */
static void node(const words *m, int h, uint64_t prefix, uint8_t out[32]) {
  bool any = false;
  for (int i = 0; i < m->n; i++) any |= (m->addr[i] >> 5 >> h) == prefix;
  if (!any) {
    memcpy(out, zh[h], 32);
    return;
  }
  if (h == 0) {
    memset(out, 0, 32);
    for (int i = 0; i < m->n; i++)
      if ((m->addr[i] >> 5) == prefix) fpk_put_be64(out + (m->addr[i] & 31), m->word[i]);
    return;
  }
  uint8_t l[32], r[32];
  node(m, h - 1, prefix << 1, l);
  node(m, h - 1, (prefix << 1) | 1, r);
  fpk_keccak256_node(out, l, r);
}

static void mem_proof(const words *m, uint64_t addr, uint8_t *out) {
  uint64_t idx = addr >> 5;
  node(m, 0, idx, out);
  for (int h = 0; h < DEPTH; h++) node(m, h, (idx >> h) ^ 1, out + 32 * (h + 1));
}

static void thr_encode(const thr *t, uint8_t out[TS]) {
  fpk_put_be64(out, t->id);
  out[8] = t->exit_code;
  out[9] = t->exited;
  fpk_put_be64(out + 10, t->pc);
  fpk_put_be64(out + 18, t->next_pc);
  fpk_put_be64(out + 26, t->lo);
  fpk_put_be64(out + 34, t->hi);
  for (int i = 0; i < 32; i++) fpk_put_be64(out + 42 + 8 * i, t->regs[i]);
}

static void stack1_root(const thr *t, uint8_t out[32]) {
  uint8_t b[TS], h[32];
  thr_encode(t, b);
  fpk_keccak256(h, b, TS);
  fpk_keccak256_node(out, zh[1], h);
}

/* One-thread state with memory m, step 0, nextThreadID 1; proof slots for pc and data_addr. */
static void build(const thr *t, const words *m, uint64_t data_addr, uint8_t pre[W], uint8_t proof[P]) {
  memset(pre, 0, W);
  memset(proof, 0, P);
  node(m, DEPTH, 0, pre);
  stack1_root(t, pre + 116);
  memcpy(pre + 148, zh[1], 32);
  fpk_put_be64(pre + 180, 1);
  thr_encode(t, proof);
  memcpy(proof + TS, zh[1], 32);
  mem_proof(m, t->pc & ~7ull, proof + TS + 32);
  mem_proof(m, data_addr & ~7ull, proof + TS + 32 + 1920);
}

static void hash_status(const uint8_t *w, uint8_t out[32]) {
  fpk_keccak256(out, w, W);
  out[0] = w[98] ? (w[97] == 0 ? 0 : w[97] == 1 ? 1 : 2) : 3;
}

static void test_v5_addiu(void) {
  thr t = {.pc = 0, .next_pc = 4};
  words m = {.n = 0};
  words_set(&m, 0, 0x2402000100000000ull);
  uint8_t pre[W], proof[P], post[W], h[32];
  char reason[128];
  build(&t, &m, 0, pre, proof);
  CHECK_HEX(pre, 32, "42c588eead7c0c947aff9dc0dad2cdfe4be410872c33f6ebd185323e5e5229e8");
  hash_status(pre, h);
  CHECK_HEX(h, 32, "037dd69885b0607f95e288a9bd31b7e8c3c44984ab2de1d66d56f4410f80791e");
  CHECK(fpvm_mips64_verify_step(pre, W, proof, P, NULL, h, post, reason, sizeof reason) == FPK_OK);
  CHECK_HEX(h, 32, "03d4dd16474b43544928f04eb75cd98ad89f74824b953c5c0e3420850ef456ae");
  CHECK_HEX(post + 116, 32, "93ebf13819ae002ca09fd58c3bce41ab0e284f06d1e20f020bd959c6a110e8e3");
  /* the same pre-state marked exited with code 0 is returned unchanged with status 0 */
  pre[98] = 1;
  CHECK(fpvm_mips64_verify_step(pre, W, proof, P, NULL, h, post, reason, sizeof reason) == FPK_OK);
  CHECK_HEX(h, 32, "005c083a24b582589cea28a6af5b93b56f73600b84a5c281d3a62593793f5231");
  CHECK(memcmp(pre, post, W) == 0);
}

#define BASE 0xFF00000000000108ull
#define RT_VAL 0x1122334455667788ull

/* Run insn on thread t with memory m; compare with the expected thread and memory. */
static void expect_step(const char *what, const thr *t, const words *m, uint64_t data_addr, uint32_t insn,
                        const thr *want_t, const words *want_m) {
  words mm = *m;
  words_set(&mm, t->pc & ~7ull, (uint64_t)insn << 32);
  words wm = *want_m;
  words_set(&wm, t->pc & ~7ull, (uint64_t)insn << 32);
  uint8_t pre[W], proof[P], post[W], h[32], root[32];
  char reason[128] = "";
  build(t, &mm, data_addr, pre, proof);
  int rc = fpvm_mips64_verify_step(pre, W, proof, P, NULL, h, post, reason, sizeof reason);
  if (rc != FPK_OK) {
    fprintf(stderr, "  %s: rc %d (%s)\n", what, rc, reason);
    fpk_test_failures++;
    return;
  }
  stack1_root(want_t, root);
  if (memcmp(root, post + 116, 32) != 0) {
    fprintf(stderr, "  %s: thread differs from the expected one\n", what);
    fpk_test_failures++;
  }
  node(&wm, DEPTH, 0, root);
  if (memcmp(root, post, 32) != 0) {
    fprintf(stderr, "  %s: memory differs from the expected one\n", what);
    fpk_test_failures++;
  }
  fpk_test_checks++;
}

/* A load/store with base r9 = BASE, rt = r10 = RT_VAL, memory word at BASE = mem. */
static void ls_case(const char *what, uint32_t op, uint32_t imm, uint64_t mem, bool store, uint64_t want) {
  thr t = {.pc = 0x1000, .next_pc = 0x1004};
  t.regs[9] = BASE;
  t.regs[10] = RT_VAL;
  words m = {.n = 0}, wm = {.n = 0};
  words_set(&m, BASE, mem);
  thr wt = t;
  wt.pc = 0x1004;
  wt.next_pc = 0x1008;
  if (store)
    words_set(&wm, BASE, want);
  else {
    words_set(&wm, BASE, mem);
    wt.regs[10] = want;
  }
  expect_step(what, &t, &m, BASE, (op << 26) | (9u << 21) | (10u << 16) | imm, &wt, &wm);
}

static void test_unaligned_table(void) {
  const uint64_t M = 0xAABBCCDDA1B1C1D1ull;
  ls_case("lwl imm=1", 0x22, 1, M, false, 0xFFFFFFFFBBCCDD88ull);
  ls_case("lwr imm=0", 0x26, 0, 0x7ABBCCDDA1B1C1D1ull, false, 0x112233445566777Aull);
  ls_case("lwr imm=3", 0x26, 3, 0x7ABBCCDDA1B1C1D1ull, false, 0x000000007ABBCCDDull);
  ls_case("lwr imm=7 (sign from memory)", 0x26, 7, M, false, 0xFFFFFFFFA1B1C1D1ull);
  ls_case("swl imm=5", 0x2A, 5, M, true, 0xAABBCCDDA1556677ull);
  ls_case("swr imm=2", 0x2E, 2, M, true, 0x667788DDA1B1C1D1ull);
  ls_case("ldl imm=3", 0x1A, 3, M, false, 0xDDA1B1C1D1667788ull);
  ls_case("ldr imm=4", 0x1B, 4, M, false, 0x112233AABBCCDDA1ull);
  ls_case("ldr imm=7 (whole word)", 0x1B, 7, M, false, M);
  ls_case("ldl imm=0 (whole word)", 0x1A, 0, M, false, M);
  ls_case("sdl imm=2", 0x2C, 2, M, true, 0xAABB112233445566ull);
  ls_case("sdr imm=4", 0x2D, 4, M, true, 0x4455667788B1C1D1ull);
  ls_case("sdr imm=7 (whole word)", 0x2D, 7, M, true, RT_VAL);
  ls_case("lwu imm=4", 0x27, 4, 0x1122334485667788ull, false, 0x85667788ull);
  ls_case("lb imm=7", 0x20, 7, M, false, 0xFFFFFFFFFFFFFFD1ull);
  ls_case("lhu imm=5 (aligned down to 4)", 0x25, 5, M, false, 0xA1B1ull);
  ls_case("sh imm=3 (aligned down to 2)", 0x29, 3, M, true, 0xAABB7788A1B1C1D1ull);
}

/* SPECIAL rd = r3 from rs = r1, rt = r2 (or HI/LO results). */
static void r_case(const char *what, uint32_t fun, uint64_t rs, uint64_t rt, bool hilo, uint64_t want_lo,
                   uint64_t want_hi) {
  thr t = {.pc = 0x2000, .next_pc = 0x2004};
  t.regs[1] = rs;
  t.regs[2] = rt;
  thr wt = t;
  wt.pc = 0x2004;
  wt.next_pc = 0x2008;
  if (hilo) {
    wt.lo = want_lo;
    wt.hi = want_hi;
  } else {
    wt.regs[3] = want_lo;
  }
  words m = {.n = 0};
  uint32_t rd = hilo ? 0 : 3;
  expect_step(what, &t, &m, 0x8000, (1u << 21) | (2u << 16) | (rd << 11) | fun, &wt, &m);
}

static void test_arith_table(void) {
  r_case("ddiv INT64_MIN/-1", 0x1E, 0x8000000000000000ull, ~0ull, true, 0x8000000000000000ull, 0);
  r_case("ddiv", 0x1E, 0x7FFFFFFF00000000ull, ~0ull, true, 0x8000000100000000ull, 0);
  r_case("ddivu -1/2", 0x1F, ~0ull, 2, true, 0x7FFFFFFFFFFFFFFFull, 1);
  r_case("div -7/2", 0x1A, (uint64_t)-7, 2, true, (uint64_t)-3, (uint64_t)-1);
  r_case("divu upper bits ignored", 0x1B, 0xFFFFFFFF0000000Aull, 0x1234567800000003ull, true, 3, 1);
  r_case("mult", 0x18, 0xFFFFFFFF, 2, true, (uint64_t)-2, ~0ull);
  r_case("multu", 0x19, 0xFFFFFFFF, 0xFFFFFFFF, true, 1, 0xFFFFFFFFFFFFFFFEull);
  r_case("dmult -1*-1", 0x1C, ~0ull, ~0ull, true, 1, 0);
  r_case("dmultu max", 0x1D, ~0ull, ~0ull, true, 1, 0xFFFFFFFFFFFFFFFEull);
  r_case("dsrav by 63", 0x17, 63, 0x8000000000000000ull, false, ~0ull, 0);
  r_case("dsllv uses rs&63", 0x14, 64 + 4, 1, false, 16, 0);
  r_case("srav by 31", 0x07, 31, 0x80000000ull, false, ~0ull, 0);
  r_case("sllv sign-extends", 0x04, 31, 1, false, 0xFFFFFFFF80000000ull, 0);
  r_case("add wraps 32-bit", 0x20, 0x7FFFFFFF, 1, false, 0xFFFFFFFF80000000ull, 0);
  r_case("slt signed", 0x2A, (uint64_t)-1, 0, false, 1, 0);
  r_case("sltu unsigned", 0x2B, (uint64_t)-1, 0, false, 0, 0);
  r_case("nor", 0x27, 0xF0, 0x0F, false, ~0xFFull, 0);
  r_case("movz not taken keeps rd", 0x0A, 5, 1, false, 0, 0);
}

static void special2_case(const char *what, uint32_t fun, uint64_t rs, uint64_t rt, uint64_t want) {
  thr t = {.pc = 0x3000, .next_pc = 0x3004};
  t.regs[1] = rs;
  t.regs[2] = rt;
  thr wt = t;
  wt.pc = 0x3004;
  wt.next_pc = 0x3008;
  wt.regs[3] = want;
  words m = {.n = 0};
  expect_step(what, &t, &m, 0x8000, (0x1Cu << 26) | (1u << 21) | (2u << 16) | (3u << 11) | fun, &wt, &m);
}

static void test_special2_table(void) {
  special2_case("clo 0xFFFFFFFE", 0x21, 0xFFFFFFFE, 0, 31);
  special2_case("clz 0x10000000", 0x20, 0x10000000, 0, 3);
  special2_case("clz 0 (upper ignored)", 0x20, 0xFFFFFFFF00000000ull, 0, 32);
  special2_case("dclz 0", 0x24, 0, 0, 64);
  special2_case("dclo all ones", 0x25, ~0ull, 0, 64);
  special2_case("mul", 0x02, 0xFFFFFFFF, 0xFFFFFFFF, 1);
  special2_case("mul sign-extends", 0x02, 0x10000, 0x8000, 0xFFFFFFFF80000000ull);
}

static void test_branch_far(void) {
  thr t = {.pc = 0x10, .next_pc = 0x14};
  t.regs[1] = ~0ull;
  thr wt = t;
  wt.pc = 0x14;
  wt.next_pc = 0xFFFFFFFFFFFE0014ull;
  words m = {.n = 0};
  expect_step("blez far back", &t, &m, 0x8000, (0x06u << 26) | (1u << 21) | 0x8000, &wt, &m);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  for (int h = 1; h <= DEPTH; h++) fpk_keccak256_node(zh[h], zh[h - 1], zh[h - 1]);
  RUN(test_v5_addiu);
  RUN(test_unaligned_table);
  RUN(test_arith_table);
  RUN(test_special2_table);
  RUN(test_branch_far);
  return fpk_test_main_end();
}
