/* Memory and string functions under fpp_ names (hosted tests link these beside libc). The standard
 * names the compiler emits calls to are aliases in libc_names.c. Built with
 * -fno-tree-loop-distribute-patterns so gcc does not turn these loops back into calls to themselves. */
#include "fpkit/fpp.h"

/* Aligned word access that may alias any object type (the callers checked the alignment). */
typedef uint64_t __attribute__((may_alias)) word_t;

void *fpp_memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  /* Word copies when both pointers share alignment: the VM charges one step per instruction. */
  if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
    while (n && ((uintptr_t)d & 7)) { *d++ = *s++; n--; }
    for (; n >= 8; n -= 8, d += 8, s += 8) *(word_t *)(void *)d = *(const word_t *)(const void *)s;
  }
  while (n--) *d++ = *s++;
  return dst;
}

void *fpp_memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst;
  const uint8_t *s = src;
  if (d == s || n == 0) return dst;
  if ((uintptr_t)d < (uintptr_t)s || (uintptr_t)d >= (uintptr_t)s + n) return fpp_memcpy(dst, src, n);
  while (n--) d[n] = s[n]; /* overlapping with dst above src: copy backwards */
  return dst;
}

void *fpp_memset(void *dst, int c, size_t n) {
  uint8_t *d = dst;
  uint8_t b = (uint8_t)c;
  while (n && ((uintptr_t)d & 7)) { *d++ = b; n--; }
  uint64_t w = 0x0101010101010101ull * b;
  for (; n >= 8; n -= 8, d += 8) *(word_t *)(void *)d = w;
  while (n--) *d++ = b;
  return dst;
}

int fpp_memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

size_t fpp_strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

size_t fpp_strnlen(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

int fpp_strcmp(const char *a, const char *b) {
  const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
  while (*x && *x == *y) { x++; y++; }
  return *x == *y ? 0 : (*x < *y ? -1 : 1);
}

int fpp_strncmp(const char *a, const char *b, size_t n) {
  const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
  for (; n; n--, x++, y++) {
    if (*x != *y) return *x < *y ? -1 : 1;
    if (!*x) return 0;
  }
  return 0;
}

char *fpp_strchr(const char *s, int c) {
  char ch = (char)c;
  for (;; s++) {
    if (*s == ch) return (char *)s;
    if (!*s) return NULL;
  }
}

size_t fpp_strlcpy(char *dst, const char *src, size_t size) {
  size_t n = fpp_strlen(src);
  if (size) {
    size_t k = n < size - 1 ? n : size - 1;
    fpp_memcpy(dst, src, k);
    dst[k] = 0;
  }
  return n;
}
