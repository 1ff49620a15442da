/* fph_serve against a client that dribbles every message one byte per write, over socketpairs: hints are
 * acked and logged, locals and globals served, a missing key ends the server with nothing written. */
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fpkit/preimage.h"
#include "host/oracle.h"
#include "test.h"

static long one_read(void *ctx, int fd, void *buf, size_t len) { return (long)read(fd, buf, len ? 1 : 0); }
static long one_write(void *ctx, int fd, const void *buf, size_t len) { return (long)write(fd, buf, len ? 1 : 0); }

typedef struct {
  int hint, pre; /* client ends of the two socketpairs */
  int result;
  int missing; /* ask for a key the host lacks at the end */
} client_arg;

static void *client_main(void *p) {
  client_arg *a = p;
  pre_io io = {NULL, one_read, one_write};
  pre_client c;
  pre_client_init(&c, &io);
  c.hint_r = c.hint_w = a->hint;
  c.pre_r = c.pre_w = a->pre;
  uint8_t key[32], buf[64];
  size_t len = 0;
  int rc = pre_hint(&c, "l1-block-header 0xaa", 20);
  if (rc == FPK_OK) rc = pre_get_local(&c, 1, buf, sizeof buf, &len);
  if (rc == FPK_OK && (len != 3 || memcmp(buf, "abc", 3))) rc = FPK_ECORRUPT;
  pre_key_keccak256(key, "xyz", 3);
  if (rc == FPK_OK) rc = pre_hint(&c, "", 0);
  if (rc == FPK_OK) rc = pre_get(&c, key, buf, sizeof buf, &len);
  if (rc == FPK_OK && (len != 3 || memcmp(buf, "xyz", 3))) rc = FPK_ECORRUPT;
  if (rc == FPK_OK && a->missing) {
    pre_key_keccak256(key, "nope", 4);
    rc = pre_get(&c, key, buf, sizeof buf, &len) == FPK_ETRUNC ? FPK_OK : FPK_ECORRUPT;
  }
  shutdown(a->hint, SHUT_WR);
  shutdown(a->pre, SHUT_WR);
  a->result = rc;
  return NULL;
}

static int run(int missing, const char *logpath) {
  int hs[2], ps[2];
  CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, hs) == 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, ps) == 0);
  fph_store *m, *g;
  CHECK(fph_store_mem_open(&m) == FPK_OK);
  CHECK(fph_store_verified(&g, m) == FPK_OK);
  uint8_t key[32];
  pre_key_keccak256(key, "xyz", 3);
  CHECK(fph_store_put(g, key, (const uint8_t *)"xyz", 3) == FPK_OK);
  fph_oracle o;
  CHECK(fph_oracle_init(&o, g) == FPK_OK);
  CHECK(fph_oracle_set_local(&o, 1, (const uint8_t *)"abc", 3) == FPK_OK);
  FILE *log = fopen(logpath, "w");
  o.hint_log = log;
  pre_fdio_ctx ctx = {0};
  pre_io io;
  pre_io_fd(&io, &ctx);
  pre_server s;
  pre_server_init(&s, &io);
  s.hint_r = s.hint_w = hs[0];
  s.pre_r = s.pre_w = ps[0];
  client_arg a = {hs[1], ps[1], -99, missing};
  pthread_t t;
  CHECK(pthread_create(&t, NULL, client_main, &a) == 0);
  int rc = fph_serve(&o, &s, NULL);
  if (rc != FPK_OK) { /* what the CLI does on error: drop the streams so the client sees EOF */
    shutdown(hs[0], SHUT_RDWR);
    shutdown(ps[0], SHUT_RDWR);
  }
  pthread_join(t, NULL);
  CHECK(a.result == FPK_OK);
  CHECK_EQ_U64(o.n_hints, 2);
  CHECK_EQ_U64(o.n_served, 2);
  fph_oracle_close(&o);
  fclose(log);
  close(hs[0]), close(hs[1]), close(ps[0]), close(ps[1]);
  return rc;
}

static void test_serve_dribble(void) {
  char path[] = "/tmp/fph_test_serve.XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  CHECK(run(0, path) == FPK_OK);
  FILE *f = fopen(path, "r");
  char buf[128] = {0};
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f) fclose(f);
  CHECK(n == 22 && memcmp(buf, "l1-block-header 0xaa\n\n", 22) == 0);
  CHECK(run(1, path) == FPK_ENOTFOUND);
  CHECK(strstr(fpk_errmsg(), "not in the store (offline)") != NULL);
  unlink(path);
}

static void test_oracle_rules(void) {
  fph_store *m, *g;
  CHECK(fph_store_mem_open(&m) == FPK_OK);
  CHECK(fph_store_verified(&g, m) == FPK_OK);
  fph_oracle o;
  CHECK(fph_oracle_init(&o, g) == FPK_OK);
  CHECK(fph_oracle_set_local(&o, 2, (const uint8_t *)"L", 1) == FPK_OK);
  uint8_t key[32], *v;
  size_t n;
  pre_key_local(key, 2);
  CHECK(fph_oracle_get(&o, key, &v, &n) == FPK_OK);
  CHECK(n == 1 && v[0] == 'L');
  free(v);
  /* local keys are never in the global store, and the global store cannot hold them */
  CHECK(fph_store_has(m, key) == 0);
  pre_key_local(key, 3);
  CHECK(fph_oracle_get(&o, key, &v, &n) == FPK_ENOTFOUND);
  key[0] = 3;
  CHECK(fph_oracle_get(&o, key, &v, &n) == FPK_EUNSUPPORTED);
  key[0] = 0;
  CHECK(fph_oracle_get(&o, key, &v, &n) == FPK_EUNSUPPORTED);
  /* offline: hints are logged, not kept */
  CHECK(fph_oracle_hint(&o, "a 0x01", 6) == FPK_OK);
  CHECK(o.last_hint == NULL);
  fph_oracle_close(&o);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_serve_dribble);
  RUN(test_oracle_rules);
  return fpk_test_main_end();
}
