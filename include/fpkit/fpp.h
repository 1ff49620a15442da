/* fpp: the client SDK for fault proof programs (sdk/README.md).
 *
 * One program source builds for two targets with sdk/fpkit-cc: MIPS64 big-endian for the VM (Cannon's
 * n64 syscalls) and native x86-64 Linux. Both are freestanding: the SDK supplies start-up code, raw
 * syscalls, a heap, the mem and str functions the compiler calls, formatted output, Keccak-256, SHA-256
 * and the preimage client (fds 3..6, preimage.md §1).
 *
 * A program defines `int main(void)`. Before main runs the heap and the preimage client are ready.
 * Exit codes follow the fault-proof convention: 0 = the claim holds, 1 = it does not, anything else
 * (2 from fpp_panic) = the program failed and proves nothing. Returning from main exits with its value.
 *
 * Every fpp_get* / fpp_boot* call either returns the data or ends the program through fpp_panic: a
 * missing preimage must never turn into a verdict (preimage.md §4.6).
 * Pointers are non-NULL unless a comment says otherwise. Single-threaded. */
#ifndef FPKIT_FPP_H
#define FPKIT_FPP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fpkit/keccak.h"
#include "fpkit/preimage.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FPP_NORETURN __attribute__((noreturn))

/* ---- Raw syscalls (Linux numbering of the target: n64 5000+ on MIPS64, x86-64 on native).
 * Return the result, or -errno on failure (MIPS: $a3 != 0 means $v0 holds errno). */
long fpp_sys_read(int fd, void *buf, size_t len);
long fpp_sys_write(int fd, const void *buf, size_t len);
/* Anonymous private read/write mapping of len bytes; returns the address or NULL. */
void *fpp_sys_mmap(size_t len);
FPP_NORETURN void fpp_sys_exit(int code); /* exit_group */

/* Write all len bytes (loops over short writes). FPK_OK or FPK_EIO. */
int fpp_write_all(int fd, const void *buf, size_t len);

/* ---- Exit with a verdict. */
FPP_NORETURN void fpp_exit(int code);
/* 0 if ok (the claim holds), 1 otherwise. */
FPP_NORETURN void fpp_claim(bool ok);
/* "panic: <message>" on stderr, exit code 2. */
FPP_NORETURN void fpp_panic(const char *fmt, ...) FPK_PRINTF(1, 2);

/* ---- Heap: anonymous mappings (64 MiB at start-up, then growing geometrically), power-of-two size
 * classes with free lists. 16-byte aligned. fpp_malloc returns NULL only when no more memory can be
 * mapped. The standard names (malloc, free, calloc, realloc) are provided too. */
void *fpp_malloc(size_t n);
void *fpp_calloc(size_t n, size_t size);
void *fpp_realloc(void *p, size_t n);
void fpp_free(void *p); /* p may be NULL */
/* Like fpp_malloc but panics instead of returning NULL. */
void *fpp_xmalloc(size_t n);
/* Hand the allocator its region (start-up does this; tests may call it with their own buffer). */
void fpp_heap_init(void *base, size_t size);
/* Where more regions come from when the current one is full: grow(need) returns a region of *got >=
 * need bytes, or NULL. No hook (the default) = no growth. */
void fpp_heap_set_grow(void *(*grow)(size_t need, size_t *got));
/* Bytes handed out from the regions so far (high-water mark, not live bytes). */
size_t fpp_heap_used(void);

/* ---- Memory and strings (the compiler may also call memcpy/memmove/memset/memcmp, provided). */
void *fpp_memcpy(void *dst, const void *src, size_t n);
void *fpp_memmove(void *dst, const void *src, size_t n);
void *fpp_memset(void *dst, int c, size_t n);
int fpp_memcmp(const void *a, const void *b, size_t n);
size_t fpp_strlen(const char *s);
size_t fpp_strnlen(const char *s, size_t max);
int fpp_strcmp(const char *a, const char *b);
int fpp_strncmp(const char *a, const char *b, size_t n);
char *fpp_strchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates (if size > 0); returns strlen(src). */
size_t fpp_strlcpy(char *dst, const char *src, size_t size);

#if !__STDC_HOSTED__
/* Freestanding programs get the standard names too (the SDK defines them; hosted code has libc's). */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);
#endif

/* ---- Formatted output. Conversions: %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '+' ' ', width and
 * precision (also '*'), length modifiers hh h l ll z j t, '#' for x/X/o. No floating point.
 * Return value as C's snprintf: the length the full output would have. */
int fpp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fpp_snprintf(char *buf, size_t size, const char *fmt, ...) FPK_PRINTF(3, 4);
int fpp_printf(const char *fmt, ...) FPK_PRINTF(1, 2);  /* stdout */
int fpp_eprintf(const char *fmt, ...) FPK_PRINTF(1, 2); /* stderr */
int fpp_puts(const char *s);                            /* s + "\n" on stdout */
/* Lowercase hex of len bytes into out (2*len + 1 bytes, NUL-terminated); returns out. */
char *fpp_hex(char *out, const void *data, size_t len);

/* ---- SHA-256: src/common/sha256.c, the host's own portable code, compiled freestanding (keccak likewise is
 * fpk_keccak* from keccak.h). */
typedef fpk_sha256_ctx fpp_sha256_ctx;
static inline void fpp_sha256_init(fpp_sha256_ctx *c) { fpk_sha256_init(c); }
static inline void fpp_sha256_update(fpp_sha256_ctx *c, const void *data, size_t len) { fpk_sha256_update(c, data, len); }
static inline void fpp_sha256_final(fpp_sha256_ctx *c, uint8_t out[32]) { fpk_sha256_final(c, out); }
static inline void fpp_sha256(uint8_t out[32], const void *data, size_t len) {
  fpp_sha256_ctx c;
  fpk_sha256_init(&c);
  fpk_sha256_update(&c, data, len);
  fpk_sha256_final(&c, out);
}

/* ---- Preimage oracle (fds 3..6 through raw syscalls). */
pre_client *fpp_oracle(void);
/* Send one hint. fpp_hintf formats it; fpp_hint_hex sends "<type> 0x<hex of data>". */
void fpp_hint(const char *hint);
void fpp_hintf(const char *fmt, ...) FPK_PRINTF(1, 2);
void fpp_hint_hex(const char *type, const void *data, size_t len);
/* The whole preimage of key, in a fresh heap block (NUL-terminated one byte past *len; free with
 * fpp_free). len may be NULL. */
uint8_t *fpp_get(const uint8_t key[32], size_t *len);
/* Exactly want bytes into buf; panics if the preimage has another length. */
void fpp_get_exact(const uint8_t key[32], void *buf, size_t want);
/* Preimage of a keccak256 / sha256 hash (key type 2 / 4). The data is checked against the hash. */
uint8_t *fpp_get_keccak(const uint8_t hash[32], size_t *len);
uint8_t *fpp_get_sha256(const uint8_t hash[32], size_t *len);

/* ---- Boot info: local keys (preimage.md §3). */
uint8_t *fpp_boot_bytes(uint64_t idx, size_t *len); /* whole value, heap block as fpp_get */
uint64_t fpp_boot_u64(uint64_t idx);                 /* value must be exactly 8 bytes, big-endian */
void fpp_boot_hash(uint64_t idx, uint8_t out[32]);   /* value must be exactly 32 bytes */

/* Big-endian helpers for programs (the same as fpk_be64 / fpk_put_be64). */
static inline uint64_t fpp_be64(const uint8_t *p) { return fpk_be64(p); }
static inline void fpp_put_be64(uint8_t *p, uint64_t v) { fpk_put_be64(p, v); }

#ifdef __cplusplus
}
#endif
#endif
