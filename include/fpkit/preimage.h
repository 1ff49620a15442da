/* libpreimage: the Preimage ABI (../shared/docs/preimage.md). Key types, wire framing for both roles.
 * The client half (this header's pre_client_* / pre_hint / pre_get*) builds freestanding: it does its I/O
 * through the callbacks in pre_io, so the SDK plugs in raw syscalls and the host plugs in read(2)/write(2). */
#ifndef FPKIT_PREIMAGE_H
#define FPKIT_PREIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fpkit/fpk.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  PRE_KEY_LOCAL = 1,
  PRE_KEY_KECCAK256 = 2,
  PRE_KEY_GLOBAL_GENERIC = 3, /* rejected by hosts */
  PRE_KEY_SHA256 = 4,
  PRE_KEY_BLOB = 5,
  PRE_KEY_PRECOMPILE = 6
};

/* The four fds, seen from either side (client: reads 3/5, writes 4/6; server: reads 3/5, writes 4/6
 * of its own set — the spawner cross-connects them). */
enum { PRE_FD_HINT_READ = 3, PRE_FD_HINT_WRITE = 4, PRE_FD_PREIMAGE_READ = 5, PRE_FD_PREIMAGE_WRITE = 6 };

/* I/O callbacks: return bytes transferred (>0), 0 on EOF, negative on error. Short counts are normal. */
typedef struct {
  void *ctx;
  long (*read)(void *ctx, int fd, void *buf, size_t len);
  long (*write)(void *ctx, int fd, const void *buf, size_t len);
} pre_io;

typedef struct {
  pre_io io;
  int hint_r, hint_w, pre_r, pre_w; /* 3, 4, 5, 6 by default */
} pre_client;

/* Key construction. */
void pre_key_local(uint8_t key[32], uint64_t index);                 /* 0x01 ‖ 23×0 ‖ u64be(index) */
void pre_key_from_hash(uint8_t key[32], uint8_t type, const uint8_t hash[32]); /* hash with byte0 := type */
void pre_key_keccak256(uint8_t key[32], const void *data, size_t len);

/* Client API. */
void pre_client_init(pre_client *c, const pre_io *io); /* fds 3..6 */
/* Send one hint (u32be len ‖ bytes on hint_w) and wait for the 1-byte ack on hint_r. */
FPK_NODISCARD int pre_hint(pre_client *c, const void *hint, size_t len);
/* Write the key and read the u64be length. Then read exactly *len bytes with pre_get_read. */
FPK_NODISCARD int pre_get_begin(pre_client *c, const uint8_t key[32], uint64_t *len);
FPK_NODISCARD int pre_get_read(pre_client *c, void *buf, size_t len);
/* Whole preimage into buf (cap bytes). FPK_ERANGE (after draining the stream) if it does not fit. */
FPK_NODISCARD int pre_get(pre_client *c, const uint8_t key[32], void *buf, size_t cap, size_t *len);
FPK_NODISCARD int pre_get_local(pre_client *c, uint64_t index, void *buf, size_t cap, size_t *len);

/* ---- Key validation and verification (host side; links the SHA-256 glue). ---- */

/* The longest hint and the longest preimage a server accepts / a host serves. A length prefix above these is
 * treated as a protocol error (the stream cannot be trusted after it). */
#define PRE_HINT_MAX ((uint32_t)64 << 20)
#define PRE_PREIMAGE_MAX ((uint64_t)1 << 32)

void pre_key_sha256(uint8_t key[32], const void *data, size_t len); /* sha256(data) with byte0 := 4 */
/* FPK_OK for key types 1, 2, 4, 5, 6; FPK_EUNSUPPORTED for 0, 3 (global generic) and 7..255. */
FPK_NODISCARD int pre_key_check(const uint8_t key[32]);
/* Does data belong to key? Keccak256 and SHA-256 keys are hashed and compared (FPK_EVERIFY on mismatch);
 * local, blob and precompile keys cannot be checked here and pass; other types give FPK_EUNSUPPORTED. */
FPK_NODISCARD int pre_verify(const uint8_t key[32], const void *data, size_t len);
/* "keccak256", "sha256", ... for messages; "invalid" for rejected types. */
const char *pre_key_type_name(uint8_t type);

/* ---- Hint text: "<type> <data>", split on the first space; data is 0x-prefixed even-length hex. ---- */
typedef struct {
  const char *type; /* points into the hint; not NUL-terminated */
  size_t type_len;
  const char *data_hex; /* points after the space (may be empty); NULL if the hint has no space */
  size_t data_hex_len;
} pre_hint_parts;
/* Split only; FPK_EFORMAT for an empty type or bytes < 0x20 / 0x7f in it. */
FPK_NODISCARD int pre_hint_split(pre_hint_parts *out, const char *hint, size_t len);
/* Decode the data part: requires "0x", even length; out gets (data_hex_len-2)/2 bytes (cap must allow).
 * Returns the byte count or FPK_EFORMAT / FPK_ERANGE. */
FPK_NODISCARD long pre_hint_data(uint8_t *out, size_t cap, const pre_hint_parts *p);

/* ---- Server role: the mirror image of the client, over any pair of fd pairs. ---- */
typedef struct {
  pre_io io;
  int hint_r, hint_w, pre_r, pre_w; /* 3, 4, 5, 6 by default (the server's own fds) */
} pre_server;

void pre_server_init(pre_server *s, const pre_io *io);
/* Read one hint: u32be len then len bytes into a malloc'd buffer (*hint, NUL-terminated for convenience;
 * caller frees). Does NOT ack: call pre_server_ack after routing, also when routing failed.
 * FPK_ECLOSED: EOF before the first length byte (clean close). FPK_ETRUNC: EOF inside the message.
 * FPK_ERANGE: len > PRE_HINT_MAX (nothing more is read). FPK_EIO / FPK_ENOMEM otherwise. */
FPK_NODISCARD int pre_server_read_hint(pre_server *s, char **hint, size_t *len);
FPK_NODISCARD int pre_server_ack(pre_server *s);
/* Read one 32-byte key. FPK_ECLOSED at a clean boundary, FPK_ETRUNC for a partial key. */
FPK_NODISCARD int pre_server_read_key(pre_server *s, uint8_t key[32]);
/* Write u64be(len) ‖ data. */
FPK_NODISCARD int pre_server_write(pre_server *s, const void *data, size_t len);

/* A pre_io over read(2)/write(2) that retries EINTR unless *stop (may be NULL) became non-zero. */
typedef struct {
  volatile int *stop;
} pre_fdio_ctx;
void pre_io_fd(pre_io *io, pre_fdio_ctx *ctx);

/* Low-level loops shared by both roles: transfer exactly len bytes.
 * read: FPK_ECLOSED if EOF before the first byte, FPK_ETRUNC if EOF later, FPK_EIO on error. */
FPK_NODISCARD int pre_read_full(const pre_io *io, int fd, void *buf, size_t len);
FPK_NODISCARD int pre_write_full(const pre_io *io, int fd, const void *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
