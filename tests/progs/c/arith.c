/* Integer edge cases of the MIPS64r1 subset Cannon runs (cannon.md §4.4): HI/LO multiply and divide
 * families incl. MIN/-1, 32-bit results sign-extended into 64-bit registers, variable shifts with
 * out-of-range amounts, count-leading-zeros/ones, a 128-bit product. Operands go through RT_OPAQUE so
 * the compiler emits the instructions instead of folding them. Exit 0 when every self-check holds. */
#include "rt.h"

static int failures;
static u64 digest = 0xcbf29ce484222325ul;

static void mix(u64 v) {
  for (int i = 0; i < 8; i++) {
    digest ^= (v >> (8 * i)) & 0xff;
    digest *= 0x100000001b3ul;
  }
}

static void show(const char *what, u64 v) {
  rt_printf("%-24s %016lx\n", what, v);
  mix(v);
}

static void expect(const char *what, u64 got, u64 want) {
  show(what, got);
  if (got != want) {
    rt_printf("  MISMATCH want %016lx\n", want);
    failures++;
  }
}

/* Raw HI/LO instructions, since MIN/-1 would be undefined in C. */
#define HILO_OP(name, insn)                                                                                \
  static void name(u64 a, u64 b, u64 *hi, u64 *lo) {                                                       \
    u64 h, l;                                                                                              \
    __asm__ volatile(insn " %2, %3\n\tmfhi %0\n\tmflo %1" : "=r"(h), "=r"(l) : "r"(a), "r"(b) : "hi", "lo"); \
    *hi = h;                                                                                               \
    *lo = l;                                                                                               \
  }
HILO_OP(op_mult, "mult")
HILO_OP(op_multu, "multu")
HILO_OP(op_dmult, "dmult")
HILO_OP(op_dmultu, "dmultu")
HILO_OP(op_div, "div $0,")
HILO_OP(op_divu, "divu $0,")
HILO_OP(op_ddiv, "ddiv $0,")
HILO_OP(op_ddivu, "ddivu $0,")

#define R3(name, insn)                                                   \
  static u64 name(u64 a, u64 b) {                                        \
    u64 r;                                                               \
    __asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));     \
    return r;                                                            \
  }
R3(op_addu, "addu")
R3(op_subu, "subu")
R3(op_mul, "mul")
R3(op_sllv, "sllv")
R3(op_srlv, "srlv")
R3(op_srav, "srav")
R3(op_dsllv, "dsllv")
R3(op_dsrlv, "dsrlv")
R3(op_dsrav, "dsrav")
R3(op_slt, "slt")
R3(op_sltu, "sltu")
R3(op_nor, "nor")

#define R1(name, insn)                                          \
  static u64 name(u64 a) {                                      \
    u64 r;                                                      \
    __asm__ volatile(insn " %0, %1" : "=r"(r) : "r"(a));        \
    return r;                                                   \
  }
R1(op_clz, "clz")
R1(op_clo, "clo")
R1(op_dclz, "dclz")
R1(op_dclo, "dclo")

#define SHIFT_IMM(name, insn, sa)                                       \
  static u64 name(u64 a) {                                              \
    u64 r;                                                              \
    __asm__ volatile(insn " %0, %1, " #sa : "=r"(r) : "r"(a));          \
    return r;                                                           \
  }
SHIFT_IMM(op_sll31, "sll", 31)
SHIFT_IMM(op_sra4, "sra", 4)
SHIFT_IMM(op_srl4, "srl", 4)
SHIFT_IMM(op_sll0, "sll", 0)
SHIFT_IMM(op_dsll32_1, "dsll32", 1)
SHIFT_IMM(op_dsrl32_1, "dsrl32", 1)
SHIFT_IMM(op_dsra32_1, "dsra32", 1)
SHIFT_IMM(op_dsra63, "dsra32", 31)

static void test_hilo(void) {
  static const u64 in[][2] = {
      {0x7fffffff, 0x7fffffff},
      {0xffffffff80000000ul, 0xffffffffffffffff},
      {0xffffffff80000000ul, 2},
      {0x0000000012345678, 0xfffffffffedcba98ul},
      {0xffffffffffffffff, 0xffffffffffffffff},
      {0x8000000000000000ul, 0xffffffffffffffff},
      {0x8000000000000000ul, 0x8000000000000000ul},
      {0x123456789abcdef0ul, 0x0fedcba987654321ul},
      {0x7fffffffffffffff, 3},
      {17, 0xfffffffffffffffbul},
  };
  char name[32];
  for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
    u64 a = RT_OPAQUE(in[i][0]), b = RT_OPAQUE(in[i][1]), hi, lo;
    rt_printf("-- a=%016lx b=%016lx\n", a, b);
    op_mult(a, b, &hi, &lo);
    show("mult hi", hi);
    show("mult lo", lo);
    op_multu(a, b, &hi, &lo);
    show("multu hi", hi);
    show("multu lo", lo);
    op_dmult(a, b, &hi, &lo);
    show("dmult hi", hi);
    show("dmult lo", lo);
    op_dmultu(a, b, &hi, &lo);
    show("dmultu hi", hi);
    show("dmultu lo", lo);
    if ((u32)b != 0) {
      op_div(a, b, &hi, &lo);
      show("div rem", hi);
      show("div quot", lo);
      op_divu(a, b, &hi, &lo);
      show("divu rem", hi);
      show("divu quot", lo);
    }
    if (b != 0) {
      op_ddiv(a, b, &hi, &lo);
      show("ddiv rem", hi);
      show("ddiv quot", lo);
      op_ddivu(a, b, &hi, &lo);
      show("ddivu rem", hi);
      show("ddivu quot", lo);
    }
    show("mul", op_mul(a, b));
    (void)name;
  }
  u64 hi, lo;
  op_div(RT_OPAQUE(0xffffffff80000000ul), RT_OPAQUE(0xfffffffffffffffful), &hi, &lo);
  expect("div INT32_MIN/-1 quot", lo, 0xffffffff80000000ul);
  expect("div INT32_MIN/-1 rem", hi, 0);
  op_ddiv(RT_OPAQUE(0x8000000000000000ul), RT_OPAQUE(0xfffffffffffffffful), &hi, &lo);
  expect("ddiv INT64_MIN/-1 quot", lo, 0x8000000000000000ul);
  expect("ddiv INT64_MIN/-1 rem", hi, 0);
  op_mult(RT_OPAQUE(0x7ffffffful), RT_OPAQUE(0x7ffffffful), &hi, &lo);
  expect("mult max*max hi", hi, 0x3fffffff);
  expect("mult max*max lo", lo, 1);
  op_multu(RT_OPAQUE(0xfffffffffffffffful), RT_OPAQUE(0xfffffffffffffffful), &hi, &lo);
  expect("multu ff*ff hi", hi, 0xfffffffffffffffeul);
  expect("multu ff*ff lo", lo, 1);
}

static void test_c_level(void) {
  /* What the compiler emits for ordinary C: dmult/dmultu via __int128, ddiv/ddivu/div/divu, 32-bit wrap. */
  u64 a = RT_OPAQUE(0xfedcba9876543210ul), b = RT_OPAQUE(0x0123456789abcdeful);
  unsigned __int128 p = (unsigned __int128)a * b;
  expect("u128 hi", (u64)(p >> 64), 0x0121fa00ad77d742ul);
  expect("u128 lo", (u64)p, 0x2236d88fe5618cf0ul);
  __int128 sp = (__int128)(i64)a * (i64)b;
  expect("i128 hi", (u64)((unsigned __int128)sp >> 64), 0xfffeb49923cc0953ul);
  expect("i128 lo", (u64)sp, 0x2236d88fe5618cf0ul);
  i64 x = RT_OPAQUE(-7l), y = RT_OPAQUE(2l);
  expect("-7/2", (u64)(x / y), (u64)-3l);
  expect("-7%2", (u64)(x % y), (u64)-1l);
  i32 x32 = RT_OPAQUE(-2147483647 - 1), y32 = RT_OPAQUE(3);
  expect("INT32_MIN/3", (u64)(i64)(x32 / y32), (u64)(i64)-715827882);
  expect("INT32_MIN%3", (u64)(i64)(x32 % y32), (u64)(i64)-2);
  u32 u = RT_OPAQUE(0xfffffff0u);
  expect("u32 wrap add", (u64)(u32)(u + 0x20u), 0x10);
  expect("u32 / 7", (u64)(u / RT_OPAQUE(7u)), 0x24924922);
  expect("u64 % 10", RT_OPAQUE(0xfffffffffffffffful) % RT_OPAQUE(10ul), 5);
  i64 m = RT_OPAQUE((i64)0x7fffffffffffffffl);
  expect("i64 >> 63", (u64)(m >> 63), 0);
  expect("neg >> 5", (u64)(RT_OPAQUE(-1000l) >> 5), (u64)-32l);
}

static void test_sign_extension(void) {
  expect("addu wrap", op_addu(RT_OPAQUE(0x7ffffffful), 1), 0xffffffff80000000ul);
  expect("addu hi ignored", op_addu(RT_OPAQUE(0x0000000100000001ul), 0), 1);
  expect("subu wrap", op_subu(RT_OPAQUE(0xffffffff80000000ul), 1), 0x7fffffff);
  expect("mul wrap", op_mul(RT_OPAQUE(0x10000ul), RT_OPAQUE(0x8000ul)), 0xffffffff80000000ul);
  expect("mul ff*ff", op_mul(RT_OPAQUE(0xfffffffffffffffful), RT_OPAQUE(0xfffffffffffffffful)), 1);
  expect("sll 31", op_sll31(RT_OPAQUE(1ul)), 0xffffffff80000000ul);
  expect("sll 0 (sext)", op_sll0(RT_OPAQUE(0xffffffffffffffffu)), 0xfffffffffffffffful);
  expect("sra 4", op_sra4(RT_OPAQUE(0xffffffff80000000ul)), 0xfffffffff8000000ul);
  expect("srl 4", op_srl4(RT_OPAQUE(0xffffffff80000000ul)), 0x08000000);
  expect("dsll32 1", op_dsll32_1(RT_OPAQUE(0x80000001ul)), 0x0000000200000000ul);
  expect("dsrl32 1", op_dsrl32_1(RT_OPAQUE(0x8000000000000000ul)), 0x40000000);
  expect("dsra32 1", op_dsra32_1(RT_OPAQUE(0x8000000000000000ul)), 0xffffffffc0000000ul);
  expect("dsra32 31", op_dsra63(RT_OPAQUE(0x8000000000000000ul)), 0xfffffffffffffffful);
  expect("lui-style", (u64)(i64)(i32)RT_OPAQUE(0x80000000u), 0xffffffff80000000ul);
  expect("slt", op_slt(RT_OPAQUE(0xfffffffffffffffful), 0), 1);
  expect("sltu", op_sltu(RT_OPAQUE(0xfffffffffffffffful), 0), 0);
  expect("nor", op_nor(RT_OPAQUE(0xf0f0f0f0f0f0f0f0ul), RT_OPAQUE(0x0f0f0f0f0f0f0f00ul)), 0x0f);
}

static void test_shifts(void) {
  u64 v = RT_OPAQUE(0x8123456789abcdeful);
  for (u64 s = 0; s < 130; s += 13) {
    u64 sa = RT_OPAQUE(s);
    rt_printf("-- shift %lu\n", s);
    show("sllv", op_sllv(op_sll0(v), sa));
    show("srlv", op_srlv(op_sll0(v), sa));
    show("srav", op_srav(op_sll0(v), sa));
    show("dsllv", op_dsllv(v, sa));
    show("dsrlv", op_dsrlv(v, sa));
    show("dsrav", op_dsrav(v, sa));
  }
}

static void test_clz(void) {
  static const u64 in[] = {0, 1, 0x80000000, 0xffffffff, 0x10000000, 0xfffffffe, 0x0000000100000000ul,
                           0x8000000000000000ul, 0xffffffffffffffff, 0xfffffffffffff000ul, 0x00ff00ff00ff00fful};
  for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) {
    u64 x = RT_OPAQUE(in[i]);
    u64 w = op_sll0(x); /* canonical 32-bit operand */
    rt_printf("-- x=%016lx\n", x);
    show("clz", op_clz(w));
    show("clo", op_clo(w));
    show("dclz", op_dclz(x));
    show("dclo", op_dclo(x));
    if ((u32)x) show("__builtin_clz", (u64)__builtin_clz((u32)x));
    if (x) show("__builtin_clzll", (u64)__builtin_clzll(x));
  }
  expect("clz 0x10000000", op_clz(RT_OPAQUE(0x10000000ul)), 3);
  expect("clo 0xfffffffe", op_clo(op_sll0(RT_OPAQUE(0xfffffffeul))), 31);
  expect("dclz 0", op_dclz(RT_OPAQUE(0ul)), 64);
  expect("dclo ~0", op_dclo(RT_OPAQUE(~0ul)), 64);
}

static void test_condmove(void) {
  /* movz/movn (GCC uses them for selects at -O2 on r1) plus a plain branchy fallback. */
  u64 acc = 0;
  for (u64 i = 0; i < 64; i++) {
    u64 t = RT_OPAQUE(i);
    u64 r = (t & 3) ? t * 3 : t ^ 0x55;
    acc = acc * 31 + r;
    u64 q;
    __asm__ volatile("move %0, %1\n\tmovz %0, %2, %3" : "=&r"(q) : "r"(t), "r"(acc), "r"(t & 1));
    acc += q;
    __asm__ volatile("move %0, %1\n\tmovn %0, %2, %3" : "=&r"(q) : "r"(t), "r"(acc), "r"(t & 2));
    acc = acc * 3 + (q ^ i);
  }
  show("condmove acc", acc);
}

int main(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  test_hilo();
  test_c_level();
  test_sign_extension();
  test_shifts();
  test_clz();
  test_condmove();
  rt_printf("digest %016lx\n", digest);
  rt_printf("arith: %s (%d failures)\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
