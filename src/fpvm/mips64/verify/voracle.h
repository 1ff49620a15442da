/* readPreimage(key, offset) answered from the caller's recorded oracle data (see voracle.c). */
#ifndef FPVM_VERIFY_VORACLE_H
#define FPVM_VERIFY_VORACLE_H

#include "vm.h"

/* dat = the 32-byte part at offset (zero past the end), *dat_len = min(32, 8 + len - offset).
 * FPK_EPROOF "pre-image must exist" where the real oracle cannot hold the part; FPK_ENOTFOUND when no
 * oracle data was given; FPK_EINVAL when it is for another key/offset or its length prefix is wrong;
 * FPK_EVERIFY when the value cannot belong to the key. */
FPK_NODISCARD int vm_oracle_read(vm_ctx *c, const uint8_t key[32], uint64_t offset, uint8_t dat[32],
                                 uint64_t *dat_len);

#endif
