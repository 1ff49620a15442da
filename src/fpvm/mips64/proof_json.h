/* Cannon's `run --proof-at` proof file (cannon.md §3.2): Go encoding/json with 2-space indent, keys
 * step, pre, post, state-data, proof-data, oracle-key, oracle-value, oracle-offset. The oracle fields
 * appear only when a preimage was read in the step with a non-zero key; oracle-value only when
 * non-empty, oracle-offset only when non-zero (Go's omitempty). Cannon's writer ends the text with two
 * newlines (the encoder's and one more); so does this. */
#ifndef FPVM_MIPS64_PROOF_JSON_H
#define FPVM_MIPS64_PROOF_JSON_H

#include "fpkit/mips64.h"

/* The JSON text for the step whose pre-state step number is `step`. *out malloc'd, NUL-terminated,
 * *len excludes the NUL. FPK_ENOMEM. */
FPK_NODISCARD int fpvm_mips64_proof_json(const fpvm_mips64_proof *p, uint64_t step, char **out, size_t *len);

/* Write it to path: "" = nowhere, "-" = stdout, else atomically (mode 0755; gzip if it ends in .gz). */
FPK_NODISCARD int fpvm_mips64_proof_write_json(const fpvm_mips64_proof *p, uint64_t step, const char *path);

#endif
