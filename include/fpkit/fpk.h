/* fpkit shared definitions: one error model for every library.
 *
 * A fallible call returns int: FPK_OK (0) or a negative FPK_E* code. A guest outcome (exit, panic,
 * illegal instruction) is VM state, never an FPK_E* code. Codes are never renumbered.
 * Pointers are non-NULL unless a comment says otherwise. */
#ifndef FPKIT_FPK_H
#define FPKIT_FPK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FPK_NODISCARD __attribute__((warn_unused_result))
#define FPK_LIKELY(x) __builtin_expect(!!(x), 1)
#define FPK_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define FPK_NOINLINE __attribute__((noinline))
#define FPK_PRINTF(a, b) __attribute__((format(printf, a, b)))

enum {
  FPK_OK = 0,
  FPK_EINVAL = -1,    /* caller misuse or invalid argument */
  FPK_ENOMEM = -2,    /* allocation failed */
  FPK_EIO = -3,       /* OS-level I/O error (errno in the message) */
  FPK_EFORMAT = -4,   /* malformed input bytes (file, wire message) */
  FPK_ETRUNC = -5,    /* input ended early */
  FPK_EVERSION = -6,  /* unsupported version / type */
  FPK_ENOTFOUND = -7, /* key / symbol / preimage not present */
  FPK_EPROOF = -8,    /* a proof or witness does not verify */
  FPK_ERANGE = -9,    /* value outside the allowed range (addresses, sizes) */
  FPK_ECORRUPT = -10, /* internal check failed; object poisoned */
  FPK_EPANIC = -11,   /* the VM panicked (invalid guest behaviour; no valid post-state) */
  FPK_ECLOSED = -12,  /* peer closed a stream at a message boundary */
  FPK_EVERIFY = -13,  /* a preimage does not hash to its key */
  FPK_EUNSUPPORTED = -14, /* feature or key type not supported */
  FPK_ELAST = -15
};

/* "FPK_EINVAL: invalid argument" etc. Never NULL. */
const char *fpk_strerror(int code);

/* Per-thread detail message of the most recent failure, e.g.
 * "state.bin.gz: field exited: value 2 is not 0 or 1". Empty string when none. */
const char *fpk_errmsg(void);
/* Record a detail message and return code (so `return fpk_errf(FPK_EFORMAT, "...")` works). */
int fpk_errf(int code, const char *fmt, ...) FPK_PRINTF(2, 3);
void fpk_errclear(void);

/* Big-endian helpers: all serialization goes through these, never through struct memcpy. */
static inline uint64_t fpk_be64(const uint8_t *p) {
  return ((uint64_t)p[0] << 56) | ((uint64_t)p[1] << 48) | ((uint64_t)p[2] << 40) | ((uint64_t)p[3] << 32) |
         ((uint64_t)p[4] << 24) | ((uint64_t)p[5] << 16) | ((uint64_t)p[6] << 8) | (uint64_t)p[7];
}
static inline uint32_t fpk_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}
static inline void fpk_put_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--) { p[i] = (uint8_t)v; v >>= 8; }
}
static inline void fpk_put_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#ifdef __cplusplus
}
#endif
#endif
