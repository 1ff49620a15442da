/* Start-up, exit codes and console output. _start (start_<arch>.S) calls fpp_start_c with the initial
 * stack pointer; the heap and the oracle are set up before main. */
#include "fpkit/fpp.h"

int main(void);
void fpp_oracle_setup(void); /* oracle.c */

/* Heap regions come from mmap: 64 MiB first, then at least double the previous one. Mapping one
 * huge region up front (kona's 1 TiB) costs nothing in the VM but makes qemu-user crawl, and regions
 * that grow geometrically waste little: in the VM (cannon.md §5.2) mmap(0) hands out consecutive
 * addresses anyway. */
#define HEAP_FIRST ((size_t)64 << 20)
static size_t heap_last;

static void *heap_grow(size_t need, size_t *got) {
  size_t sz = heap_last ? 2 * heap_last : HEAP_FIRST;
  while (sz < need && sz < ((size_t)1 << 46)) sz *= 2;
  void *p = fpp_sys_mmap(sz);
  if (!p) return NULL;
  heap_last = sz;
  *got = sz;
  return p;
}

static void heap_setup(void) {
  size_t got = 0;
  void *p = heap_grow(HEAP_FIRST, &got);
  if (!p) fpp_panic("heap: mmap of %zu bytes failed", HEAP_FIRST);
  fpp_heap_init(p, got);
  fpp_heap_set_grow(heap_grow);
}

FPP_NORETURN void fpp_start_c(uint64_t *sp);
void fpp_start_c(uint64_t *sp) {
  (void)sp; /* argc/argv/envp are Cannon's fixed values inside the VM: nothing a program should use */
  heap_setup();
  fpp_oracle_setup();
  fpp_exit(main());
}

void fpp_exit(int code) { fpp_sys_exit(code); }

void fpp_claim(bool ok) { fpp_sys_exit(ok ? 0 : 1); }

int fpp_write_all(int fd, const void *buf, size_t len) {
  const uint8_t *p = buf;
  while (len) {
    long n = fpp_sys_write(fd, p, len);
    if (n <= 0) return FPK_EIO;
    p += n;
    len -= (size_t)n;
  }
  return FPK_OK;
}

/* Formats into a stack buffer; longer output goes through the heap so nothing is cut. */
static int vprint(int fd, const char *prefix, const char *fmt, va_list ap) {
  char small[512];
  size_t plen = fpp_strlen(prefix);
  fpp_memcpy(small, prefix, plen);
  va_list ap2;
  va_copy(ap2, ap);
  int n = fpp_vsnprintf(small + plen, sizeof small - plen, fmt, ap);
  char *out = small;
  if ((size_t)n + plen >= sizeof small) {
    char *big = fpp_malloc((size_t)n + plen + 1);
    if (big) {
      fpp_memcpy(big, prefix, plen);
      fpp_vsnprintf(big + plen, (size_t)n + 1, fmt, ap2);
      out = big;
    } else {
      n = (int)(sizeof small - plen - 1);
    }
  }
  va_end(ap2);
  int rc = fpp_write_all(fd, out, plen + (size_t)n);
  if (out != small) fpp_free(out);
  return rc == FPK_OK ? n : -1;
}

int fpp_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprint(1, "", fmt, ap);
  va_end(ap);
  return n;
}

int fpp_eprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprint(2, "", fmt, ap);
  va_end(ap);
  return n;
}

int fpp_puts(const char *s) {
  if (fpp_write_all(1, s, fpp_strlen(s)) != FPK_OK || fpp_write_all(1, "\n", 1) != FPK_OK) return -1;
  return 0;
}

void fpp_panic(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  (void)vprint(2, "panic: ", fmt, ap);
  va_end(ap);
  (void)fpp_write_all(2, "\n", 1);
  fpp_sys_exit(2);
}
