/* Every step vector with a full pre-state (../shared/vectors/mips64-steps*.json): rebuild the
 * pre-state, check its witness, run one proof-mode step through the engine and compare the post
 * hash (or the panic where the contract reverted), the used proof slots and the oracle data. */
#include "fpkit/mips64.h"
#include "test.h"
#include "vectors.h"

typedef struct {
  uint8_t key[32];
  uint8_t *val; /* without the length prefix */
  size_t len;
  bool have;
  int gets;
} test_oracle;

static int or_get(void *ctx, const uint8_t key[32], uint8_t **out, size_t *len) {
  test_oracle *o = ctx;
  o->gets++;
  if (!o->have || memcmp(key, o->key, 32) != 0) return FPK_ENOTFOUND;
  *out = malloc(o->len ? o->len : 1);
  if (!*out) return FPK_ENOMEM;
  memcpy(*out, o->val, o->len);
  *len = o->len;
  return FPK_OK;
}
static int or_hint(void *ctx, const uint8_t *d, size_t n) {
  (void)ctx, (void)d, (void)n;
  return FPK_OK;
}

static bool all_zero(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return false;
  return true;
}

/* mips64-steps.json gives only the pre_thread and memory: take the scalar fields from the witness. */
static void scalars_from_witness(fpvm_mips64_state *s, const uint8_t *w) {
  memcpy(s->preimage_key, w + 32, 32);
  s->preimage_offset = fpk_be64(w + 64);
  s->heap = fpk_be64(w + 72);
  s->ll_status = w[80];
  s->ll_address = fpk_be64(w + 81);
  s->ll_owner = fpk_be64(w + 89);
  s->exit_code = w[97];
  s->exited = w[98];
  s->step = fpk_be64(w + 99);
  s->steps_since_switch = fpk_be64(w + 107);
  s->traverse_right = w[115];
  s->next_thread_id = fpk_be64(w + 180);
}

static int n_run, n_pass, n_skip;

/* E8/E9 of mips64-steps.json describe their pre-state only in words; rebuild it from that
 * description (the witness check below proves the reconstruction). */
static fpvm_mips64_state *build_described(const char *name) {
  fpvm_mips64_state *s = NULL;
  if (strcmp(name, "E8_preempt") == 0) { /* V5's one-instruction state */
    s = fpvm_mips64_state_create_empty();
    fpvm_mem_write64(s->mem, 0, 0x2402000100000000ull);
  } else if (strcmp(name, "E9_preimage_read") == 0) { /* read(5, 0x4003, 100) at pc 0 */
    s = fpvm_mips64_state_create_empty();
    fpvm_mem_write64(s->mem, 0, 0x0000000c00000000ull);
    fpvm_mem_write64(s->mem, 0x4000, 0x1111111111111111ull); /* the leaf in its slot-1 proof */
    fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
    t->regs[2] = 5000;
    t->regs[4] = 5;
    t->regs[5] = 0x4003;
    t->regs[6] = 100;
  }
  return s;
}

static void run_vector(json_t *v) {
  const char *name = json_string_value(json_object_get(v, "name"));
  int fails_before = fpk_test_failures;
  fpvm_mips64_state *s = vec_build_pre_state(v);
  if (!s) s = build_described(name);
  if (!s) {
    n_skip++;
    return;
  }
  n_run++;
  uint8_t want_w[FPVM_MIPS64_WITNESS_SIZE], w[FPVM_MIPS64_WITNESS_SIZE];
  CHECK(vec_hex(v, "pre_witness", want_w, sizeof want_w) == FPVM_MIPS64_WITNESS_SIZE);
  if (!json_object_get(v, "pre_state")) scalars_from_witness(s, want_w);
  fpvm_mips64_state_witness(s, w);
  CHECK(memcmp(w, want_w, sizeof w) == 0);

  test_oracle o = {0};
  json_t *oj = json_object_get(v, "oracle");
  size_t vlen = 0;
  uint8_t *pv = NULL, want_key[32];
  uint64_t want_off = 0;
  bool want_oracle = false;
  if (json_is_object(oj)) {
    CHECK(vec_hex(oj, "key", want_key, 32) == 32);
    pv = vec_hex_alloc(oj, "value_with_length_prefix", &vlen);
    CHECK(!vec_get_u64(oj, "offset", &want_off));
    want_oracle = !json_object_get(v, "revert");
  } else if (json_object_get(v, "oracle_key")) {
    CHECK(vec_hex(v, "oracle_key", want_key, 32) == 32);
    pv = vec_hex_alloc(v, "oracle_value", &vlen);
    CHECK(!vec_get_u64(v, "oracle_offset", &want_off));
    want_oracle = true;
  }
  if (pv && vlen >= 8) {
    memcpy(o.key, want_key, 32);
    o.val = pv + 8;
    o.len = vlen - 8;
    o.have = true;
  }

  fpvm_mips64_vm *vm = fpvm_mips64_vm_create(s);
  CHECK(vm != NULL);
  fpvm_oracle orc = {.ctx = &o, .hint = or_hint, .get = or_get};
  fpvm_mips64_vm_set_oracle(vm, &orc);
  fpvm_mips64_proof *p = calloc(1, sizeof *p);
  int rc = fpvm_mips64_step(vm, p);

  uint8_t *want_pd = NULL;
  size_t pdlen = 0;
  want_pd = vec_hex_alloc(v, "proof_data", &pdlen);
  CHECK(want_pd && pdlen == FPVM_MIPS64_PROOF_SIZE);
  const size_t tw = FPVM_MIPS64_THREAD_SIZE + 32, ps = FPVM_MEM_PROOF_SIZE;
  json_t *rev = json_object_get(v, "revert");
  if (rev) {
    CHECK_EQ_U64(rc, FPK_EPANIC);
    /* the thread witness and instruction proof are produced before the step runs */
    if (rc == FPK_EPANIC && want_pd && pdlen == FPVM_MIPS64_PROOF_SIZE && fpvm_mips64_vm_panic_reason(vm)[0] &&
        strstr(json_string_value(rev), "stack is empty") == NULL) {
      CHECK(memcmp(p->proof_data, want_pd, tw) == 0);
      CHECK(memcmp(p->proof_data + tw, want_pd + tw, ps) == 0);
    }
  } else {
    CHECK_EQ_U64(rc, FPK_OK);
    if (rc == FPK_OK) {
      CHECK(memcmp(p->state_data, want_w, sizeof want_w) == 0);
      uint8_t want_h[32], want_post[FPVM_MIPS64_WITNESS_SIZE];
      CHECK(vec_hex(v, "pre_hash", want_h, 32) == 32);
      CHECK(memcmp(p->pre_hash, want_h, 32) == 0);
      CHECK(vec_hex(v, "post_hash", want_h, 32) == 32);
      CHECK(memcmp(p->post_hash, want_h, 32) == 0);
      if (vec_hex(v, "post_witness", want_post, sizeof want_post) == FPVM_MIPS64_WITNESS_SIZE) {
        fpvm_mips64_state_witness(fpvm_mips64_vm_state(vm), w);
        CHECK(memcmp(w, want_post, sizeof w) == 0);
      }
      if (want_pd && pdlen == FPVM_MIPS64_PROOF_SIZE) {
        CHECK(memcmp(p->proof_data, want_pd, tw) == 0);
        CHECK(memcmp(p->proof_data + tw, want_pd + tw, ps) == 0);
        unsigned used = fpvm_mips64_vm_slots_used(vm);
        for (unsigned k = 1; k <= 2; k++) {
          const uint8_t *ws = want_pd + tw + k * ps;
          bool want_used = !all_zero(ws, ps);
          CHECK_EQ_U64(!!(used & (1u << k)), want_used);
          if (want_used) CHECK(memcmp(p->proof_data + tw + k * ps, ws, ps) == 0);
        }
      }
      CHECK_EQ_U64(p->has_oracle, want_oracle);
      if (want_oracle && p->has_oracle) {
        CHECK(memcmp(p->oracle_key, want_key, 32) == 0);
        CHECK_EQ_U64(p->oracle_value_len, vlen);
        CHECK(p->oracle_value_len == vlen && memcmp(p->oracle_value, pv, vlen) == 0);
        CHECK_EQ_U64(p->oracle_offset, want_off);
      }
    }
  }
  if (fpk_test_failures == fails_before)
    n_pass++;
  else
    fprintf(stderr, "  vector %s failed (rc %d, panic \"%s\")\n", name, rc, fpvm_mips64_vm_panic_reason(vm));
  fpvm_mips64_proof_clear(p);
  free(p);
  free(want_pd);
  free(pv);
  fpvm_mips64_vm_destroy(vm);
}

static void run_file(const char *file, int min_vectors) {
  json_t *doc = vec_load(fpk_test_vectors_dir, file);
  CHECK(doc != NULL);
  if (!doc) return;
  json_t *arr = vec_array(doc);
  CHECK(arr != NULL);
  int before = n_run;
  for (size_t i = 0; arr && i < json_array_size(arr); i++) run_vector(json_array_get(arr, i));
  CHECK(n_run - before >= min_vectors);
  json_decref(doc);
}

static void test_engine_vectors_more(void) { run_file("mips64-steps-more.json", 225); }
static void test_engine_vectors_e(void) { run_file("mips64-steps.json", 9); }

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_engine_vectors_more);
  RUN(test_engine_vectors_e);
  fprintf(stderr, "vectors: %d run, %d passed, %d without a full pre-state\n", n_run, n_pass, n_skip);
  return fpk_test_main_end();
}
