/* The independent verifier against the contract-checked step vectors (mips64-steps.json E1–E9 and
 * mips64-steps-more.json), plus tampered inputs that the contract rejects. */
#include <jansson.h>

#include "fpkit/keccak.h"
#include "fpkit/mips64.h"
#include "test.h"

#define W FPVM_MIPS64_WITNESS_SIZE
#define P FPVM_MIPS64_PROOF_SIZE
#define SLOT(i) (FPVM_MIPS64_THREAD_SIZE + 32 + (i) * 1920)

typedef struct {
  char name[96];
  uint8_t pre[W], proof[P], pre_hash[32];
  bool has_post;
  uint8_t post[W], post_hash[32];
  char revert[128];
  bool has_oracle;
  uint8_t okey[32];
  uint8_t ovalue[512];
  size_t ovalue_len;
  uint64_t ooffset;
} vec;

static size_t hexdec(uint8_t *out, size_t cap, const char *s) {
  long n = s ? fpk_hex_decode(out, cap, s, strlen(s)) : -1;
  if (n < 0) {
    fprintf(stderr, "bad hex field: %.40s\n", s ? s : "(null)");
    fpk_test_failures++;
    return 0;
  }
  return (size_t)n;
}

static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static uint64_t ju64(json_t *v) {
  if (json_is_integer(v)) return (uint64_t)json_integer_value(v);
  const char *s = json_string_value(v);
  return s ? strtoull(s, NULL, 0) : 0;
}

static void vec_load(vec *v, json_t *o) {
  memset(v, 0, sizeof *v);
  snprintf(v->name, sizeof v->name, "%s", jstr(o, "name") ? jstr(o, "name") : "?");
  CHECK(hexdec(v->pre, W, jstr(o, "pre_witness")) == W);
  CHECK(hexdec(v->proof, P, jstr(o, "proof_data")) == P);
  CHECK(hexdec(v->pre_hash, 32, jstr(o, "pre_hash")) == 32);
  if (jstr(o, "post_hash")) {
    v->has_post = true;
    CHECK(hexdec(v->post, W, jstr(o, "post_witness")) == W);
    CHECK(hexdec(v->post_hash, 32, jstr(o, "post_hash")) == 32);
  }
  if (jstr(o, "revert")) snprintf(v->revert, sizeof v->revert, "%s", jstr(o, "revert"));
  json_t *orc = json_object_get(o, "oracle");
  if (jstr(o, "oracle_key")) { /* mips64-steps.json */
    v->has_oracle = true;
    CHECK(hexdec(v->okey, 32, jstr(o, "oracle_key")) == 32);
    v->ovalue_len = hexdec(v->ovalue, sizeof v->ovalue, jstr(o, "oracle_value"));
    v->ooffset = ju64(json_object_get(o, "oracle_offset"));
  } else if (json_is_object(orc)) { /* mips64-steps-more.json */
    v->has_oracle = true;
    CHECK(hexdec(v->okey, 32, jstr(orc, "key")) == 32);
    v->ovalue_len = hexdec(v->ovalue, sizeof v->ovalue, jstr(orc, "value_with_length_prefix"));
    v->ooffset = ju64(json_object_get(orc, "offset"));
  }
}

static int run(const vec *v, const uint8_t *pre, const uint8_t *proof, size_t proof_len, bool with_oracle,
               uint8_t hash[32], uint8_t post[W], char *reason, size_t cap) {
  fpvm_mips64_verify_oracle o = {0};
  if (with_oracle && v->has_oracle) {
    o.present = true;
    memcpy(o.key, v->okey, 32);
    o.value = v->ovalue;
    o.value_len = v->ovalue_len;
    o.offset = v->ooffset;
  }
  return fpvm_mips64_verify_step(pre, W, proof, proof_len, &o, hash, post, reason, cap);
}

/* The vector's own outcome; returns false (and says why) on any difference. */
static bool vec_check(const vec *v) {
  uint8_t hash[32], post[W];
  char reason[256];
  int rc = run(v, v->pre, v->proof, P, true, hash, post, reason, sizeof reason);
  if (v->has_post) {
    if (rc != FPK_OK) {
      fprintf(stderr, "  %s: expected a post-state, got %d (%s)\n", v->name, rc, reason);
      return false;
    }
    if (memcmp(post, v->post, W) != 0 || memcmp(hash, v->post_hash, 32) != 0) {
      char a[2 * W + 1], b[2 * W + 1];
      fpk_hex_encode(a, post, W);
      fpk_hex_encode(b, v->post, W);
      fprintf(stderr, "  %s: post mismatch\n    got  %s\n    want %s\n", v->name, a, b);
      return false;
    }
    return true;
  }
  if (rc != FPK_EPROOF || strcmp(reason, v->revert) != 0) {
    fprintf(stderr, "  %s: expected revert \"%s\", got %d \"%s\"\n", v->name, v->revert, rc, reason);
    return false;
  }
  return true;
}

static vec *load_file(const char *file, size_t *n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", fpk_test_vectors_dir ? fpk_test_vectors_dir : "../shared/vectors", file);
  json_error_t err;
  json_t *root = json_load_file(path, 0, &err);
  if (!root) {
    fprintf(stderr, "%s: %s\n", path, err.text);
    fpk_test_failures++;
    *n = 0;
    return NULL;
  }
  json_t *arr = json_object_get(root, "vectors");
  *n = json_array_size(arr);
  vec *vs = calloc(*n ? *n : 1, sizeof *vs);
  for (size_t i = 0; i < *n; i++) vec_load(&vs[i], json_array_get(arr, i));
  json_decref(root);
  return vs;
}

static vec *e_vecs, *more_vecs;
static size_t n_e, n_more;

static const vec *find(const char *prefix) {
  for (size_t i = 0; i < n_e; i++)
    if (!strncmp(e_vecs[i].name, prefix, strlen(prefix))) return &e_vecs[i];
  for (size_t i = 0; i < n_more; i++)
    if (!strcmp(more_vecs[i].name, prefix)) return &more_vecs[i];
  fprintf(stderr, "vector %s not found\n", prefix);
  fpk_test_failures++;
  return NULL;
}

/* The pre_hash of every vector is keccak(pre_witness) with the status byte: guards the loader. */
static void check_pre_hashes(const vec *vs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint8_t h[32];
    fpk_keccak256(h, vs[i].pre, W);
    uint8_t ex = vs[i].pre[98], code = vs[i].pre[97];
    h[0] = ex ? (code == 0 ? 0 : code == 1 ? 1 : 2) : 3;
    CHECK(memcmp(h, vs[i].pre_hash, 32) == 0);
  }
}

static void test_steps_e(void) {
  CHECK(n_e == 9);
  check_pre_hashes(e_vecs, n_e);
  size_t bad = 0;
  for (size_t i = 0; i < n_e; i++)
    if (!vec_check(&e_vecs[i])) bad++;
  fprintf(stderr, "  mips64-steps.json: %zu/%zu match\n", n_e - bad, n_e);
  CHECK(bad == 0);
}

static void test_steps_more(void) {
  CHECK(n_more == 225);
  check_pre_hashes(more_vecs, n_more);
  size_t bad = 0, reverts = 0;
  for (size_t i = 0; i < n_more; i++) {
    if (!more_vecs[i].has_post) reverts++;
    if (!vec_check(&more_vecs[i])) bad++;
  }
  fprintf(stderr, "  mips64-steps-more.json: %zu/%zu match (%zu reverts)\n", n_more - bad, n_more, reverts);
  CHECK(bad == 0);
  CHECK(reverts == 20);
}

/* Run with modified inputs and expect a revert with this reason. */
static void expect(const vec *v, const uint8_t *pre, const uint8_t *proof, size_t proof_len, int code,
                   const char *want) {
  uint8_t hash[32], post[W];
  char reason[256];
  int rc = run(v, pre, proof, proof_len, true, hash, post, reason, sizeof reason);
  CHECK_EQ_U64((uint64_t)(int64_t)rc, (uint64_t)(int64_t)code);
  if (want && strcmp(reason, want) != 0) {
    fprintf(stderr, "  %s: reason \"%s\", want \"%s\"\n", v->name, reason, want);
    fpk_test_failures++;
  }
}

static void test_tamper_memory(void) {
  const vec *v = find("E1_");
  if (!v) return;
  uint8_t proof[P];
  /* a sibling of the instruction proof */
  memcpy(proof, v->proof, P);
  proof[SLOT(0) + 32 * 7 + 5] ^= 0x40;
  expect(v, v->pre, proof, P, FPK_EPROOF, "InvalidMemoryProof()");
  /* the top sibling of the data proof (sd writes through slot 1) */
  memcpy(proof, v->proof, P);
  proof[SLOT(1) + 32 * 59 + 31] ^= 1;
  expect(v, v->pre, proof, P, FPK_EPROOF, "InvalidMemoryProof()");
  /* the leaf of the data proof */
  memcpy(proof, v->proof, P);
  proof[SLOT(1) + 3] ^= 0x80;
  expect(v, v->pre, proof, P, FPK_EPROOF, "InvalidMemoryProof()");
  /* a memory root that the instruction proof does not fold to */
  uint8_t pre[W];
  memcpy(pre, v->pre, W);
  pre[17] ^= 0x01;
  expect(v, pre, v->proof, P, FPK_EPROOF, "InvalidMemoryProof()");
  /* unused slot 2 is ignored */
  memcpy(proof, v->proof, P);
  memset(proof + SLOT(2), 0xA5, 1920);
  expect(v, v->pre, proof, P, FPK_OK, NULL);
}

static void test_tamper_threads(void) {
  const vec *v = find("E2_");
  if (!v) return;
  uint8_t proof[P], pre[W];
  memcpy(proof, v->proof, P);
  proof[298 + 4] ^= 0x10; /* inner stack root */
  expect(v, v->pre, proof, P, FPK_EPROOF, "MIPS64: invalid thread witness");
  memcpy(proof, v->proof, P);
  proof[42 + 8 * 9 + 7] ^= 0x01; /* a register of the thread */
  expect(v, v->pre, proof, P, FPK_EPROOF, "MIPS64: invalid thread witness");
  memcpy(pre, v->pre, W);
  pre[116 + 31] ^= 0x01; /* left stack root in the witness */
  expect(v, pre, v->proof, P, FPK_EPROOF, "MIPS64: invalid thread witness");
  /* the witness' own empty right stack made active */
  memcpy(pre, v->pre, W);
  pre[115] = 1;
  expect(v, pre, v->proof, P, FPK_EPROOF, "MIPS64: active thread stack is empty");
  /* exited = 2 is rejected before anything else */
  memcpy(pre, v->pre, W);
  pre[98] = 2;
  expect(v, pre, v->proof, P, FPK_EPROOF, "InvalidExitedValue()");
  /* too short for the thread witness / for the instruction proof */
  expect(v, v->pre, v->proof, 298, FPK_EPROOF, "MIPS64: insufficient calldata for thread witness");
  expect(v, v->pre, v->proof, 330 + 1000, FPK_EPROOF, "MIPS64Memory: check that there is enough calldata");
}

static void test_exited_state_unchanged(void) {
  const vec *v = find("E3_");
  if (!v) return;
  uint8_t hash[32], post[W];
  char reason[128];
  /* E3's post-state is exited: stepping it again returns the same witness and hash */
  CHECK(fpvm_mips64_verify_step(v->post, W, v->proof, P, NULL, hash, post, reason, sizeof reason) == FPK_OK);
  CHECK(memcmp(post, v->post, W) == 0);
  CHECK(memcmp(hash, v->post_hash, 32) == 0);
  CHECK(hash[0] == 0);
  /* and even with no proof bytes at all */
  CHECK(fpvm_mips64_verify_step(v->post, W, NULL, 0, NULL, hash, post, reason, sizeof reason) == FPK_OK);
  CHECK(memcmp(hash, v->post_hash, 32) == 0);
}

static void test_second_proof(void) {
  const vec *v = find("E5_");
  if (!v) return;
  uint8_t proof[P];
  /* slot 2 proven against the pre-state root: secs and nsecs share a leaf, so that proof is the
   * slot-1 proof itself (old secs value in the leaf) */
  memcpy(proof, v->proof, P);
  memcpy(proof + SLOT(2), proof + SLOT(1), 1920);
  expect(v, v->pre, proof, P, FPK_EPROOF, "InvalidSecondMemoryProof()");
  memcpy(proof, v->proof, P);
  proof[SLOT(1) + 32 * 20] ^= 0x02;
  expect(v, v->pre, proof, P, FPK_EPROOF, "InvalidMemoryProof()");
  /* slot 2 missing from the calldata */
  expect(v, v->pre, v->proof, SLOT(2) + 100, FPK_EPROOF, "MIPS64Memory: check that there is enough calldata");
}

static void test_oracle(void) {
  const vec *v = find("E9_");
  if (!v) return;
  CHECK(v->has_oracle);
  vec w = *v;
  w.ovalue[w.ovalue_len - 1] ^= 0x01; /* a wrong preimage byte for a keccak key */
  expect(&w, w.pre, w.proof, P, FPK_EVERIFY, NULL);
  w = *v;
  w.okey[31] ^= 0x01; /* another key */
  expect(&w, w.pre, w.proof, P, FPK_EINVAL, NULL);
  w = *v;
  w.ooffset++; /* another offset */
  expect(&w, w.pre, w.proof, P, FPK_EINVAL, NULL);
  w = *v;
  w.ovalue[7] ^= 0x01; /* length prefix disagrees */
  expect(&w, w.pre, w.proof, P, FPK_EINVAL, NULL);
  w = *v;
  w.has_oracle = false; /* no oracle data */
  expect(&w, w.pre, w.proof, P, FPK_ENOTFOUND, NULL);
  /* the data proof is checked before the oracle is asked */
  w = *v;
  w.proof[SLOT(1) + 32 * 3] ^= 0x01;
  expect(&w, w.pre, w.proof, P, FPK_EPROOF, "InvalidMemoryProof()");

  /* key types the oracle has no loader for revert on-chain whatever data is given */
  w = *v;
  w.has_oracle = false;
  memset(w.pre + 32, 0, 32); /* type 0 (no key written yet) */
  expect(&w, w.pre, w.proof, P, FPK_EPROOF, "pre-image must exist");
  w.pre[32] = 3; /* global generic */
  expect(&w, w.pre, w.proof, P, FPK_EPROOF, "pre-image must exist");

  /* the same read under a sha256 key: same memory write, the post-state holds that key */
  w = *v;
  uint8_t hash[32], post[W];
  char reason[128];
  fpk_sha256(w.okey, w.ovalue + 8, w.ovalue_len - 8);
  w.okey[0] = 4;
  memcpy(w.pre + 32, w.okey, 32);
  CHECK(run(&w, w.pre, w.proof, P, true, hash, post, reason, sizeof reason) == FPK_OK);
  CHECK(memcmp(post, v->post, 32) == 0 && memcmp(post + 32, w.okey, 32) == 0 &&
        memcmp(post + 64, v->post + 64, W - 64) == 0);
  w.ovalue[9] ^= 1;
  expect(&w, w.pre, w.proof, P, FPK_EVERIFY, NULL);

  /* a local key: any value of at most 32 bytes is accepted */
  const vec *l = find("read_fd5_local_zero_ctx");
  if (!l) return;
  CHECK(vec_check(l));
  w = *l;
  w.ovalue[w.ovalue_len - 1] ^= 0x55;
  CHECK(run(&w, w.pre, w.proof, P, true, hash, post, reason, sizeof reason) == FPK_OK);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  e_vecs = load_file("mips64-steps.json", &n_e);
  more_vecs = load_file("mips64-steps-more.json", &n_more);
  RUN(test_steps_e);
  RUN(test_steps_more);
  RUN(test_tamper_memory);
  RUN(test_tamper_threads);
  RUN(test_exited_state_unchanged);
  RUN(test_second_proof);
  RUN(test_oracle);
  free(e_vecs);
  free(more_vecs);
  return fpk_test_main_end();
}
