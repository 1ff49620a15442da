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

#ifdef __cplusplus
}
#endif
#endif
