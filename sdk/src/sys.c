/* Raw Linux syscalls for the two targets. The VM implements the n64 numbers of cannon.md §5.2; on error
 * it sets $a3 != 0 and puts errno in $v0 (the kernel does the same, so the SDK also runs under qemu). */
#include "fpkit/fpp.h"

#if defined(__mips__) && defined(__mips64)

enum { NR_READ = 5000, NR_WRITE = 5001, NR_MMAP = 5009, NR_EXIT_GROUP = 5205 };
enum { PROT_RW = 3, MAP_FLAGS = 0x002 | 0x800 | 0x400 }; /* PRIVATE | ANONYMOUS | NORESERVE (MIPS values) */

static long sys6(long nr, long a, long b, long c, long d, long e, long f) {
  register long v0 __asm__("$2") = nr;
  register long a0 __asm__("$4") = a;
  register long a1 __asm__("$5") = b;
  register long a2 __asm__("$6") = c;
  register long a3 __asm__("$7") = d;
  register long a4 __asm__("$8") = e;
  register long a5 __asm__("$9") = f;
  /* The kernel may clobber the temporaries; the VM writes only $v0 and $a3. */
  __asm__ volatile("syscall"
                   : "+r"(v0), "+r"(a3)
                   : "r"(a0), "r"(a1), "r"(a2), "r"(a4), "r"(a5)
                   : "$1", "$3", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo", "memory");
  return a3 ? -v0 : v0;
}

#elif defined(__x86_64__)

enum { NR_READ = 0, NR_WRITE = 1, NR_MMAP = 9, NR_EXIT_GROUP = 231 };
enum { PROT_RW = 3, MAP_FLAGS = 0x02 | 0x20 | 0x4000 }; /* PRIVATE | ANONYMOUS | NORESERVE */

static long sys6(long nr, long a, long b, long c, long d, long e, long f) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  register long r9 __asm__("r9") = f;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

#else
#error "fpp SDK: unsupported target (mips64 n64 or x86-64 only)"
#endif

long fpp_sys_read(int fd, void *buf, size_t len) { return sys6(NR_READ, fd, (long)buf, (long)len, 0, 0, 0); }

long fpp_sys_write(int fd, const void *buf, size_t len) {
  return sys6(NR_WRITE, fd, (long)buf, (long)len, 0, 0, 0);
}

void *fpp_sys_mmap(size_t len) {
  long r = sys6(NR_MMAP, 0, (long)len, PROT_RW, MAP_FLAGS, -1, 0);
  if (r < 0 && r > -4096) return NULL;
  return (void *)r;
}

void fpp_sys_exit(int code) {
  for (;;) sys6(NR_EXIT_GROUP, code, 0, 0, 0, 0, 0);
}
