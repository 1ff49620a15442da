/* mmap (address 0 and with a hint), munmap/mprotect as no-ops, brk queries. Cannon hands out its own
 * heap (cannon.md §5.2) and Linux its own addresses, so only properties both must satisfy are printed. */
#include "rt.h"

static int failures;

static void expect(const char *what, int ok) {
  rt_printf("%-40s %s\n", what, ok ? "yes" : "NO");
  if (!ok) failures++;
}

static int is_err(void *p) { return (unsigned long)p >= (unsigned long)-4095; }

int main(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  usize len1 = 100000, len2 = 3 * 4096;
  u8 *a = rt_mmap(0, len1);
  u8 *b = rt_mmap(0, len2);
  expect("mmap(0) succeeds", !is_err(a) && !is_err(b));
  expect("mmap(0) page aligned", ((u64)a & 4095) == 0 && ((u64)b & 4095) == 0);
  expect("mmap(0) regions disjoint", a + len1 <= b || b + len2 <= a);
  int zero = 1;
  for (usize i = 0; i < len1; i += 97) zero &= a[i] == 0;
  expect("fresh mapping reads zero", zero);
  for (usize i = 0; i < len1; i++) a[i] = (u8)(i * 7 + (i >> 9));
  for (usize i = 0; i < len2; i++) b[i] = (u8)~i;
  u64 sum = 0;
  for (usize i = 0; i < len1; i++) sum = sum * 33 + a[i];
  for (usize i = 0; i < len2; i++) sum = sum * 33 + b[i];
  rt_printf("pattern sum %016lx\n", sum);

  /* A hint in a range neither Linux nor Cannon's heap uses; both return it. */
  u8 *hint = (u8 *)0x5a0000000000ul;
  u8 *h = rt_mmap(hint, 2 * 4096);
  expect("mmap(hint) returns the hint", h == hint);
  if (h == hint) {
    h[0] = 1;
    h[8191] = 2;
    expect("hinted region writable", h[0] + h[8191] == 3);
  }

  /* Large anonymous mapping: only touch its ends. */
  u8 *big = rt_mmap(0, 64ul << 20);
  expect("64 MiB mmap(0) succeeds", !is_err(big));
  if (!is_err(big)) {
    big[0] = 0x5a;
    big[(64ul << 20) - 1] = 0xa5;
    expect("64 MiB ends writable", big[0] == 0x5a && big[(64ul << 20) - 1] == 0xa5);
  }

  expect("mprotect returns 0", rt_sys3(SYS_mprotect, (long)b, 4096, 3) == 0);
  long br1 = rt_sys1(SYS_brk, 0), br2 = rt_sys1(SYS_brk, 0);
  expect("brk(0) positive", br1 > 0);
  expect("brk(0) stable", br1 == br2);
  expect("munmap returns 0", rt_sys2(SYS_munmap, (long)b, len2) == 0);
  expect("munmap 64 MiB returns 0", rt_sys2(SYS_munmap, (long)big, 64ul << 20) == 0);

  /* Allocate many small regions like a bump allocator would. */
  u64 last = 0;
  int ok = 1;
  for (int i = 0; i < 64; i++) {
    u8 *p = rt_mmap(0, 4096 + (usize)i * 100);
    ok &= !is_err(p) && ((u64)p & 4095) == 0;
    if (!is_err(p)) {
      p[0] = (u8)i;
      ok &= (u64)p != last;
      last = (u64)p;
    }
  }
  expect("64 small mappings distinct", ok);
  rt_printf("mem: %s (%d failures)\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
