/* State, threads, stacks, witness and hash: cannon.md §8.2 V3-V6 and every pre-state of the step
 * vectors (witness bytes and hash as MIPS64.sol saw them). */
#include "fpkit/keccak.h"
#include "fpkit/mips64.h"
#include "mips64/vectors.h"
#include "test.h"

#define EMPTY_ROOT "ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5"
#define MEM_EMPTY "14af5385bcbb1e4738bbae8106046e6e2fca42875aa5c000c582587742bcc748"
#define V3_ROOT "505ea3064aed44444fa938e2d1385d799ec3b37386d433a611439aed796ea153"

static void test_state_v3_empty_thread(void) {
  fpvm_mips64_thread t = {0};
  t.next_pc = 4;
  uint8_t b[FPVM_MIPS64_THREAD_SIZE], h[32];
  fpvm_mips64_thread_encode(&t, b);
  uint8_t want[FPVM_MIPS64_THREAD_SIZE] = {0};
  want[25] = 4;
  CHECK(memcmp(b, want, sizeof b) == 0);
  fpvm_mips64_thread_hash(&t, h);
  CHECK_HEX(h, 32, "142eef1e422e67c394d8fab4a0ce5c04ee405cb059176f719d9c2efb8e28d3a0");
  fpvm_mips64_stack st = {&t, 1, 1};
  fpvm_mips64_stack_root(&st, 1, h);
  CHECK_HEX(h, 32, V3_ROOT);
  fpvm_mips64_stack_root(&st, 0, h);
  CHECK_HEX(h, 32, EMPTY_ROOT);
  /* decode(encode(t)) == t with every field distinct */
  fpvm_mips64_thread a, c;
  memset(&a, 0, sizeof a);
  a.id = 0x0102030405060708ull;
  a.exit_code = 0x99;
  a.exited = 1;
  a.pc = 0x1111;
  a.next_pc = 0x2222;
  a.lo = 0x3333;
  a.hi = 0x4444;
  for (int i = 0; i < 32; i++) a.regs[i] = 0xA000000000000000ull + (uint64_t)i;
  fpvm_mips64_thread_encode(&a, b);
  CHECK(b[0] == 1 && b[7] == 8 && b[8] == 0x99 && b[9] == 1);
  CHECK_EQ_U64(fpk_be64(b + 42 + 8 * 31), 0xA00000000000001Full);
  memset(&c, 0xEE, sizeof c);
  fpvm_mips64_thread_decode(&c, b);
  CHECK(c.id == a.id && c.exit_code == a.exit_code && c.exited == a.exited && c.pc == a.pc &&
        c.next_pc == a.next_pc && c.lo == a.lo && c.hi == a.hi && memcmp(c.regs, a.regs, sizeof a.regs) == 0);
}

#define V4_WITNESS MEM_EMPTY "%0168d" V3_ROOT EMPTY_ROOT "0000000000000001"

static void test_state_v4_empty_state(void) {
  fpvm_mips64_state *s = fpvm_mips64_state_create_empty();
  CHECK(s != NULL);
  if (!s) return;
  uint8_t w[FPVM_MIPS64_WITNESS_SIZE], h[32];
  fpvm_mips64_state_witness(s, w);
  char want[2 * FPVM_MIPS64_WITNESS_SIZE + 1];
  snprintf(want, sizeof want, V4_WITNESS, 0); /* 84 zero bytes between the roots */
  CHECK_HEX(w, sizeof w, want);
  fpvm_mips64_state_hash(s, h);
  CHECK_HEX(h, 32, "035b096e17d7b97f6bbaa13d179958e729b70813e931dc90dbf4193372f3dc71");
  CHECK_EQ_U64(fpvm_mips64_thread_count(s), 1);
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  CHECK(t != NULL && t->pc == 0 && t->next_pc == 4 && t->id == 0);
  CHECK_EQ_U64(s->next_thread_id, 1);
  /* thread witness: empty thread ‖ EMPTY root */
  uint8_t tw[FPVM_MIPS64_THREAD_SIZE + 32];
  CHECK(fpvm_mips64_thread_witness(s, tw) == FPK_OK);
  CHECK_HEX(tw + FPVM_MIPS64_THREAD_SIZE, 32, EMPTY_ROOT);
  CHECK(tw[25] == 4);
  fpvm_mips64_state_destroy(s);

  fpvm_mips64_state *i = fpvm_mips64_state_create_initial(0x1234, FPVM_MIPS64_HEAP_START);
  CHECK(i && i->heap == FPVM_MIPS64_HEAP_START && i->left.v[0].pc == 0x1234 && i->left.v[0].next_pc == 0x1238);
  fpvm_mips64_state_destroy(i);
  fpvm_mips64_state_destroy(NULL);
}

static void test_state_v5_one_step(void) {
  fpvm_mips64_state *s = fpvm_mips64_state_create_empty();
  fpvm_mem_write64(s->mem, 0, 0x2402000100000000ull);
  uint8_t w[FPVM_MIPS64_WITNESS_SIZE], h[32];
  fpvm_mips64_state_witness(s, w);
  CHECK_HEX(w, 32, "42c588eead7c0c947aff9dc0dad2cdfe4be410872c33f6ebd185323e5e5229e8");
  fpvm_mips64_state_hash(s, h);
  CHECK_HEX(h, 32, "037dd69885b0607f95e288a9bd31b7e8c3c44984ab2de1d66d56f4410f80791e");

  fpvm_mips64_state *post = fpvm_mips64_state_clone(s);
  CHECK(post != NULL);
  post->step = 1;
  post->steps_since_switch = 1;
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(post);
  t->pc = 4;
  t->next_pc = 8;
  t->regs[2] = 1;
  fpvm_mips64_state_witness(post, w);
  CHECK_HEX(w + 116, 32, "93ebf13819ae002ca09fd58c3bce41ab0e284f06d1e20f020bd959c6a110e8e3");
  fpvm_mips64_state_hash(post, h);
  CHECK_HEX(h, 32, "03d4dd16474b43544928f04eb75cd98ad89f74824b953c5c0e3420850ef456ae");
  /* the clone is deep: the pre-state is unchanged */
  fpvm_mips64_state_hash(s, h);
  CHECK_HEX(h, 32, "037dd69885b0607f95e288a9bd31b7e8c3c44984ab2de1d66d56f4410f80791e");

  s->exited = 1;
  s->exit_code = 0;
  fpvm_mips64_state_hash(s, h);
  CHECK_HEX(h, 32, "005c083a24b582589cea28a6af5b93b56f73600b84a5c281d3a62593793f5231");
  /* status byte rules */
  fpvm_mips64_state_witness(s, w);
  w[97] = 1;
  fpvm_mips64_witness_hash(w, h);
  CHECK(h[0] == FPVM_STATUS_INVALID);
  w[97] = 7;
  fpvm_mips64_witness_hash(w, h);
  CHECK(h[0] == FPVM_STATUS_PANIC);
  w[98] = 0;
  fpvm_mips64_witness_hash(w, h);
  CHECK(h[0] == FPVM_STATUS_UNFINISHED);
  CHECK(fpvm_mips64_status(0, 5) == 3 && fpvm_mips64_status(1, 0) == 0 && fpvm_mips64_status(1, 1) == 1 &&
        fpvm_mips64_status(1, 255) == 2);
  fpvm_mips64_state_destroy(s);
  fpvm_mips64_state_destroy(post);
}

static void test_state_v6_patch_stack(void) {
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(0, 0x100000000000ull);
  CHECK(fpvm_mips64_patch_stack(s) == FPK_OK);
  uint8_t b[144], w[FPVM_MIPS64_WITNESS_SIZE], h[32];
  fpvm_mem_read_range(s->mem, FPVM_MIPS64_STACK_TOP, b, sizeof b);
  CHECK_HEX(b, sizeof b,
            "0000000000000001" "00007ffffffff080" "0000000000000000" "00007ffffffff060" "0000000000000000"
            "0000000000000006" "0000000000001000" "0000000000000019" "00007ffffffff050" "0000000000000000"
            "343b62796661697264696365726f6c6c"
            "474f44454255473d6d656d70726f66696c65726174653d300000000000000000"
            "6f702d70726f6772616d000000000000");
  /* [sp-16K, sp+4K) allocated: 5 pages */
  CHECK_EQ_U64(fpvm_mem_page_count(s->mem), 5);
  CHECK_EQ_U64(fpvm_mips64_active_thread(s)->regs[29], FPVM_MIPS64_STACK_TOP);
  fpvm_mips64_state_witness(s, w);
  CHECK_HEX(w, 32, "6732d6b7b5f37a89690577724155612239a44c578b738650fe38560c71e4c4cc");
  CHECK_HEX(w + 116, 32, "fbc063ba1cc3762197d6a56fbfd5f849754ac2b95c0657cf1f46c70c3802e24c");
  fpvm_mips64_state_hash(s, h);
  CHECK_HEX(h, 32, "03ce34fe7df81a3980e202b07c0132de5f33428ab044fd6fe938d7e16239edaf");
  fpvm_mips64_state_destroy(s);
}

static fpvm_mips64_thread mk(uint64_t id) {
  fpvm_mips64_thread t;
  memset(&t, 0, sizeof t);
  t.id = id;
  t.pc = 0x100 * id;
  t.next_pc = t.pc + 4;
  return t;
}

static uint64_t top_id(fpvm_mips64_state *s) {
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  return t ? t->id : UINT64_MAX;
}

static void test_state_stacks(void) {
  fpvm_mips64_state *s = fpvm_mips64_state_create_empty();
  for (uint64_t i = 1; i < 4; i++) {
    fpvm_mips64_thread t = mk(i);
    s->steps_since_switch = 9;
    CHECK(fpvm_mips64_push_thread(s, &t) == FPK_OK);
    CHECK_EQ_U64(s->steps_since_switch, 0);
  }
  CHECK_EQ_U64(s->left.n, 4);
  /* round robin over {0,1,2,3}: 3,2,1,0 from the left, then 0,1,2,3 back from the right */
  uint64_t order[10];
  for (int i = 0; i < 10; i++) {
    order[i] = top_id(s);
    s->steps_since_switch = 5;
    CHECK(fpvm_mips64_preempt(s) == FPK_OK);
    CHECK_EQ_U64(s->steps_since_switch, 0);
  }
  uint64_t want[10] = {3, 2, 1, 0, 0, 1, 2, 3, 3, 2};
  CHECK(memcmp(order, want, sizeof want) == 0);
  CHECK_EQ_U64(fpvm_mips64_thread_count(s), 4);
  /* stack roots fold bottom→top */
  uint8_t r[32], e[32], h[32];
  static const uint8_t z[32];
  fpk_keccak256_node(e, z, z);
  for (size_t i = 0; i < s->left.n; i++) {
    fpvm_mips64_thread_hash(&s->left.v[i], h);
    fpk_keccak256_node(e, e, h);
  }
  fpvm_mips64_stack_root(&s->left, s->left.n, r);
  CHECK(memcmp(r, e, 32) == 0);
  /* thread witness = active top ‖ root without it */
  uint8_t tw[FPVM_MIPS64_THREAD_SIZE + 32], tb[FPVM_MIPS64_THREAD_SIZE];
  CHECK(fpvm_mips64_thread_witness(s, tw) == FPK_OK);
  fpvm_mips64_thread_encode(fpvm_mips64_active_thread(s), tb);
  CHECK(memcmp(tw, tb, sizeof tb) == 0);
  fpvm_mips64_stack *act = fpvm_mips64_active_stack(s);
  fpvm_mips64_stack_root(act, act->n - 1, r);
  CHECK(memcmp(tw + FPVM_MIPS64_THREAD_SIZE, r, 32) == 0);
  fpk_keccak256(h, tb, sizeof tb);
  fpk_keccak256_node(r, r, h);
  fpvm_mips64_stack_root(act, act->n, e);
  CHECK(memcmp(r, e, 32) == 0);
  /* pops until empty: each pop flips when the active stack empties */
  while (fpvm_mips64_thread_count(s) > 0) {
    uint8_t tr = s->traverse_right;
    size_t before = fpvm_mips64_active_stack(s)->n;
    fpvm_mips64_pop_thread(s);
    if (before == 1) CHECK(s->traverse_right == !tr);
  }
  CHECK(fpvm_mips64_thread_witness(s, tw) == FPK_EINVAL);
  CHECK(fpvm_mips64_preempt(s) == FPK_EINVAL);
  CHECK(fpvm_mips64_active_thread(s) == NULL);
  /* a non-canonical traverseRight = 2 selects the right stack; a flip makes it 0 */
  fpvm_mips64_thread t = mk(7);
  CHECK(fpvm_mips64_stack_push(&s->right, &t) == FPK_OK);
  s->traverse_right = 2;
  CHECK(top_id(s) == 7);
  CHECK(fpvm_mips64_preempt(s) == FPK_OK);
  CHECK(s->traverse_right == 0 && top_id(s) == 7);
  fpvm_mips64_state_destroy(s);
}

/* Every vector's pre-state: witness bytes and hash exactly as the contract saw them. */
static void check_vectors(const char *file, size_t min_built) {
  json_t *doc = vec_load(fpk_test_vectors_dir, file);
  CHECK(doc != NULL);
  json_t *arr = vec_array(doc);
  CHECK(arr != NULL);
  if (!arr) {
    json_decref(doc);
    return;
  }
  size_t built = 0;
  for (size_t i = 0; i < json_array_size(arr); i++) {
    json_t *v = json_array_get(arr, i);
    const char *name = json_string_value(json_object_get(v, "name"));
    fpvm_mips64_state *s = vec_build_pre_state(v);
    if (!s) continue; /* no memory/thread description (pre-witness only) */
    built++;
    uint8_t w[FPVM_MIPS64_WITNESS_SIZE], want[FPVM_MIPS64_WITNESS_SIZE], h[32], wh[32];
    fpvm_mips64_state_witness(s, w);
    long n = vec_hex(v, "pre_witness", want, sizeof want);
    CHECK(n == FPVM_MIPS64_WITNESS_SIZE);
    if (n != FPVM_MIPS64_WITNESS_SIZE || memcmp(w, want, sizeof w) != 0) {
      fpk_test_failures++;
      fprintf(stderr, "%s: vector %s: pre_witness differs\n", file, name ? name : "?");
    }
    fpvm_mips64_state_hash(s, h);
    CHECK(vec_hex(v, "pre_hash", wh, 32) == 32);
    if (memcmp(h, wh, 32) != 0) {
      fpk_test_failures++;
      fprintf(stderr, "%s: vector %s: pre_hash differs\n", file, name ? name : "?");
    }
    /* the thread witness in proof_data[0..330) matches ours when the active stack is not empty */
    uint8_t tw[FPVM_MIPS64_THREAD_SIZE + 32], proof[FPVM_MIPS64_THREAD_SIZE + 32 + 1920 * 3];
    long pn = vec_hex(v, "proof_data", proof, sizeof proof);
    if (pn >= (long)sizeof tw && fpvm_mips64_thread_witness(s, tw) == FPK_OK && memcmp(tw, proof, sizeof tw) != 0) {
      fpk_test_failures++;
      fprintf(stderr, "%s: vector %s: thread witness differs from proof_data\n", file, name ? name : "?");
    }
    fpvm_mips64_state_destroy(s);
  }
  fprintf(stderr, "  %s: %zu pre-states built and checked\n", file, built);
  CHECK(built >= min_built);
  json_decref(doc);
}

static void test_state_vectors_more(void) { check_vectors("mips64-steps-more.json", 225); }
static void test_state_vectors_e(void) { check_vectors("mips64-steps.json", 7); }

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_state_v3_empty_thread);
  RUN(test_state_v4_empty_state);
  RUN(test_state_v5_one_step);
  RUN(test_state_v6_patch_stack);
  RUN(test_state_stacks);
  RUN(test_state_vectors_more);
  RUN(test_state_vectors_e);
  return fpk_test_main_end();
}
