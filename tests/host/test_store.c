/* Store kinds behind fph_store: behaviour, op-program directory/file format byte for byte, round trips. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fpkit/preimage.h"
#include "host/store.h"
#include "test.h"

static char tmproot[256];

static void mkpath(char *out, size_t cap, const char *name) { snprintf(out, cap, "%s/%s", tmproot, name); }

static int slurp(const char *path, char *buf, size_t cap, size_t *n) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t r = read(fd, buf, cap);
  close(fd);
  if (r < 0) return -1;
  *n = (size_t)r;
  return 0;
}

static void spit(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static void exercise(fph_store *s) {
  uint8_t k1[32], k2[32], *v;
  size_t n;
  pre_key_keccak256(k1, "hello", 5);
  pre_key_sha256(k2, "", 0);
  CHECK(fph_store_get(s, k1, &v, &n) == FPK_ENOTFOUND);
  CHECK(fph_store_has(s, k1) == 0);
  CHECK(fph_store_put(s, k1, (const uint8_t *)"hello", 5) == FPK_OK);
  CHECK(fph_store_put(s, k2, NULL, 0) == FPK_OK);
  CHECK(fph_store_put(s, k1, (const uint8_t *)"hello", 5) == FPK_OK); /* idempotent overwrite */
  CHECK(fph_store_has(s, k1) == 1);
  CHECK(fph_store_get(s, k1, &v, &n) == FPK_OK);
  CHECK(n == 5 && memcmp(v, "hello", 5) == 0);
  free(v);
  CHECK(fph_store_get(s, k2, &v, &n) == FPK_OK);
  CHECK(n == 0);
  free(v);
  for (int i = 0; i < 300; i++) { /* grows the mem table, spreads the dir layout over many folders */
    uint8_t val[16], key[32];
    fph_synth_entry((uint64_t)i, sizeof val, val, key);
    CHECK(fph_store_put(s, key, val, sizeof val) == FPK_OK);
  }
  for (int i = 0; i < 300; i += 37) {
    uint8_t val[16], key[32];
    fph_synth_entry((uint64_t)i, sizeof val, val, key);
    CHECK(fph_store_get(s, key, &v, &n) == FPK_OK);
    CHECK(n == 16 && memcmp(v, val, 16) == 0);
    free(v);
  }
}

static int count_cb(void *arg, const uint8_t key[32], const uint8_t *val, size_t len) {
  ++*(int *)arg;
  return FPK_OK;
}

static int store_count(fph_store *s) {
  int n = 0;
  CHECK(fph_store_iterate(s, count_cb, &n) == FPK_OK);
  return n;
}

static void test_kinds(void) {
  const char *kinds[] = {"mem", "dir:%s/k_dir", "file:%s/k_file", "lmdb:%s/k_lmdb"};
  for (size_t i = 0; i < 4; i++) {
    char spec[512];
    snprintf(spec, sizeof spec, kinds[i], tmproot);
    fph_store *s = NULL;
    CHECK(fph_store_open(&s, spec) == FPK_OK);
    if (!s) continue;
    exercise(s);
    CHECK(store_count(s) == 302);
    CHECK(fph_store_close(s) == FPK_OK);
    if (i == 0) continue;
    /* persistent kinds keep everything across a reopen */
    CHECK(fph_store_open(&s, spec) == FPK_OK);
    CHECK(store_count(s) == 302);
    CHECK(fph_store_close(s) == FPK_OK);
  }
}

static void test_directory_format_bytes(void) {
  char root[512], path[1024], buf[256];
  size_t n = 0;
  mkpath(root, sizeof root, "fmt_dir");
  fph_store *s;
  CHECK(fph_store_dir_open(&s, root, FPH_LAYOUT_DIRECTORY) == FPK_OK);
  uint8_t key[32];
  pre_key_keccak256(key, "\x01\xab\xff", 3);
  CHECK(fph_store_put(s, key, (const uint8_t *)"\x01\xab\xff", 3) == FPK_OK);
  /* key = 0x02 + keccak(01abff)[1:]; directory = first 4 hex chars, file = remaining 60 + ".txt" */
  char hex[65];
  fpk_hex_encode(hex, key, 32);
  snprintf(path, sizeof path, "%s/%.4s/%s.txt", root, hex, hex + 4);
  CHECK(slurp(path, buf, sizeof buf, &n) == 0);
  CHECK(n == 6 && memcmp(buf, "01abff", 6) == 0); /* lowercase hex, no 0x, no newline */
  snprintf(path, sizeof path, "%s/kvformat", root);
  CHECK(slurp(path, buf, sizeof buf, &n) == 0);
  CHECK(n == 9 && memcmp(buf, "directory", 9) == 0);
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == (0644 & ~(mode_t)umask(022)));
  umask(022);
  /* no temp file left behind in the root */
  DIR *d = opendir(root);
  int entries = 0;
  struct dirent *de;
  while (d && (de = readdir(d)))
    if (de->d_name[0] != '.') entries++;
  if (d) closedir(d);
  CHECK(entries == 2);
  CHECK(fph_store_close(s) == FPK_OK);

  mkpath(root, sizeof root, "fmt_file");
  CHECK(fph_store_dir_open(&s, root, FPH_LAYOUT_FILE) == FPK_OK);
  CHECK(fph_store_put(s, key, (const uint8_t *)"\x01\xab\xff", 3) == FPK_OK);
  snprintf(path, sizeof path, "%s/0x%s.txt", root, hex);
  CHECK(slurp(path, buf, sizeof buf, &n) == 0);
  CHECK(n == 6 && memcmp(buf, "01abff", 6) == 0);
  snprintf(path, sizeof path, "%s/kvformat", root);
  CHECK(slurp(path, buf, sizeof buf, &n) == 0);
  CHECK(n == 4 && memcmp(buf, "file", 4) == 0);
  CHECK(fph_store_close(s) == FPK_OK);
  /* the marker wins over a conflicting explicit kind, and disk: follows it */
  CHECK(fph_store_dir_open(&s, root, FPH_LAYOUT_DIRECTORY) == FPK_EFORMAT);
  char spec[600];
  snprintf(spec, sizeof spec, "disk:%s", root);
  CHECK(fph_store_open(&s, spec) == FPK_OK);
  uint8_t *v;
  CHECK(fph_store_get(s, key, &v, &n) == FPK_OK);
  CHECK(n == 3);
  free(v);
  CHECK(fph_store_close(s) == FPK_OK);
  spit(path, "pebble");
  CHECK(fph_store_open(&s, spec) == FPK_EUNSUPPORTED);
  spit(path, "directory\n");
  CHECK(fph_store_open(&s, spec) == FPK_EFORMAT);
}

/* A directory written by hand the way op-program lays it out reads back (uppercase hex is accepted as Go's
 * decoder does); bad hex in a value file is an error, never data. */
static void test_directory_reads_foreign(void) {
  char root[512], path[1024];
  mkpath(root, sizeof root, "foreign");
  mkdir(root, 0777);
  snprintf(path, sizeof path, "%s/kvformat", root);
  spit(path, "directory");
  uint8_t key[32];
  pre_key_keccak256(key, "\xde\xad", 2);
  char hex[65];
  fpk_hex_encode(hex, key, 32);
  snprintf(path, sizeof path, "%s/%.4s", root, hex);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/%.4s/%s.txt", root, hex, hex + 4);
  spit(path, "DEAD");
  /* stray names that are not entries */
  char junk[1024];
  snprintf(junk, sizeof junk, "%s/0x%s.txt.123456", root, hex);
  spit(junk, "zz");
  fph_store *s, *vs;
  CHECK(fph_store_dir_open(&s, root, FPH_LAYOUT_DIRECTORY) == FPK_OK);
  CHECK(fph_store_verified(&vs, s) == FPK_OK);
  uint8_t *v;
  size_t n;
  CHECK(fph_store_get(vs, key, &v, &n) == FPK_OK);
  CHECK(n == 2 && v[0] == 0xde && v[1] == 0xad);
  free(v);
  CHECK(store_count(vs) == 1);
  const char *bad[] = {"dea", "0xdead", "de ad", "dexx", "dead\n"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    spit(path, bad[i]);
    CHECK(fph_store_get(vs, key, &v, &n) == FPK_EFORMAT);
  }
  /* well-formed hex that is the wrong preimage: the verifying layer refuses to hand it out */
  spit(path, "beef");
  CHECK(fph_store_get(vs, key, &v, &n) == FPK_EVERIFY);
  int cnt = 0;
  CHECK(fph_store_iterate(vs, count_cb, &cnt) == FPK_EVERIFY);
  CHECK(fph_store_close(vs) == FPK_OK);
}

static void test_name_parse(void) {
  uint8_t key[32];
  char name[80];
  memset(name, 'a', 60);
  strcpy(name + 60, ".txt");
  CHECK(fph_dir_name_key(FPH_LAYOUT_DIRECTORY, "02ff", name, key) == FPK_OK);
  CHECK(key[0] == 2 && key[1] == 0xff && key[2] == 0xaa && key[31] == 0xaa);
  CHECK(fph_dir_name_key(FPH_LAYOUT_DIRECTORY, "02FF", name, key) == FPK_EFORMAT);
  CHECK(fph_dir_name_key(FPH_LAYOUT_DIRECTORY, "02f", name, key) == FPK_EFORMAT);
  CHECK(fph_dir_name_key(FPH_LAYOUT_FILE, NULL, name, key) == FPK_EFORMAT);
  name[59] = 'g';
  CHECK(fph_dir_name_key(FPH_LAYOUT_DIRECTORY, "02ff", name, key) == FPK_EFORMAT);
  snprintf(name, sizeof name, "0x%064d.txt", 0);
  CHECK(fph_dir_name_key(FPH_LAYOUT_FILE, NULL, name, key) == FPK_OK);
  CHECK(fph_dir_name_key(FPH_LAYOUT_FILE, NULL, "kvformat", key) == FPK_EFORMAT);
  snprintf(name, sizeof name, "0x%064d.txt.1", 0);
  CHECK(fph_dir_name_key(FPH_LAYOUT_FILE, NULL, name, key) == FPK_EFORMAT);
}

static void test_verified_layer(void) {
  fph_store *m, *s;
  CHECK(fph_store_mem_open(&m) == FPK_OK);
  CHECK(fph_store_verified(&s, m) == FPK_OK);
  uint8_t key[32];
  pre_key_keccak256(key, "a", 1);
  CHECK(fph_store_put(s, key, (const uint8_t *)"b", 1) == FPK_EVERIFY);
  CHECK(fph_store_has(s, key) == 0);
  CHECK(fph_store_put(s, key, (const uint8_t *)"a", 1) == FPK_OK);
  pre_key_local(key, 1);
  CHECK(fph_store_put(s, key, (const uint8_t *)"a", 1) == FPK_EINVAL); /* local keys stay out */
  key[0] = 3;
  CHECK(fph_store_put(s, key, (const uint8_t *)"a", 1) == FPK_EUNSUPPORTED);
  key[0] = 9;
  uint8_t *v;
  size_t n;
  CHECK(fph_store_get(s, key, &v, &n) == FPK_EUNSUPPORTED);
  key[0] = PRE_KEY_BLOB; /* cannot be checked: passes */
  CHECK(fph_store_put(s, key, (const uint8_t *)"zz", 2) == FPK_OK);
  /* corrupt the inner store behind the layer's back */
  pre_key_keccak256(key, "a", 1);
  CHECK(fph_store_put(m, key, (const uint8_t *)"x", 1) == FPK_OK);
  CHECK(fph_store_get(s, key, &v, &n) == FPK_EVERIFY);
  CHECK(fph_store_close(s) == FPK_OK);
}

static void test_roundtrip_all_kinds(void) {
  /* synth -> mem -> dir -> file -> lmdb -> dir2: every hop keeps every entry byte for byte */
  char spec[5][600];
  snprintf(spec[0], sizeof spec[0], "mem");
  snprintf(spec[1], sizeof spec[1], "dir:%s/rt_dir", tmproot);
  snprintf(spec[2], sizeof spec[2], "file:%s/rt_file", tmproot);
  snprintf(spec[3], sizeof spec[3], "lmdb:%s/rt_lmdb", tmproot);
  snprintf(spec[4], sizeof spec[4], "dir:%s/rt_dir2", tmproot);
  fph_store *src, *st[5];
  CHECK(fph_store_open(&src, "synth:500:40") == FPK_OK);
  for (int i = 0; i < 5; i++) CHECK(fph_store_open(&st[i], spec[i]) == FPK_OK);
  CHECK(fph_store_copy(st[0], src, 64, NULL, NULL) == FPK_OK);
  for (int i = 1; i < 5; i++) CHECK(fph_store_copy(st[i], st[i - 1], 64, NULL, NULL) == FPK_OK);
  for (int i = 0; i < 5; i++) CHECK(store_count(st[i]) == 500);
  for (uint64_t j = 0; j < 500; j += 7) {
    uint8_t val[40], key[32], *v;
    size_t n;
    fph_synth_entry(j, sizeof val, val, key);
    for (int i = 0; i < 5; i++) {
      CHECK(fph_store_get(st[i], key, &v, &n) == FPK_OK);
      CHECK(n == 40 && memcmp(v, val, 40) == 0);
      free(v);
    }
  }
  fph_store_close(src);
  for (int i = 0; i < 5; i++) CHECK(fph_store_close(st[i]) == FPK_OK);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  umask(022);
  snprintf(tmproot, sizeof tmproot, "/tmp/fph_test_store.XXXXXX");
  if (!mkdtemp(tmproot)) return 1;
  RUN(test_kinds);
  RUN(test_directory_format_bytes);
  RUN(test_directory_reads_foreign);
  RUN(test_name_parse);
  RUN(test_verified_layer);
  RUN(test_roundtrip_all_kinds);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmproot);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmproot);
  return fpk_test_main_end();
}
