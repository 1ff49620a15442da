/* The standard names: gcc emits calls to memcpy/memmove/memset/memcmp even with -ffreestanding, and
 * ported code expects malloc/free and the str* functions. Only freestanding builds link this file. */
#include "fpkit/fpp.h"

int bcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n) { return fpp_memcpy(dst, src, n); }
void *memmove(void *dst, const void *src, size_t n) { return fpp_memmove(dst, src, n); }
void *memset(void *dst, int c, size_t n) { return fpp_memset(dst, c, n); }
int memcmp(const void *a, const void *b, size_t n) { return fpp_memcmp(a, b, n); }
int bcmp(const void *a, const void *b, size_t n) { return fpp_memcmp(a, b, n); }
size_t strlen(const char *s) { return fpp_strlen(s); }
int strcmp(const char *a, const char *b) { return fpp_strcmp(a, b); }
int strncmp(const char *a, const char *b, size_t n) { return fpp_strncmp(a, b, n); }
char *strchr(const char *s, int c) { return fpp_strchr(s, c); }
void *malloc(size_t n) { return fpp_malloc(n); }
void *calloc(size_t n, size_t size) { return fpp_calloc(n, size); }
void *realloc(void *p, size_t n) { return fpp_realloc(p, n); }
void free(void *p) { fpp_free(p); }
