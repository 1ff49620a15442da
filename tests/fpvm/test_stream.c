/* State-file streams: gzip by name, atomic replace, abort leaves nothing behind, clean errors. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fpkit/fpvm.h"
#include "test.h"

static char dir[256];

static size_t count_entries(void) {
  DIR *d = opendir(dir);
  size_t n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  if (d) closedir(d);
  return n;
}

static void test_stream_roundtrip(void) {
  size_t n = 300000;
  uint8_t *data = malloc(n);
  for (size_t i = 0; i < n; i++) data[i] = (uint8_t)(i * 7 + (i >> 9));
  const char *names[] = {"a.bin", "a.bin.gz"};
  for (int k = 0; k < 2; k++) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, names[k]);
    fpvm_wstream *w = NULL;
    CHECK(fpvm_wstream_open(&w, p) == FPK_OK);
    /* uneven chunks */
    size_t off = 0, step = 1;
    while (off < n) {
      size_t c = step < n - off ? step : n - off;
      CHECK(fpvm_wstream_write(w, data + off, c) == FPK_OK);
      off += c;
      step = step * 3 + 1;
    }
    CHECK(access(p, F_OK) != 0); /* nothing at the destination before close */
    CHECK(fpvm_wstream_close(w) == FPK_OK);
    struct stat st;
    CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0755);
    uint8_t *back = NULL;
    size_t bl = 0;
    CHECK(fpvm_read_file(p, &back, &bl) == FPK_OK);
    CHECK(bl == n && back && memcmp(back, data, n) == 0);
    free(back);
    /* compression really happened for .gz, and the gzip header is Go-like (OS = unknown) */
    FILE *f = fopen(p, "rb");
    uint8_t hdr[10] = {0};
    CHECK(f && fread(hdr, 1, 10, f) == 10);
    if (f) fclose(f);
    if (k == 1) CHECK(hdr[0] == 0x1f && hdr[1] == 0x8b && hdr[9] == 0xff && st.st_size < (off_t)n);
    else CHECK(st.st_size == (off_t)n);
    unlink(p);
  }
  CHECK_EQ_U64(count_entries(), 0);
  free(data);
}

static void test_stream_atomic(void) {
  char p[512];
  snprintf(p, sizeof p, "%s/s.bin", dir);
  CHECK(fpvm_write_file(p, "old", 3) == FPK_OK);
  fpvm_wstream *w = NULL;
  CHECK(fpvm_wstream_open(&w, p) == FPK_OK);
  CHECK(fpvm_wstream_write(w, "new content", 11) == FPK_OK);
  CHECK_EQ_U64(count_entries(), 2); /* the temp file sits beside the destination */
  fpvm_wstream_abort(w);
  CHECK_EQ_U64(count_entries(), 1);
  uint8_t *b = NULL;
  size_t bl = 0;
  CHECK(fpvm_read_file(p, &b, &bl) == FPK_OK && bl == 3 && memcmp(b, "old", 3) == 0);
  free(b);
  CHECK(fpvm_write_file(p, "replaced", 8) == FPK_OK);
  CHECK(fpvm_read_file(p, &b, &bl) == FPK_OK && bl == 8 && memcmp(b, "replaced", 8) == 0);
  free(b);
  CHECK(fpvm_write_file_mode(p, "", 0, 0600) == FPK_OK);
  struct stat st;
  CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_size == 0);
  CHECK(fpvm_read_file(p, &b, &bl) == FPK_OK && bl == 0);
  free(b);
  unlink(p);
  fpvm_wstream_abort(NULL);
  CHECK_EQ_U64(count_entries(), 0);
}

static void test_stream_errors(void) {
  char p[512];
  fpvm_wstream *w = NULL;
  snprintf(p, sizeof p, "%s/no/such/dir/x.bin", dir);
  CHECK(fpvm_wstream_open(&w, p) == FPK_EIO);
  CHECK(w == NULL);
  CHECK(strstr(fpk_errmsg(), "x.bin") != NULL);
  CHECK(fpvm_wstream_open(&w, "") == FPK_EINVAL);
  uint8_t *b = NULL;
  size_t bl = 0;
  CHECK(fpvm_read_file(p, &b, &bl) == FPK_EIO);
  /* truncated and corrupted gzip */
  snprintf(p, sizeof p, "%s/t.bin.gz", dir);
  uint8_t data[5000];
  for (size_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * 13);
  CHECK(fpvm_write_file(p, data, sizeof data) == FPK_OK);
  uint8_t *gz = NULL;
  size_t gl = 0;
  FILE *f = fopen(p, "rb");
  gz = malloc(1 << 16);
  gl = fread(gz, 1, 1 << 16, f);
  fclose(f);
  size_t fails = 0;
  for (size_t cut = 0; cut < gl; cut += (cut < 20 ? 1 : 97)) {
    f = fopen(p, "wb");
    fwrite(gz, 1, cut, f);
    fclose(f);
    int rc = fpvm_read_file(p, &b, &bl);
    if (rc == FPK_OK) fails++;
    free(b);
    b = NULL;
  }
  CHECK_EQ_U64(fails, 0);
  gz[gl / 2] ^= 0x55;
  gz[gl - 3] ^= 0x55; /* also break the length trailer */
  f = fopen(p, "wb");
  fwrite(gz, 1, gl, f);
  fclose(f);
  CHECK(fpvm_read_file(p, &b, &bl) != FPK_OK);
  free(b);
  free(gz);
  unlink(p);
  CHECK(fpvm_path_is_gzip("x.bin.gz") && !fpvm_path_is_gzip("x.bin") && !fpvm_path_is_gzip("gz"));
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  snprintf(dir, sizeof dir, "/tmp/fpk_stream_XXXXXX");
  if (!mkdtemp(dir)) return 1;
  RUN(test_stream_roundtrip);
  RUN(test_stream_atomic);
  RUN(test_stream_errors);
  rmdir(dir);
  return fpk_test_main_end();
}
