/* Instruction semantics: the table vectors of cannon.md §8.1 run through the engine, exhaustive
 * decode validity of every primary opcode / SPECIAL / SPECIAL2 / REGIMM value, every shift amount
 * against independent reference formulas, division edge cases and splitmix64 (V7). */
#include "fpkit/mips64.h"
#include "fpvm/mips64/engine.h"
#include "fpvm/mips64/exec.h"
#include "test.h"

#define BASE 0xFF00000000000108ull /* t1 base of the Go table tests */

static uint32_t enc_r(unsigned rs, unsigned rt, unsigned rd, unsigned sa, unsigned fn) {
  return (uint32_t)(rs << 21 | rt << 16 | rd << 11 | sa << 6 | fn);
}
static uint32_t enc_i(unsigned op, unsigned rs, unsigned rt, uint32_t imm) {
  return (uint32_t)(op << 26 | rs << 21 | rt << 16 | (imm & 0xFFFF));
}

/* A one-thread state with insn at pc. */
static fpvm_mips64_vm *mk(uint32_t insn, uint64_t pc) {
  fpvm_mips64_state *s = fpvm_mips64_state_create_empty();
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  t->pc = pc;
  t->next_pc = pc + 4;
  uint64_t w = fpvm_mem_read64(s->mem, pc);
  unsigned sh = (pc & 4) ? 0 : 32;
  w = (w & ~(0xFFFFFFFFull << sh)) | ((uint64_t)insn << sh);
  fpvm_mem_write64(s->mem, pc, w);
  return fpvm_mips64_vm_create(s);
}
static fpvm_mips64_thread *th(fpvm_mips64_vm *vm) { return fpvm_mips64_active_thread(fpvm_mips64_vm_state(vm)); }
static int step(fpvm_mips64_vm *vm) { return fpvm_mips64_step(vm, NULL); }

/* Run rd = f(rs, rt) for an R-type instruction; returns rd (r3). */
static uint64_t r_op(unsigned fn, uint64_t rs, uint64_t rt, unsigned sa) {
  fpvm_mips64_vm *vm = mk(enc_r(1, 2, 3, sa, fn), 0x100);
  th(vm)->regs[1] = rs;
  th(vm)->regs[2] = rt;
  CHECK_EQ_U64(step(vm), FPK_OK);
  uint64_t v = th(vm)->regs[3];
  fpvm_mips64_vm_destroy(vm);
  return v;
}

/* Load/store with base r9 = BASE, rt = r8; memory word at BASE & ~7. Returns rt (loads) or the word. */
static uint64_t mem_op(unsigned op, uint32_t imm, uint64_t rt, uint64_t mem, bool want_mem) {
  fpvm_mips64_vm *vm = mk(enc_i(op, 9, 8, imm), 0x100);
  fpvm_mips64_state *s = fpvm_mips64_vm_state(vm);
  fpvm_mem_write64(s->mem, BASE & ~7ull, mem);
  th(vm)->regs[9] = BASE;
  th(vm)->regs[8] = rt;
  CHECK_EQ_U64(step(vm), FPK_OK);
  uint64_t v = want_mem ? fpvm_mem_read64(s->mem, BASE & ~7ull) : th(vm)->regs[8];
  fpvm_mips64_vm_destroy(vm);
  return v;
}

static void test_exec_go_table(void) {
  CHECK_EQ_U64(r_op(0x2C, 0x8000000000000000ull, 0x4000000000000000ull, 0), 0xC000000000000000ull); /* dadd */
  {
    fpvm_mips64_vm *vm = mk(enc_i(0x18, 1, 3, 0x20), 0x100); /* daddi */
    th(vm)->regs[1] = 0xFFFFFFFF;
    CHECK_EQ_U64(step(vm), FPK_OK);
    CHECK_EQ_U64(th(vm)->regs[3], 0x10000001Full);
    fpvm_mips64_vm_destroy(vm);
  }
  CHECK_EQ_U64(r_op(0x3F, 0, 0xFFFFFF0000000000ull, 1), 0xFFFFFFFFFFFFFF80ull); /* dsra32 */
  CHECK_EQ_U64(r_op(0x3A, 0, 0xFFFFFFFF00000000ull, 31), 0x1FFFFFFFEull);       /* dsrl */
  const uint64_t rt = 0x1122334455667788ull, m = 0xAABBCCDDA1B1C1D1ull;
  CHECK_EQ_U64(mem_op(0x22, 1, rt, m, false), 0xFFFFFFFFBBCCDD88ull);                   /* lwl */
  CHECK_EQ_U64(mem_op(0x26, 0, rt, 0x7ABBCCDDA1B1C1D1ull, false), 0x112233445566777Aull); /* lwr */
  CHECK_EQ_U64(mem_op(0x26, 3, rt, 0x7ABBCCDDA1B1C1D1ull, false), 0x000000007ABBCCDDull);
  CHECK_EQ_U64(mem_op(0x2A, 5, rt, m, true), 0xAABBCCDDA1556677ull); /* swl */
  CHECK_EQ_U64(mem_op(0x2E, 2, rt, m, true), 0x667788DDA1B1C1D1ull); /* swr */
  CHECK_EQ_U64(mem_op(0x1A, 3, rt, m, false), 0xDDA1B1C1D1667788ull); /* ldl */
  CHECK_EQ_U64(mem_op(0x1B, 4, rt, m, false), 0x112233AABBCCDDA1ull); /* ldr */
  CHECK_EQ_U64(mem_op(0x2C, 2, rt, m, true), 0xAABB112233445566ull); /* sdl */
  CHECK_EQ_U64(mem_op(0x2D, 4, rt, m, true), 0x4455667788B1C1D1ull); /* sdr */
  CHECK_EQ_U64(mem_op(0x27, 4, rt, 0x1122334485667788ull, false), 0x85667788ull); /* lwu */
  {
    fpvm_mips64_vm *vm = mk(enc_r(1, 2, 0, 0, 0x1E), 0x100); /* ddiv */
    th(vm)->regs[1] = 0x7FFFFFFF00000000ull;
    th(vm)->regs[2] = ~0ull;
    CHECK_EQ_U64(step(vm), FPK_OK);
    CHECK_EQ_U64(th(vm)->lo, 0x8000000100000000ull);
    CHECK_EQ_U64(th(vm)->hi, 0);
    fpvm_mips64_vm_destroy(vm);
  }
  {
    fpvm_mips64_vm *vm = mk(enc_r(1, 2, 0, 0, 0x1F), 0x100); /* ddivu */
    th(vm)->regs[1] = ~0ull;
    th(vm)->regs[2] = 2;
    CHECK_EQ_U64(step(vm), FPK_OK);
    CHECK_EQ_U64(th(vm)->lo, 0x7FFFFFFFFFFFFFFFull);
    CHECK_EQ_U64(th(vm)->hi, 1);
    fpvm_mips64_vm_destroy(vm);
  }
  {
    fpvm_mips64_vm *vm = mk(enc_r(1, 2, 0, 0, 0x1A), 0x100); /* div by a zero low word */
    th(vm)->regs[1] = 5;
    th(vm)->regs[2] = 0xFFFFFFFF00000000ull;
    CHECK_EQ_U64(step(vm), FPK_EPANIC);
    CHECK(strstr(fpvm_mips64_vm_panic_reason(vm), "division by zero") != NULL);
    CHECK_EQ_U64(step(vm), FPK_EINVAL); /* a panicked vm refuses further steps */
    fpvm_mips64_vm_destroy(vm);
  }
  { /* in run mode the faulting pc stays visible and the faulting step is not counted */
    fpvm_mips64_vm *vm = mk(enc_r(1, 2, 0, 0, 0x1E), 0x104); /* 0x100: nop, 0x104: ddiv by zero */
    th(vm)->pc = 0x100;
    th(vm)->next_pc = 0x104;
    uint64_t done = 99;
    CHECK_EQ_U64(fpvm_mips64_run(vm, 10, false, &done), FPK_EPANIC);
    CHECK_EQ_U64(done, 1);
    CHECK_EQ_U64(th(vm)->pc, 0x104);
    fpvm_mips64_vm_destroy(vm);
  }
  /* SPECIAL2 */
  {
    struct { unsigned fn; uint64_t rs, rt, want; } c[] = {
        {0x21, 0xFFFFFFFE, 0, 31},                   /* clo */
        {0x20, 0x10000000, 0, 3},                    /* clz */
        {0x02, 0xFFFFFFFF, 0xFFFFFFFF, 1},           /* mul */
        {0x24, 0, 0, 64},                            /* dclz */
        {0x25, ~0ull, 0, 64},                        /* dclo */
        {0x20, 0xFFFFFFFF00000000ull, 0, 32},        /* clz looks at the low word only */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
      fpvm_mips64_vm *vm = mk((0x1Cu << 26) | enc_r(1, 2, 3, 0, c[i].fn), 0x100);
      th(vm)->regs[1] = c[i].rs;
      th(vm)->regs[2] = c[i].rt;
      CHECK_EQ_U64(step(vm), FPK_OK);
      CHECK_EQ_U64(th(vm)->regs[3], c[i].want);
      fpvm_mips64_vm_destroy(vm);
    }
  }
  {
    fpvm_mips64_vm *vm = mk(enc_i(0x06, 1, 0, 0x8000), 0x10); /* blez */
    th(vm)->regs[1] = ~0ull;
    CHECK_EQ_U64(step(vm), FPK_OK);
    CHECK_EQ_U64(th(vm)->pc, 0x14);
    CHECK_EQ_U64(th(vm)->next_pc, 0xFFFFFFFFFFFE0014ull);
    fpvm_mips64_vm_destroy(vm);
  }
}

static bool in_list(unsigned x, const unsigned *l, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (l[i] == x) return true;
  return false;
}

static void test_exec_decode_exhaustive(void) {
  static const unsigned prim[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D,
                                  0x0E, 0x0F, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26,
                                  0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x30, 0x34, 0x37, 0x38, 0x3C, 0x3F};
  static const unsigned spec[] = {0x00, 0x02, 0x03, 0x04, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0F, 0x10, 0x11,
                                  0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x20,
                                  0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x38,
                                  0x3A, 0x3B, 0x3C, 0x3E, 0x3F};
  static const unsigned spec2[] = {0x02, 0x20, 0x21, 0x24, 0x25};
  int valid_prim = 0, valid_spec = 0;
  for (unsigned op = 0; op < 64; op++) {
    uint8_t k = eng_decode(op << 26 | 0x20); /* funct 0x20 keeps SPECIAL/SPECIAL2 valid */
    bool ok = in_list(op, prim, sizeof prim / sizeof prim[0]);
    CHECK_EQ_U64(k != K_INVALID && k != K_BADMEM, ok);
    if (!ok) CHECK_EQ_U64(k, op >= 0x20 ? K_BADMEM : K_INVALID); /* unsupported memory class proves first */
    valid_prim += ok;
  }
  for (unsigned fn = 0; fn < 64; fn++) {
    bool ok = in_list(fn, spec, sizeof spec / sizeof spec[0]);
    CHECK_EQ_U64(eng_decode(fn) != K_INVALID, ok);
    CHECK_EQ_U64(eng_decode(0x1Cu << 26 | fn) != K_INVALID, in_list(fn, spec2, 5));
    valid_spec += ok;
  }
  CHECK_EQ_U64(valid_prim, 42);
  CHECK_EQ_U64(valid_spec, 47);
  /* every REGIMM rt decodes; unknown ones are never-taken branches */
  for (unsigned rt = 0; rt < 32; rt++) {
    uint8_t k = eng_decode(1u << 26 | rt << 16);
    CHECK(k != K_INVALID);
    CHECK_EQ_U64(k == K_BNEVER, !(rt == 0 || rt == 1 || rt == 0x10 || rt == 0x11));
  }
  /* invalid encodings panic in the engine too */
  for (unsigned fn = 0; fn < 64; fn++) {
    if (in_list(fn, spec, sizeof spec / sizeof spec[0])) continue;
    fpvm_mips64_vm *vm = mk(fn, 0x100);
    CHECK_EQ_U64(step(vm), FPK_EPANIC);
    fpvm_mips64_vm_destroy(vm);
  }
}

/* References computed a different way (wide arithmetic) than exec.h. */
static uint64_t ref_sra32(uint64_t x, unsigned sa) {
  int64_t v = (int32_t)(uint32_t)x;
  for (unsigned i = 0; i < sa; i++) v = (v - (v & 1)) / 2; /* floor division by 2 */
  return (uint64_t)v;
}
static uint64_t ref_sar64(uint64_t x, unsigned sa) {
  __int128 v = (int64_t)x;
  for (unsigned i = 0; i < sa; i++) v = (v - (v & 1)) / 2;
  return (uint64_t)v;
}

static void test_exec_every_shift_amount(void) {
  static const uint64_t vals[] = {0, 1, 0x80000000ull, 0xFFFFFFFF80000001ull, 0x7FFFFFFFFFFFFFFFull,
                                  0x8000000000000000ull, 0x123456789ABCDEF0ull, ~0ull};
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    uint64_t x = vals[i];
    for (unsigned sa = 0; sa < 32; sa++) {
      uint32_t lo = (uint32_t)x;
      CHECK_EQ_U64(r_op(0x00, 0, x, sa), (uint64_t)(int64_t)(int32_t)(uint32_t)((uint64_t)lo << sa)); /* sll */
      CHECK_EQ_U64(r_op(0x02, 0, x, sa), (uint64_t)(int64_t)(int32_t)(lo >> sa));                   /* srl */
      CHECK_EQ_U64(r_op(0x03, 0, x, sa), ref_sra32(x, sa));                                         /* sra */
      CHECK_EQ_U64(r_op(0x38, 0, x, sa), (uint64_t)(((unsigned __int128)x << sa)));                 /* dsll */
      CHECK_EQ_U64(r_op(0x3A, 0, x, sa), x >> sa);                                                  /* dsrl */
      CHECK_EQ_U64(r_op(0x3B, 0, x, sa), ref_sar64(x, sa));                                         /* dsra */
      CHECK_EQ_U64(r_op(0x3C, 0, x, sa), (uint64_t)(((unsigned __int128)x << (sa + 32))));          /* dsll32 */
      CHECK_EQ_U64(r_op(0x3E, 0, x, sa), x >> (sa + 32));                                           /* dsrl32 */
      CHECK_EQ_U64(r_op(0x3F, 0, x, sa), ref_sar64(x, sa + 32));                                    /* dsra32 */
    }
    for (unsigned n = 0; n < 128; n++) { /* variable shifts use the low 5 / 6 bits of rs */
      uint64_t rs = 0xABCDEF00ull | n;
      unsigned s5 = n & 31, s6 = n & 63;
      CHECK_EQ_U64(r_op(0x04, rs, x, 0), (uint64_t)(int64_t)(int32_t)(uint32_t)((uint64_t)(uint32_t)x << s5));
      CHECK_EQ_U64(r_op(0x06, rs, x, 0), (uint64_t)(int64_t)(int32_t)((uint32_t)x >> s5));
      CHECK_EQ_U64(r_op(0x07, rs, x, 0), ref_sra32(x, s5));
      CHECK_EQ_U64(r_op(0x14, rs, x, 0), (uint64_t)((unsigned __int128)x << s6));
      CHECK_EQ_U64(r_op(0x16, rs, x, 0), x >> s6);
      CHECK_EQ_U64(r_op(0x17, rs, x, 0), ref_sar64(x, s6));
    }
  }
  /* helpers defined for every amount, including >= 64 */
  for (unsigned n = 0; n < 200; n++) {
    CHECK_EQ_U64(ex_shl(~0ull, n), n >= 64 ? 0 : (uint64_t)((unsigned __int128)~0ull << n));
    CHECK_EQ_U64(ex_shr(~0ull, n), n >= 64 ? 0 : ~0ull >> n);
  }
}

static void test_exec_division_edges(void) {
  uint64_t hi, lo;
  ex_div32(0x80000000ull, 0xFFFFFFFFull, &hi, &lo); /* INT32_MIN / -1 */
  CHECK_EQ_U64(lo, 0xFFFFFFFF80000000ull);
  CHECK_EQ_U64(hi, 0);
  ex_div64(0x8000000000000000ull, ~0ull, &hi, &lo); /* INT64_MIN / -1 */
  CHECK_EQ_U64(lo, 0x8000000000000000ull);
  CHECK_EQ_U64(hi, 0);
  ex_div32((uint64_t)-7, 2, &hi, &lo); /* truncation toward zero */
  CHECK_EQ_U64(lo, (uint64_t)-3);
  CHECK_EQ_U64(hi, (uint64_t)-1);
  ex_div64((uint64_t)-7, 2, &hi, &lo);
  CHECK_EQ_U64(lo, (uint64_t)-3);
  CHECK_EQ_U64(hi, (uint64_t)-1);
  ex_divu32(0xFFFFFFFF, 2, &hi, &lo); /* results sign-extended from bit 31 */
  CHECK_EQ_U64(lo, 0x7FFFFFFF);
  CHECK_EQ_U64(hi, 1);
  ex_multu(0xFFFFFFFF, 0xFFFFFFFF, &hi, &lo);
  CHECK_EQ_U64(hi, 0xFFFFFFFFFFFFFFFEull);
  CHECK_EQ_U64(lo, 1);
  ex_dmult(~0ull, ~0ull, &hi, &lo); /* -1 * -1 */
  CHECK_EQ_U64(hi, 0);
  CHECK_EQ_U64(lo, 1);
  ex_dmult(0x8000000000000000ull, 2, &hi, &lo);
  CHECK_EQ_U64(hi, ~0ull);
  CHECK_EQ_U64(lo, 0);
  ex_dmultu(~0ull, ~0ull, &hi, &lo);
  CHECK_EQ_U64(hi, 0xFFFFFFFFFFFFFFFEull);
  CHECK_EQ_U64(lo, 1);
  /* ddiv / ddivu / divu by zero panic in the engine */
  static const unsigned fns[] = {0x1A, 0x1B, 0x1E, 0x1F};
  for (size_t i = 0; i < 4; i++) {
    fpvm_mips64_vm *vm = mk(enc_r(1, 2, 0, 0, fns[i]), 0x100);
    th(vm)->regs[1] = 1;
    CHECK_EQ_U64(step(vm), FPK_EPANIC);
    fpvm_mips64_vm_destroy(vm);
  }
  /* a non-zero rd field of the HI/LO group gets 0 */
  fpvm_mips64_vm *vm = mk(enc_r(1, 2, 5, 0, 0x18), 0x100);
  th(vm)->regs[1] = 3;
  th(vm)->regs[2] = 4;
  th(vm)->regs[5] = 77;
  CHECK_EQ_U64(step(vm), FPK_OK);
  CHECK_EQ_U64(th(vm)->regs[5], 0);
  CHECK_EQ_U64(th(vm)->lo, 12);
  fpvm_mips64_vm_destroy(vm);
}

static void test_exec_splitmix64(void) {
  CHECK_EQ_U64(eng_splitmix64(0), 0xe220a8397b1dcdafull);
  CHECK_EQ_U64(eng_splitmix64(1), 0x910a2dec89025cc1ull);
  CHECK_EQ_U64(eng_splitmix64(2), 0x975835de1c9756ceull);
  CHECK_EQ_U64(eng_splitmix64(100), 0x23259b94f13cf544ull);
}

static void test_exec_delay_slot_and_pc(void) {
  fpvm_mips64_vm *vm = mk(enc_i(0x04, 0, 0, 4), 0x100); /* beq in a delay slot */
  th(vm)->next_pc = 0x200;
  CHECK_EQ_U64(step(vm), FPK_EPANIC);
  CHECK(strstr(fpvm_mips64_vm_panic_reason(vm), "branch in delay slot") != NULL);
  fpvm_mips64_vm_destroy(vm);
  vm = mk(enc_r(31, 0, 0, 0, 8), 0x100); /* jr in a delay slot */
  th(vm)->next_pc = 0x200;
  CHECK_EQ_U64(step(vm), FPK_EPANIC);
  CHECK(strstr(fpvm_mips64_vm_panic_reason(vm), "jump in delay slot") != NULL);
  fpvm_mips64_vm_destroy(vm);
  vm = mk(0, 0x100);
  th(vm)->pc = 0x102;
  CHECK_EQ_U64(step(vm), FPK_EPANIC);
  fpvm_mips64_vm_destroy(vm);
  /* jalr links rd and reads the target before linking */
  vm = mk(enc_r(4, 0, 4, 0, 9), 0x100);
  th(vm)->regs[4] = 0x4000;
  CHECK_EQ_U64(step(vm), FPK_OK);
  CHECK_EQ_U64(th(vm)->pc, 0x104);
  CHECK_EQ_U64(th(vm)->next_pc, 0x4000);
  CHECK_EQ_U64(th(vm)->regs[4], 0x108);
  fpvm_mips64_vm_destroy(vm);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_exec_go_table);
  RUN(test_exec_decode_exhaustive);
  RUN(test_exec_every_shift_amount);
  RUN(test_exec_division_edges);
  RUN(test_exec_splitmix64);
  RUN(test_exec_delay_slot_and_pc);
  return fpk_test_main_end();
}
