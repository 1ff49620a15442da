/* MIPS64 instruction semantics as pure functions (cannon.md §2.5, §4.4). Every edge case that is
 * undefined in C (shift by >= 64, INT_MIN / -1, signed overflow) is defined here the way Go/EVM
 * define it, so the interpreter never relies on C's behaviour. */
#ifndef FPVM_MIPS64_EXEC_H
#define FPVM_MIPS64_EXEC_H

#include <stdbool.h>
#include <stdint.h>

/* Sign-extend the low 32 bits. */
static inline uint64_t ex_se32(uint64_t x) { return (uint64_t)(int64_t)(int32_t)(uint32_t)x; }
static inline uint64_t ex_se16(uint64_t x) { return (uint64_t)(int64_t)(int16_t)(uint16_t)x; }
static inline uint64_t ex_se8(uint64_t x) { return (uint64_t)(int64_t)(int8_t)(uint8_t)x; }
static inline uint64_t ex_simm(uint32_t insn) { return ex_se16(insn & 0xFFFF); }

/* Shifts that are 0 for amounts >= 64 (Go/EVM), never UB. */
static inline uint64_t ex_shl(uint64_t x, unsigned n) { return n >= 64 ? 0 : x << n; }
static inline uint64_t ex_shr(uint64_t x, unsigned n) { return n >= 64 ? 0 : x >> n; }
/* Arithmetic right shift by n < 64 without relying on implementation-defined >> of negatives. */
static inline uint64_t ex_sar(uint64_t x, unsigned n) {
  n &= 63;
  uint64_t r = x >> n;
  if ((x >> 63) && n) r |= ~(~(uint64_t)0 >> n);
  return r;
}

/* 32-bit shift family (results sign-extended from bit 31). */
static inline uint64_t ex_sll32(uint64_t rt, unsigned sa) { return ex_se32((uint32_t)rt << (sa & 31)); }
static inline uint64_t ex_srl32(uint64_t rt, unsigned sa) { return ex_se32((uint32_t)rt >> (sa & 31)); }
static inline uint64_t ex_sra32(uint64_t rt, unsigned sa) {
  uint32_t w = (uint32_t)rt, n = sa & 31;
  uint32_t r = w >> n;
  if ((w >> 31) && n) r |= ~(0xFFFFFFFFu >> n);
  return ex_se32(r);
}

/* Naturally aligned sub-word of `len` bytes containing vaddr (cannon.md §2.5). */
static inline uint64_t ex_select(uint64_t vaddr, uint64_t word, unsigned len) {
  unsigned byte = (unsigned)(vaddr & 7) & ~(len - 1);
  unsigned shift = (8 - len - byte) * 8;
  uint64_t mask = len == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * len)) - 1;
  return (word >> shift) & mask;
}
static inline uint64_t ex_update(uint64_t vaddr, uint64_t word, unsigned len, uint64_t v) {
  unsigned byte = (unsigned)(vaddr & 7) & ~(len - 1);
  unsigned shift = (8 - len - byte) * 8;
  uint64_t mask = len == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * len)) - 1;
  return ((v & mask) << shift) | (word & ~(mask << shift));
}

/* Unaligned word / doubleword merges (cannon.md §4.4). */
static inline uint64_t ex_lwl(uint64_t vaddr, uint64_t mem, uint64_t rt) {
  uint32_t w = (uint32_t)ex_select(vaddr, mem, 4);
  unsigned sh = (unsigned)(vaddr & 3) * 8;
  uint32_t mask = 0xFFFFFFFFu << sh;
  return ex_se32(((uint32_t)rt & ~mask) | (w << sh));
}
static inline uint64_t ex_lwr(uint64_t vaddr, uint64_t mem, uint64_t rt) {
  uint32_t w = (uint32_t)ex_select(vaddr, mem, 4);
  unsigned sh = 24 - (unsigned)(vaddr & 3) * 8;
  uint32_t mask = 0xFFFFFFFFu >> sh;
  uint32_t r = ((uint32_t)rt & ~mask) | (w >> sh);
  if ((vaddr & 3) == 3) return ex_se32(r);
  return (rt & 0xFFFFFFFF00000000ull) | r; /* cannon keeps the upper word of rt */
}
static inline uint64_t ex_swl(uint64_t vaddr, uint64_t mem, uint64_t rt) {
  unsigned sr = (unsigned)(vaddr & 3) * 8;
  unsigned sl = 32 - (unsigned)(vaddr & 4) * 8;
  uint64_t val = (((rt & 0xFFFFFFFFull) >> sr)) << sl;
  uint64_t mask = (0xFFFFFFFFull >> sr) << sl;
  return (mem & ~mask) | val;
}
static inline uint64_t ex_swr(uint64_t vaddr, uint64_t mem, uint64_t rt) {
  uint32_t w = (uint32_t)ex_select(vaddr, mem, 4);
  unsigned sl = 24 - (unsigned)(vaddr & 3) * 8;
  uint32_t mask = 0xFFFFFFFFu << sl;
  uint32_t r = (w & ~mask) | (uint32_t)(rt << sl);
  return ex_update(vaddr, mem, 4, r);
}
static inline uint64_t ex_ldl(uint64_t vaddr, uint64_t mem, uint64_t rt) {
  unsigned sl = (unsigned)(vaddr & 7) * 8;
  return (mem << sl) | (rt & ~(~(uint64_t)0 << sl));
}
static inline uint64_t ex_ldr(uint64_t vaddr, uint64_t mem, uint64_t rt) {
  unsigned sr = 56 - (unsigned)(vaddr & 7) * 8;
  return (mem >> sr) | (rt & ex_shl(~(uint64_t)0, 64 - sr)); /* k=7: mask 0 */
}
static inline uint64_t ex_sdl(uint64_t vaddr, uint64_t mem, uint64_t rt) {
  unsigned sr = (unsigned)(vaddr & 7) * 8;
  return (rt >> sr) | (mem & ~(~(uint64_t)0 >> sr));
}
static inline uint64_t ex_sdr(uint64_t vaddr, uint64_t mem, uint64_t rt) {
  unsigned sl = 56 - (unsigned)(vaddr & 7) * 8;
  return (rt << sl) | (mem & ~(~(uint64_t)0 << sl));
}

/* Leading zero/one counts. */
static inline uint64_t ex_clz32(uint64_t x) {
  uint32_t w = (uint32_t)x;
  return w ? (uint64_t)__builtin_clz(w) : 32;
}
static inline uint64_t ex_clz64(uint64_t x) { return x ? (uint64_t)__builtin_clzll(x) : 64; }

/* HI/LO arithmetic. Divisions: the caller has already rejected a zero divisor. */
static inline void ex_mult(uint64_t rs, uint64_t rt, uint64_t *hi, uint64_t *lo) {
  int64_t p = (int64_t)(int32_t)(uint32_t)rs * (int64_t)(int32_t)(uint32_t)rt; /* |p| < 2^62: no overflow */
  *hi = ex_se32((uint64_t)p >> 32);
  *lo = ex_se32((uint64_t)p);
}
static inline void ex_multu(uint64_t rs, uint64_t rt, uint64_t *hi, uint64_t *lo) {
  uint64_t p = (uint64_t)(uint32_t)rs * (uint32_t)rt;
  *hi = ex_se32(p >> 32);
  *lo = ex_se32(p);
}
/* int32 division that never traps: INT32_MIN / -1 = INT32_MIN rem 0 (Go). */
static inline void ex_div32(uint64_t rs, uint64_t rt, uint64_t *hi, uint64_t *lo) {
  int32_t a = (int32_t)(uint32_t)rs, b = (int32_t)(uint32_t)rt;
  if (b == -1) {
    *lo = ex_se32(0u - (uint32_t)a);
    *hi = 0;
    return;
  }
  *lo = ex_se32((uint32_t)(a / b));
  *hi = ex_se32((uint32_t)(a % b));
}
static inline void ex_divu32(uint64_t rs, uint64_t rt, uint64_t *hi, uint64_t *lo) {
  uint32_t a = (uint32_t)rs, b = (uint32_t)rt;
  *lo = ex_se32(a / b);
  *hi = ex_se32(a % b);
}
static inline void ex_div64(uint64_t rs, uint64_t rt, uint64_t *hi, uint64_t *lo) {
  if (rt == ~(uint64_t)0) { /* x / -1 = -x (wrapping), rem 0: covers INT64_MIN / -1 */
    *lo = 0 - rs;
    *hi = 0;
    return;
  }
  int64_t a = (int64_t)rs, b = (int64_t)rt;
  *lo = (uint64_t)(a / b);
  *hi = (uint64_t)(a % b);
}
static inline void ex_divu64(uint64_t rs, uint64_t rt, uint64_t *hi, uint64_t *lo) {
  *lo = rs / rt;
  *hi = rs % rt;
}
static inline void ex_dmultu(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
  unsigned __int128 p = (unsigned __int128)a * b;
  *hi = (uint64_t)(p >> 64);
  *lo = (uint64_t)p;
}
static inline void ex_dmult(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
  /* signed 128-bit product from the unsigned one: subtract b<<64 if a<0, a<<64 if b<0 */
  uint64_t h, l;
  ex_dmultu(a, b, &h, &l);
  if ((int64_t)a < 0) h -= b;
  if ((int64_t)b < 0) h -= a;
  *hi = h;
  *lo = l;
}

static inline uint64_t ex_lwu(uint64_t vaddr, uint64_t mem) {
  return (mem >> (32 - ((vaddr & 4) << 3))) & 0xFFFFFFFFull;
}

#endif
