/* Freestanding runtime for the test guests (see rt.h). Built with -fno-tree-loop-distribute-patterns so
 * memset/memcpy below are not turned back into calls to themselves. */
#include "rt.h"

#include <stdarg.h>

int rt_argc;
char **rt_argv, **rt_envp;

/* n64: number in $v0, args $a0..$a5 ($4..$9); error flag in $a3. $1, $3, $10-$15, $24, $25, hi, lo may
 * be clobbered by Linux; Cannon touches only $v0/$a3, which is a subset. */
long rt_syscall6(long n, long a, long b, long c, long d, long e, long f) {
  register long v0 __asm__("$2") = n;
  register long a0 __asm__("$4") = a;
  register long a1 __asm__("$5") = b;
  register long a2 __asm__("$6") = c;
  register long a3 __asm__("$7") = d;
  register long a4 __asm__("$8") = e;
  register long a5 __asm__("$9") = f;
  __asm__ volatile("syscall"
                   : "+r"(v0), "+r"(a3)
                   : "r"(a0), "r"(a1), "r"(a2), "r"(a4), "r"(a5)
                   : "memory", "$1", "$3", "$10", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo");
  return a3 ? -v0 : v0;
}

long rt_write(int fd, const void *buf, usize n) {
  const u8 *p = buf;
  usize done = 0;
  while (done < n) {
    long r = rt_sys3(SYS_write, fd, (long)(p + done), (long)(n - done));
    if (r < 0) return r;
    if (r == 0) break;
    done += (usize)r;
  }
  return (long)done;
}

long rt_read(int fd, void *buf, usize n) { return rt_sys3(SYS_read, fd, (long)buf, (long)n); }

long rt_read_full(int fd, void *buf, usize n) {
  u8 *p = buf;
  usize done = 0;
  while (done < n) {
    long r = rt_read(fd, p + done, n - done);
    if (r < 0) return r;
    if (r == 0) break;
    done += (usize)r;
  }
  return (long)done;
}

void *rt_mmap(void *hint, usize len) {
  /* PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS (0x2|0x800 on MIPS), fd -1. */
  return (void *)rt_syscall6(SYS_mmap, (long)hint, (long)len, 3, 0x802, -1, 0);
}

long rt_futex_wait(volatile u32 *addr, u32 val) { return rt_syscall6(SYS_futex, (long)addr, 128, val, 0, 0, 0); }
long rt_futex_wake(volatile u32 *addr, int n) { return rt_syscall6(SYS_futex, (long)addr, 129, n, 0, 0, 0); }

void rt_exit_group(int code) {
  rt_flush();
  for (;;) rt_sys1(SYS_exit_group, code);
}

void rt_exit_thread(int code) {
  for (;;) rt_sys1(SYS_exit, code);
}

void *memcpy(void *d, const void *s, usize n) {
  u8 *dp = d;
  const u8 *sp = s;
  while (n--) *dp++ = *sp++;
  return d;
}

void *memmove(void *d, const void *s, usize n) {
  u8 *dp = d;
  const u8 *sp = s;
  if (dp < sp) {
    while (n--) *dp++ = *sp++;
  } else {
    while (n--) dp[n] = sp[n];
  }
  return d;
}

void *memset(void *d, int c, usize n) {
  u8 *dp = d;
  while (n--) *dp++ = (u8)c;
  return d;
}

int memcmp(const void *a, const void *b, usize n) {
  const u8 *x = a, *y = b;
  for (usize i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

usize rt_strlen(const char *s) {
  usize n = 0;
  while (s[n]) n++;
  return n;
}

/* ---- printf */

typedef struct {
  int fd;
  char buf[1024];
  usize n;
} outbuf;

static outbuf out_stdout = {1, {0}, 0};

static void ob_flush(outbuf *o) {
  if (o->n) rt_write(o->fd, o->buf, o->n);
  o->n = 0;
}

static void ob_putc(outbuf *o, char c) {
  if (o->n == sizeof o->buf) ob_flush(o);
  o->buf[o->n++] = c;
}

static void ob_pad(outbuf *o, char c, int n) {
  while (n-- > 0) ob_putc(o, c);
}

static void ob_num(outbuf *o, u64 v, int neg, unsigned base, int upper, int width, int zero, int left) {
  char tmp[24];
  int len = 0;
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[len++] = digits[v % base];
    v /= base;
  } while (v);
  int total = len + (neg ? 1 : 0);
  if (!left && !zero) ob_pad(o, ' ', width - total);
  if (neg) ob_putc(o, '-');
  if (!left && zero) ob_pad(o, '0', width - total);
  while (len) ob_putc(o, tmp[--len]);
  if (left) ob_pad(o, ' ', width - total);
}

static void ob_vprintf(outbuf *o, const char *fmt, va_list ap) {
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') {
      ob_putc(o, *p);
      continue;
    }
    p++;
    int zero = 0, left = 0, width = 0, lng = 0;
    for (;; p++) {
      if (*p == '0') zero = 1;
      else if (*p == '-') left = 1;
      else break;
    }
    while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    while (*p == 'l' || *p == 'z') {
      lng = 1;
      p++;
    }
    switch (*p) {
    case 'd':
    case 'i': {
      i64 v = lng ? va_arg(ap, long) : va_arg(ap, int);
      u64 m = v < 0 ? 0 - (u64)v : (u64)v;
      ob_num(o, m, v < 0, 10, 0, width, zero, left);
      break;
    }
    case 'u':
    case 'x':
    case 'X': {
      u64 v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
      ob_num(o, v, 0, *p == 'u' ? 10 : 16, *p == 'X', width, zero, left);
      break;
    }
    case 'p':
      ob_putc(o, '0');
      ob_putc(o, 'x');
      ob_num(o, (u64)va_arg(ap, void *), 0, 16, 0, width, zero, left);
      break;
    case 'c':
      ob_putc(o, (char)va_arg(ap, int));
      break;
    case 's': {
      const char *s = va_arg(ap, const char *);
      if (!s) s = "(null)";
      int len = (int)rt_strlen(s);
      if (!left) ob_pad(o, ' ', width - len);
      while (*s) ob_putc(o, *s++);
      if (left) ob_pad(o, ' ', width - len);
      break;
    }
    case '%':
      ob_putc(o, '%');
      break;
    default:
      ob_putc(o, '?');
      if (!*p) return;
      break;
    }
  }
}

void rt_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  ob_vprintf(&out_stdout, fmt, ap);
  va_end(ap);
}

void rt_eprintf(const char *fmt, ...) {
  /* stderr goes out per call so its order against stdout is deterministic for one thread. */
  outbuf o;
  o.fd = 2;
  o.n = 0;
  rt_flush();
  va_list ap;
  va_start(ap, fmt);
  ob_vprintf(&o, fmt, ap);
  va_end(ap);
  ob_flush(&o);
}

void rt_flush(void) { ob_flush(&out_stdout); }

__attribute__((noreturn, used)) void rt_start(long argc, char **argv, char **envp);
void rt_start(long argc, char **argv, char **envp) {
  rt_argc = (int)argc;
  rt_argv = argv;
  rt_envp = envp;
  rt_exit_group(main((int)argc, argv, envp));
}
