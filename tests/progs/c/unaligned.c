/* Unaligned loads and stores: packed-struct fields at every byte offset make GCC emit the
 * lwl/lwr, ldl/ldr, swl/swr and sdl/sdr pairs (plus lh/lhu/sh byte sequences), whose byte-merging rules
 * are the trickiest part of Cannon's ISA (cannon.md §4.4). Exit 0 when every round trip holds. */
#include "rt.h"

struct __attribute__((packed)) p16 { u8 pad; u16 v; };
struct __attribute__((packed)) p32 { u8 pad; u32 v; };
struct __attribute__((packed)) p64 { u8 pad; u64 v; };
struct __attribute__((packed)) pi32 { u8 pad; i32 v; };

static u8 buf[64] __attribute__((aligned(16)));
static int failures;

static void fill(void) {
  for (int i = 0; i < 64; i++) buf[i] = (u8)(0x11 * (i + 1) ^ (i << 5));
}

static u64 ref_be(const u8 *p, int n) {
  u64 v = 0;
  for (int i = 0; i < n; i++) v = v << 8 | p[i];
  return v;
}

static void check(const char *what, int off, u64 got, u64 want) {
  rt_printf("%s off %d: %016lx\n", what, off, got);
  if (got != want) {
    rt_printf("  MISMATCH want %016lx\n", want);
    failures++;
  }
}

static u32 sum_bytes(void) {
  u32 s = 0;
  for (int i = 0; i < 64; i++) s = s * 131 + buf[i];
  return s;
}

int main(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  for (int off = 0; off < 16; off++) {
    int o = RT_OPAQUE(off);
    fill();
    u8 *base = buf + o; /* field sits at base+1 */
    check("ld16", off, ((struct p16 *)base)->v, ref_be(base + 1, 2));
    check("ld32", off, ((struct p32 *)base)->v, ref_be(base + 1, 4));
    check("ld32s", off, (u64)(i64)((struct pi32 *)base)->v, (u64)(i64)(i32)ref_be(base + 1, 4));
    check("ld64", off, ((struct p64 *)base)->v, ref_be(base + 1, 8));

    u64 pattern = 0x0102030405060708ul * (u64)(off + 1);
    ((struct p64 *)base)->v = RT_OPAQUE(pattern);
    check("st64", off, ref_be(base + 1, 8), pattern);
    check("st64 keeps before", off, base[0], (u8)(0x11 * (o + 1) ^ (o << 5)));
    check("st64 keeps after", off, base[9], (u8)(0x11 * (o + 10) ^ ((o + 9) << 5)));
    ((struct p32 *)base)->v = RT_OPAQUE((u32)(0xdeadbeef ^ (u32)off));
    check("st32", off, ref_be(base + 1, 4), (u32)(0xdeadbeef ^ (u32)off));
    check("st32 keeps tail", off, ref_be(base + 5, 4), (u32)(pattern));
    ((struct p16 *)base)->v = RT_OPAQUE((u16)(0xa55a + off));
    check("st16", off, ref_be(base + 1, 2), (u16)(0xa55a + off));

    /* memcpy with a constant size is expanded inline to the same unaligned instructions. */
    u64 w;
    __builtin_memcpy(&w, buf + o + 3, 8);
    check("memcpy in", off, w, ref_be(buf + o + 3, 8));
    u32 h = RT_OPAQUE(0xcafef00du);
    __builtin_memcpy(buf + o + 2, &h, 4);
    check("memcpy out", off, ref_be(buf + o + 2, 4), 0xcafef00du);
    rt_printf("bytes %08x\n", sum_bytes());
  }

  /* The raw instructions one at a time, so each merge rule is seen on its own (including lwr's upper
   * word, where GCC never relies on the result). */
  fill();
  for (int k = 0; k < 8; k++) {
    u64 rt = RT_OPAQUE(0x1122334455667788ul), r;
    const u8 *p = buf + 8 + k;
    __asm__ volatile("ldl %0, 0(%1)" : "=r"(r) : "r"(p), "0"(rt) : "memory");
    rt_printf("ldl k=%d %016lx\n", k, r);
    __asm__ volatile("ldr %0, 0(%1)" : "=r"(r) : "r"(p), "0"(rt) : "memory");
    rt_printf("ldr k=%d %016lx\n", k, r);
    __asm__ volatile("lwl %0, 0(%1)" : "=r"(r) : "r"(p), "0"(rt) : "memory");
    rt_printf("lwl k=%d %016lx\n", k, r);
    __asm__ volatile("lwl %0, 0(%1)\n\tlwr %0, 3(%1)" : "=r"(r) : "r"(p), "0"(rt) : "memory");
    rt_printf("lwl+lwr k=%d %016lx\n", k, r);
    __asm__ volatile("ldl %0, 0(%1)\n\tldr %0, 7(%1)" : "=r"(r) : "r"(p), "0"(rt) : "memory");
    check("ldl+ldr", k, r, ref_be(p, 8));
  }
  for (int k = 0; k < 8; k++) {
    u64 v = RT_OPAQUE(0x8899aabbccddeefful);
    fill();
    u8 *p = buf + 16 + k;
    __asm__ volatile("sdl %0, 0(%1)" : : "r"(v), "r"(p) : "memory");
    rt_printf("sdl k=%d %016lx %016lx\n", k, ref_be(buf + 16, 8), ref_be(buf + 24, 8));
    fill();
    __asm__ volatile("sdr %0, 0(%1)" : : "r"(v), "r"(p) : "memory");
    rt_printf("sdr k=%d %016lx %016lx\n", k, ref_be(buf + 16, 8), ref_be(buf + 24, 8));
    fill();
    __asm__ volatile("swl %0, 0(%1)" : : "r"(v), "r"(p) : "memory");
    rt_printf("swl k=%d %016lx %016lx\n", k, ref_be(buf + 16, 8), ref_be(buf + 24, 8));
    fill();
    __asm__ volatile("swr %0, 0(%1)" : : "r"(v), "r"(p) : "memory");
    rt_printf("swr k=%d %016lx %016lx\n", k, ref_be(buf + 16, 8), ref_be(buf + 24, 8));
    fill();
    __asm__ volatile("sdl %0, 0(%1)\n\tsdr %0, 7(%1)" : : "r"(v), "r"(p) : "memory");
    check("sdl+sdr", k, ref_be(p, 8), v);
  }
  rt_printf("unaligned: %s (%d failures)\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
