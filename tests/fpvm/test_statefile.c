/* Binary state files (cannon.md §1.6): Cannon's own empty-state fixture, round trips, every
 * truncation, and each rejected flag byte naming its field. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fpkit/mips64.h"
#include "test.h"

/* offsets in the 419-byte empty-state file */
enum { OFF_EXITED = 75, OFF_TRAVERSE = 92, OFF_THREAD0 = 109, EMPTY_LEN = 419 };

static char tmpdir[256];

static void path_in_tmp(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", tmpdir, name); }

static uint8_t *load_fixture(size_t *len) {
  char p[1024];
  snprintf(p, sizeof p, "%s/cannon-empty-state-v8.bin.gz", fpk_test_vectors_dir ? fpk_test_vectors_dir : ".");
  uint8_t *buf = NULL;
  int rc = fpvm_read_file(p, &buf, len);
  CHECK(rc == FPK_OK);
  return rc == FPK_OK ? buf : NULL;
}

static void test_statefile_fixture(void) {
  size_t len = 0;
  uint8_t *buf = load_fixture(&len);
  if (!buf) return;
  CHECK_EQ_U64(len, EMPTY_LEN);
  fpvm_mips64_state *s = NULL;
  CHECK(fpvm_mips64_state_decode(&s, buf, len, "8.bin.gz") == FPK_OK);
  if (!s) {
    free(buf);
    return;
  }
  uint8_t h[32];
  fpvm_mips64_state_hash(s, h);
  CHECK_HEX(h, 32, "035b096e17d7b97f6bbaa13d179958e729b70813e931dc90dbf4193372f3dc71");
  CHECK_EQ_U64(fpvm_mem_page_count(s->mem), 0);
  CHECK_EQ_U64(s->left.n, 1);
  CHECK_EQ_U64(s->right.n, 0);
  CHECK_EQ_U64(s->next_thread_id, 1);
  /* our empty state encodes to the very same bytes */
  fpvm_mips64_state *e = fpvm_mips64_state_create_empty();
  uint8_t *enc = NULL;
  size_t elen = 0;
  CHECK(fpvm_mips64_state_encode(e, &enc, &elen) == FPK_OK);
  CHECK(elen == len && memcmp(enc, buf, len) == 0);
  free(enc);
  CHECK(fpvm_mips64_state_encode(s, &enc, &elen) == FPK_OK);
  CHECK(elen == len && memcmp(enc, buf, len) == 0);
  free(enc);
  /* reading the gzip file through the path API names the file on error-free decode too */
  char p[1024];
  snprintf(p, sizeof p, "%s/cannon-empty-state-v8.bin.gz", fpk_test_vectors_dir);
  fpvm_mips64_state *f = NULL;
  CHECK(fpvm_mips64_state_read_file(&f, p) == FPK_OK);
  if (f) {
    fpvm_mips64_state_hash(f, h);
    CHECK_HEX(h, 32, "035b096e17d7b97f6bbaa13d179958e729b70813e931dc90dbf4193372f3dc71");
  }
  fpvm_mips64_state_destroy(f);
  fpvm_mips64_state_destroy(e);
  fpvm_mips64_state_destroy(s);
  free(buf);
}

static fpvm_mips64_state *rich_state(void) {
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(0x10000, FPVM_MIPS64_HEAP_START + 0x5000);
  fpvm_mem_write64(s->mem, 0x10000, 0x2402000100000000ull);
  fpvm_mem_write64(s->mem, 0x7FFFFFFFF008ull, 0x1122334455667788ull);
  fpvm_mem_write64(s->mem, 0xFFFFFFFFFFFFFFF8ull, 0xdeadbeefull); /* page index 2^52-1 */
  fpvm_mem_write64(s->mem, 0x3000, 0);                            /* an allocated zero page */
  for (int i = 0; i < 32; i++) s->preimage_key[i] = (uint8_t)(0xA0 + i);
  s->preimage_offset = 0x123;
  s->ll_status = 2;
  s->ll_address = 0x4444;
  s->ll_owner = 3;
  s->exit_code = 0;
  s->exited = 0;
  s->step = 0x0102030405060708ull;
  s->steps_since_switch = 99;
  s->traverse_right = 1;
  s->next_thread_id = 5;
  for (uint64_t id = 1; id < 5; id++) {
    fpvm_mips64_thread t;
    memset(&t, 0, sizeof t);
    t.id = id;
    t.pc = 0x20000 + 4 * id;
    t.next_pc = t.pc + 4;
    t.lo = id * 3;
    t.hi = ~id;
    t.exit_code = (uint8_t)id;
    t.exited = id == 4;
    for (int r = 0; r < 32; r++) t.regs[r] = id << 32 | (uint64_t)r;
    CHECK(fpvm_mips64_stack_push(id % 2 ? &s->right : &s->left, &t) == FPK_OK);
  }
  s->last_hint = malloc(7);
  memcpy(s->last_hint, "\0\0\0\x09" "abc", 7);
  s->last_hint_len = s->last_hint_cap = 7;
  return s;
}

static void test_statefile_roundtrip(void) {
  fpvm_mips64_state *s = rich_state();
  uint8_t *a = NULL, *b = NULL;
  size_t al = 0, bl = 0;
  CHECK(fpvm_mips64_state_encode(s, &a, &al) == FPK_OK);
  CHECK_EQ_U64(al, 1 + 8 + 4 * 4104 + 92 + 16 + 5 * 298 + 4 + 7);
  fpvm_mips64_state *d = NULL;
  CHECK(fpvm_mips64_state_decode(&d, a, al, "rich.bin") == FPK_OK);
  if (!d) goto out;
  CHECK(fpvm_mips64_state_encode(d, &b, &bl) == FPK_OK);
  CHECK(al == bl && memcmp(a, b, al) == 0);
  uint8_t w1[FPVM_MIPS64_WITNESS_SIZE], w2[FPVM_MIPS64_WITNESS_SIZE];
  fpvm_mips64_state_witness(s, w1);
  fpvm_mips64_state_witness(d, w2);
  CHECK(memcmp(w1, w2, sizeof w1) == 0);
  CHECK(d->last_hint_len == 7 && memcmp(d->last_hint, "\0\0\0\x09" "abc", 7) == 0);
  CHECK_EQ_U64(fpvm_mem_read64(d->mem, 0xFFFFFFFFFFFFFFF8ull), 0xdeadbeef);
  CHECK_EQ_U64(fpvm_mem_page_count(d->mem), 4);
  CHECK_EQ_U64(d->right.n, 2);
  CHECK_EQ_U64(d->left.v[2].exited, 1); /* left = ids 0, 2, 4 */
  /* through files, plain and gzip */
  const char *names[] = {"rich.bin", "rich.bin.gz"};
  for (int i = 0; i < 2; i++) {
    char p[512];
    path_in_tmp(p, sizeof p, names[i]);
    CHECK(fpvm_mips64_state_write_file(s, p) == FPK_OK);
    fpvm_mips64_state *f = NULL;
    CHECK(fpvm_mips64_state_read_file(&f, p) == FPK_OK);
    if (f) {
      fpvm_mips64_state_witness(f, w2);
      CHECK(memcmp(w1, w2, sizeof w1) == 0);
    }
    fpvm_mips64_state_destroy(f);
    uint8_t *raw = NULL;
    size_t rl = 0;
    CHECK(fpvm_read_file(p, &raw, &rl) == FPK_OK);
    CHECK(rl == al && raw && memcmp(raw, a, al) == 0);
    free(raw);
    unlink(p);
  }
  /* clone keeps everything */
  fpvm_mips64_state *c = fpvm_mips64_state_clone(s);
  uint8_t *cb = NULL;
  size_t cl = 0;
  CHECK(c && fpvm_mips64_state_encode(c, &cb, &cl) == FPK_OK && cl == al && memcmp(cb, a, al) == 0);
  free(cb);
  fpvm_mips64_state_destroy(c);
out:
  fpvm_mips64_state_destroy(d);
  fpvm_mips64_state_destroy(s);
  free(a);
  free(b);
}

static void test_statefile_truncations(void) {
  fpvm_mips64_state *s = rich_state();
  uint8_t *a = NULL;
  size_t al = 0;
  CHECK(fpvm_mips64_state_encode(s, &a, &al) == FPK_OK);
  fpvm_mips64_state_destroy(s);
  size_t bad = 0;
  for (size_t n = 0; n < al; n++) {
    uint8_t *cut = malloc(n ? n : 1); /* exact-size copy so ASan sees any over-read */
    memcpy(cut, a, n);
    fpvm_mips64_state *d = (fpvm_mips64_state *)1;
    int rc = fpvm_mips64_state_decode(&d, cut, n, "cut.bin");
    if (rc != FPK_ETRUNC || d != NULL || strncmp(fpk_errmsg(), "cut.bin: field ", 15) != 0) {
      if (bad++ < 5) fprintf(stderr, "  length %zu: rc %d msg %s\n", n, rc, fpk_errmsg());
    }
    free(cut);
  }
  CHECK_EQ_U64(bad, 0);
  /* one extra byte */
  uint8_t *longer = malloc(al + 1);
  memcpy(longer, a, al);
  longer[al] = 0;
  fpvm_mips64_state *d = NULL;
  CHECK(fpvm_mips64_state_decode(&d, longer, al + 1, "long.bin") == FPK_EFORMAT);
  CHECK(strstr(fpk_errmsg(), "long.bin: ") == fpk_errmsg());
  free(longer);
  free(a);
}

static int decode_err(uint8_t *buf, size_t len, const char *want_field) {
  fpvm_mips64_state *d = NULL;
  int rc = fpvm_mips64_state_decode(&d, buf, len, "state.bin.gz");
  fpvm_mips64_state_destroy(d);
  if (want_field && !strstr(fpk_errmsg(), want_field)) {
    fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", fpk_errmsg(), want_field);
    return 0;
  }
  return rc;
}

static void test_statefile_bad_fields(void) {
  fpvm_mips64_state *e = fpvm_mips64_state_create_empty();
  uint8_t *a = NULL;
  size_t al = 0;
  CHECK(fpvm_mips64_state_encode(e, &a, &al) == FPK_OK);
  fpvm_mips64_state_destroy(e);
  CHECK_EQ_U64(al, EMPTY_LEN);
  uint8_t *b = malloc(al);

  memcpy(b, a, al);
  b[OFF_TRAVERSE] = 2;
  CHECK(decode_err(b, al, "field traverseRight") == FPK_EFORMAT);
  CHECK(strcmp(fpk_errmsg(), "state.bin.gz: field traverseRight: value 2 is not 0 or 1") == 0);

  memcpy(b, a, al);
  b[OFF_EXITED] = 2;
  CHECK(decode_err(b, al, "field exited") == FPK_EFORMAT);
  CHECK(strcmp(fpk_errmsg(), "state.bin.gz: field exited: value 2 is not 0 or 1") == 0);
  b[OFF_EXITED] = 0xFF;
  CHECK(decode_err(b, al, "field exited: value 255") == FPK_EFORMAT);

  memcpy(b, a, al);
  b[0] = 7;
  CHECK(decode_err(b, al, "field version") == FPK_EVERSION);
  b[0] = 9;
  CHECK(decode_err(b, al, "field version") == FPK_EVERSION);

  /* thread exited byte: non-zero reads as exited (Go's bool), normalised to 1 */
  memcpy(b, a, al);
  b[OFF_THREAD0 + 9] = 2;
  fpvm_mips64_state *d = NULL;
  CHECK(fpvm_mips64_state_decode(&d, b, al, "t.bin") == FPK_OK);
  CHECK(d && d->left.v[0].exited == 1);
  fpvm_mips64_state_destroy(d);

  /* absurd counts fail before allocating */
  memcpy(b, a, al);
  memset(b + 1, 0xFF, 8);
  CHECK(decode_err(b, al, "field pageCount") == FPK_ETRUNC);
  memcpy(b, a, al);
  memset(b + 101, 0x7F, 8);
  CHECK(decode_err(b, al, "field leftThreadStack") == FPK_ETRUNC);
  memcpy(b, a, al);
  memset(b + 415, 0xFF, 4);
  CHECK(decode_err(b, al, "field lastHint") == FPK_ETRUNC);
  free(b);
  free(a);

  /* pages: ascending order and index range */
  fpvm_mips64_state *s = fpvm_mips64_state_create_empty();
  fpvm_mem_write64(s->mem, 0x1000, 1);
  fpvm_mem_write64(s->mem, 0x2000, 2);
  CHECK(fpvm_mips64_state_encode(s, &a, &al) == FPK_OK);
  fpvm_mips64_state_destroy(s);
  b = malloc(al);
  memcpy(b, a, al);
  fpk_put_be64(b + 9 + 4104, 1); /* second page index = first */
  CHECK(decode_err(b, al, "field pageIndex") == FPK_EFORMAT);
  fpk_put_be64(b + 9 + 4104, 0); /* descending */
  CHECK(decode_err(b, al, "field pageIndex") == FPK_EFORMAT);
  memcpy(b, a, al);
  fpk_put_be64(b + 9 + 4104, 1ull << 52);
  CHECK(decode_err(b, al, "field pageIndex") == FPK_ERANGE);
  fpk_put_be64(b + 9 + 4104, (1ull << 52) - 1);
  CHECK(decode_err(b, al, NULL) == FPK_OK);
  free(b);
  free(a);
}

static void test_statefile_file_errors(void) {
  char p[512];
  fpvm_mips64_state *d = NULL;
  path_in_tmp(p, sizeof p, "missing.bin.gz");
  CHECK(fpvm_mips64_state_read_file(&d, p) == FPK_EIO);
  CHECK(strstr(fpk_errmsg(), "missing.bin.gz") != NULL);
  /* a plain file with a .gz name is not gzip */
  path_in_tmp(p, sizeof p, "plain.bin.gz");
  FILE *f = fopen(p, "wb");
  fputs("not gzip at all", f);
  fclose(f);
  int rc = fpvm_mips64_state_read_file(&d, p);
  CHECK(rc == FPK_EFORMAT || rc == FPK_ETRUNC);
  CHECK(d == NULL);
  unlink(p);
  /* corrupted flag byte inside a gzip file names the file and the field */
  fpvm_mips64_state *e = fpvm_mips64_state_create_empty();
  uint8_t *a = NULL;
  size_t al = 0;
  CHECK(fpvm_mips64_state_encode(e, &a, &al) == FPK_OK);
  a[OFF_TRAVERSE] = 2;
  path_in_tmp(p, sizeof p, "state.bin.gz");
  CHECK(fpvm_write_file(p, a, al) == FPK_OK);
  CHECK(fpvm_mips64_state_read_file(&d, p) == FPK_EFORMAT);
  CHECK(strstr(fpk_errmsg(), "state.bin.gz: field traverseRight: value 2 is not 0 or 1") != NULL);
  unlink(p);
  free(a);
  fpvm_mips64_state_destroy(e);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  snprintf(tmpdir, sizeof tmpdir, "/tmp/fpk_statefile_XXXXXX");
  if (!mkdtemp(tmpdir)) return 1;
  RUN(test_statefile_fixture);
  RUN(test_statefile_roundtrip);
  RUN(test_statefile_truncations);
  RUN(test_statefile_bad_fields);
  RUN(test_statefile_file_errors);
  rmdir(tmpdir);
  return fpk_test_main_end();
}
