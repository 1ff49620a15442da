/* Test-only helpers: turn a step vector from ../shared/vectors/mips64-steps*.json into a pre-state.
 * Header-only (static functions) so the state, engine and verifier tests can share it.
 *
 * Stable API:
 *   json_t *vec_load(dir, file)            whole document (json_decref it); NULL + message on error
 *   json_t *vec_array(doc)                 the "vectors" array (borrowed)
 *   int vec_u64(json_t *j, uint64_t *out)  "0x.."/decimal string or JSON integer; 0 ok, -1 bad
 *   int vec_get_u64(v, key, &out)          same for member `key`
 *   long vec_hex(v, key, out, cap)         hex string member → bytes; byte count or -1
 *   uint8_t *vec_hex_alloc(v, key, &len)   same, malloc'd (free it); NULL if absent/bad
 *   int vec_thread(json_t *t, thread *out) one thread object of pre_threads_left/right
 *   fpvm_mips64_state *vec_build_pre_state(v)
 *       memory from pre_memory_words; threads from pre_threads_left/right (bottom→top) or the single
 *       pre_thread (id 0) of mips64-steps.json; fields from pre_state (missing fields keep the
 *       CreateEmptyState defaults; without pre_state, the scalar fields are taken from pre_witness,
 *       so only memRoot and the stack roots are rebuilt). NULL if the vector has no memory/thread
 *       description. */
#ifndef FPK_TEST_VECTORS_H
#define FPK_TEST_VECTORS_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/hex.h"
#include "fpkit/mips64.h"

static inline json_t *vec_load(const char *dir, const char *file) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", file);
  json_error_t err;
  json_t *doc = json_load_file(path, 0, &err);
  if (!doc) fprintf(stderr, "vec_load: %s: %s (line %d)\n", path, err.text, err.line);
  return doc;
}

static inline json_t *vec_array(json_t *doc) {
  json_t *a = json_is_array(doc) ? doc : json_object_get(doc, "vectors");
  return json_is_array(a) ? a : NULL;
}

static inline int vec_u64(json_t *j, uint64_t *out) {
  if (json_is_integer(j)) {
    *out = (uint64_t)json_integer_value(j);
    return 0;
  }
  if (!json_is_string(j)) return -1;
  const char *s = json_string_value(j);
  char *end = NULL;
  if (!*s) return -1;
  *out = strtoull(s, &end, 0);
  return *end ? -1 : 0;
}

static inline int vec_get_u64(json_t *v, const char *key, uint64_t *out) { return vec_u64(json_object_get(v, key), out); }

static inline long vec_hex(json_t *v, const char *key, uint8_t *out, size_t cap) {
  json_t *j = json_object_get(v, key);
  if (!json_is_string(j)) return -1;
  long n = fpk_hex_decode(out, cap, json_string_value(j), json_string_length(j));
  return n < 0 ? -1 : n;
}

static inline uint8_t *vec_hex_alloc(json_t *v, const char *key, size_t *len) {
  json_t *j = json_object_get(v, key);
  if (!json_is_string(j)) return NULL;
  size_t cap = json_string_length(j) / 2 + 1;
  uint8_t *b = malloc(cap);
  if (!b) return NULL;
  long n = fpk_hex_decode(b, cap, json_string_value(j), json_string_length(j));
  if (n < 0) {
    free(b);
    return NULL;
  }
  *len = (size_t)n;
  return b;
}

static inline int vec_thread(json_t *t, fpvm_mips64_thread *out) {
  uint64_t x;
  memset(out, 0, sizeof *out);
  if (vec_get_u64(t, "id", &out->id) || vec_get_u64(t, "pc", &out->pc) || vec_get_u64(t, "nextPC", &out->next_pc))
    return -1;
  if (!vec_get_u64(t, "exitCode", &x)) out->exit_code = (uint8_t)x;
  if (!vec_get_u64(t, "exited", &x)) out->exited = (uint8_t)x;
  if (vec_get_u64(t, "lo", &out->lo)) out->lo = 0;
  if (vec_get_u64(t, "hi", &out->hi)) out->hi = 0;
  json_t *regs = json_object_get(t, "regs");
  if (json_is_array(regs)) {
    if (json_array_size(regs) != 32) return -1;
    for (size_t i = 0; i < 32; i++)
      if (vec_u64(json_array_get(regs, i), &out->regs[i])) return -1;
  } else if (json_is_object(regs)) { /* {"8(t0)": "0x1000", ...}: the number before '(' is the register */
    const char *k;
    json_t *val;
    json_object_foreach(regs, k, val) {
      long r = strtol(k, NULL, 10);
      if (r < 0 || r > 31 || vec_u64(val, &out->regs[r])) return -1;
    }
  }
  return 0;
}

static inline int vec_stack(json_t *arr, fpvm_mips64_stack *st) {
  if (!arr) return 0;
  if (!json_is_array(arr)) return -1;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    fpvm_mips64_thread t;
    if (vec_thread(json_array_get(arr, i), &t) || fpvm_mips64_stack_push(st, &t)) return -1;
  }
  return 0;
}

static inline fpvm_mips64_state *vec_build_pre_state(json_t *v) {
  json_t *mem = json_object_get(v, "pre_memory_words");
  json_t *left = json_object_get(v, "pre_threads_left"), *right = json_object_get(v, "pre_threads_right");
  json_t *single = json_object_get(v, "pre_thread");
  if (!mem && !left && !single) return NULL;
  fpvm_mips64_state *s = fpvm_mips64_state_create_empty();
  if (!s) return NULL;
  if (json_is_object(mem)) {
    const char *k;
    json_t *val;
    json_object_foreach(mem, k, val) {
      char *end = NULL;
      uint64_t addr = strtoull(k, &end, 0), w;
      if (*end || vec_u64(val, &w)) goto fail;
      fpvm_mem_write64(s->mem, addr, w);
    }
  }
  if (left || right) {
    s->left.n = 0;
    if (vec_stack(left, &s->left) || vec_stack(right, &s->right)) goto fail;
  } else if (single) {
    fpvm_mips64_thread t;
    json_t *copy = json_deep_copy(single);
    if (!json_object_get(copy, "id")) json_object_set_new(copy, "id", json_string("0x0"));
    int bad = vec_thread(copy, &t);
    json_decref(copy);
    if (bad) goto fail;
    s->left.v[0] = t;
  }
  json_t *ps = json_object_get(v, "pre_state");
  uint8_t pw[FPVM_MIPS64_WITNESS_SIZE];
  if (!ps && vec_hex(v, "pre_witness", pw, sizeof pw) == FPVM_MIPS64_WITNESS_SIZE) {
    /* mips64-steps.json gives scalars only in prose: take them from the witness (memory and thread
     * roots still come from the listed words and thread, so the witness check stays meaningful) */
    memcpy(s->preimage_key, pw + 32, 32);
    s->preimage_offset = fpk_be64(pw + 64);
    s->heap = fpk_be64(pw + 72);
    s->ll_status = pw[80];
    s->ll_address = fpk_be64(pw + 81);
    s->ll_owner = fpk_be64(pw + 89);
    s->exit_code = pw[97];
    s->exited = pw[98];
    s->step = fpk_be64(pw + 99);
    s->steps_since_switch = fpk_be64(pw + 107);
    s->traverse_right = pw[115];
    s->next_thread_id = fpk_be64(pw + 180);
  }
  if (json_is_object(ps)) {
    uint64_t x;
    if (json_object_get(ps, "preimageKey") && vec_hex(ps, "preimageKey", s->preimage_key, 32) != 32) goto fail;
    if (!vec_get_u64(ps, "preimageOffset", &x)) s->preimage_offset = x;
    if (!vec_get_u64(ps, "heap", &x)) s->heap = x;
    if (!vec_get_u64(ps, "llReservationStatus", &x)) s->ll_status = (uint8_t)x;
    if (!vec_get_u64(ps, "llAddress", &x)) s->ll_address = x;
    if (!vec_get_u64(ps, "llOwnerThread", &x)) s->ll_owner = x;
    if (!vec_get_u64(ps, "exitCode", &x)) s->exit_code = (uint8_t)x;
    if (!vec_get_u64(ps, "exited", &x)) s->exited = (uint8_t)x;
    if (!vec_get_u64(ps, "step", &x)) s->step = x;
    if (!vec_get_u64(ps, "stepsSinceLastContextSwitch", &x)) s->steps_since_switch = x;
    if (!vec_get_u64(ps, "traverseRight", &x)) s->traverse_right = (uint8_t)x;
    if (!vec_get_u64(ps, "nextThreadID", &x)) s->next_thread_id = x;
  }
  return s;
fail:
  fpvm_mips64_state_destroy(s);
  return NULL;
}

#endif
