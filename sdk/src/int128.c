/* The libgcc integer helpers a 64-bit program may call, written for the VM. Debian's MIPS64 libgcc is
 * built for mips64r2 with abicalls and hard float (dext, teq, FPU code), so the MIPS64 build links
 * these instead of libgcc and has no floating point at all. Every routine works on 64-bit halves
 * with shifts and 64-bit multiply/divide only, so none of them can call itself back through the
 * compiler. The fpp_* cores are also compiled into the hosted tests and checked against __int128. */
#include "fpkit/fpp.h"

typedef unsigned __int128 u128;
typedef __int128 i128;

static inline uint64_t hi(u128 x) { return (uint64_t)(x >> 64); }
static inline uint64_t lo(u128 x) { return (uint64_t)x; }
static inline u128 mk(uint64_t h, uint64_t l) { return ((u128)h << 64) | l; }

static int clz64(uint64_t x) {
  int n = 0;
  if (!x) return 64;
  while (!(x >> 63)) {
    x <<= 1;
    n++;
  }
  return n;
}

static int clz128(u128 x) { return hi(x) ? clz64(hi(x)) : 64 + clz64(lo(x)); }

static u128 shl(u128 x, unsigned s) {
  uint64_t h = hi(x), l = lo(x);
  if (s == 0) return x;
  if (s >= 64) return mk(s >= 128 ? 0 : l << (s - 64), 0);
  return mk((h << s) | (l >> (64 - s)), l << s);
}

static u128 lshr(u128 x, unsigned s) {
  uint64_t h = hi(x), l = lo(x);
  if (s == 0) return x;
  if (s >= 64) return mk(0, s >= 128 ? 0 : h >> (s - 64));
  return mk(h >> s, (l >> s) | (h << (64 - s)));
}

static bool ge(u128 a, u128 b) { return hi(a) != hi(b) ? hi(a) > hi(b) : lo(a) >= lo(b); }

static u128 sub(u128 a, u128 b) {
  uint64_t l = lo(a) - lo(b);
  return mk(hi(a) - hi(b) - (lo(a) < lo(b)), l);
}

/* Quotient and remainder; b != 0 (the caller's division by zero is its own undefined behaviour). */
u128 fpp_udivmod128(u128 a, u128 b, u128 *rem);
u128 fpp_udivmod128(u128 a, u128 b, u128 *rem) {
  if (!hi(a) && !hi(b)) {
    uint64_t d = lo(b) ? lo(b) : 1;
    if (rem) *rem = lo(a) % d;
    return lo(a) / d;
  }
  if (!ge(a, b)) {
    if (rem) *rem = a;
    return 0;
  }
  int shift = clz128(b) - clz128(a);
  u128 d = shl(b, (unsigned)shift), q = 0;
  for (int i = 0; i <= shift; i++) {
    q = shl(q, 1);
    if (ge(a, d)) {
      a = sub(a, d);
      q = mk(hi(q), lo(q) | 1);
    }
    d = lshr(d, 1);
  }
  if (rem) *rem = a;
  return q;
}

u128 fpp_mul128(u128 a, u128 b);
u128 fpp_mul128(u128 a, u128 b) {
  uint64_t al = lo(a), bl = lo(b);
  /* low x low as a full 128-bit product from 32-bit pieces (no multiply-high instruction needed) */
  uint64_t a0 = al & 0xffffffffu, a1 = al >> 32, b0 = bl & 0xffffffffu, b1 = bl >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
  uint64_t l = (mid << 32) | (p00 & 0xffffffffu);
  uint64_t h = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  h += al * hi(b) + hi(a) * bl;
  return mk(h, l);
}

static u128 neg(u128 x) { return sub(0, x); }
static bool is_neg(u128 x) { return hi(x) >> 63; }

i128 fpp_div128(i128 a, i128 b, i128 *rem);
i128 fpp_div128(i128 a, i128 b, i128 *rem) {
  u128 ua = (u128)a, ub = (u128)b, r;
  bool na = is_neg(ua), nb = is_neg(ub);
  u128 q = fpp_udivmod128(na ? neg(ua) : ua, nb ? neg(ub) : ub, &r);
  if (rem) *rem = (i128)(na ? neg(r) : r);
  return (i128)(na != nb ? neg(q) : q);
}

#if !__STDC_HOSTED__ && defined(__mips__)
u128 __udivti3(u128 a, u128 b);
u128 __umodti3(u128 a, u128 b);
u128 __udivmodti4(u128 a, u128 b, u128 *rem);
i128 __divti3(i128 a, i128 b);
i128 __modti3(i128 a, i128 b);
u128 __multi3(u128 a, u128 b);
u128 __ashlti3(u128 a, int s);
u128 __lshrti3(u128 a, int s);
i128 __ashrti3(i128 a, int s);
int __popcountdi2(uint64_t x);
int __popcountsi2(uint32_t x);
uint64_t __bswapdi2(uint64_t x);
uint32_t __bswapsi2(uint32_t x);
int __ctzdi2(uint64_t x);
int __ctzsi2(uint32_t x);
int __clzdi2(uint64_t x);
int __clzsi2(uint32_t x);
int __ffsdi2(uint64_t x);
int __paritydi2(uint64_t x);

u128 __udivti3(u128 a, u128 b) { return fpp_udivmod128(a, b, NULL); }
u128 __umodti3(u128 a, u128 b) {
  u128 r;
  fpp_udivmod128(a, b, &r);
  return r;
}
u128 __udivmodti4(u128 a, u128 b, u128 *rem) { return fpp_udivmod128(a, b, rem); }
i128 __divti3(i128 a, i128 b) { return fpp_div128(a, b, NULL); }
i128 __modti3(i128 a, i128 b) {
  i128 r;
  fpp_div128(a, b, &r);
  return r;
}
u128 __multi3(u128 a, u128 b) { return fpp_mul128(a, b); }
u128 __ashlti3(u128 a, int s) { return shl(a, (unsigned)s); }
u128 __lshrti3(u128 a, int s) { return lshr(a, (unsigned)s); }
i128 __ashrti3(i128 a, int s) {
  u128 r = lshr((u128)a, (unsigned)s);
  if (a < 0 && s > 0) r |= ~lshr(~(u128)0, (unsigned)s); /* fill with sign bits */
  return (i128)r;
}
int __popcountdi2(uint64_t x) {
  int n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}
int __popcountsi2(uint32_t x) { return __popcountdi2(x); }
uint64_t __bswapdi2(uint64_t x) {
  uint64_t r = 0;
  for (int i = 0; i < 8; i++, x >>= 8) r = (r << 8) | (x & 0xff);
  return r;
}
uint32_t __bswapsi2(uint32_t x) { return (uint32_t)(__bswapdi2(x) >> 32); }
int __ctzdi2(uint64_t x) {
  int n = 0;
  if (!x) return 64;
  while (!(x & 1)) {
    x >>= 1;
    n++;
  }
  return n;
}
int __ctzsi2(uint32_t x) { return x ? __ctzdi2(x) : 32; }
int __clzdi2(uint64_t x) { return clz64(x); }
int __clzsi2(uint32_t x) { return clz64(x) - 32; }
int __ffsdi2(uint64_t x) { return x ? __ctzdi2(x) + 1 : 0; }
int __paritydi2(uint64_t x) { return __popcountdi2(x) & 1; }
#endif
