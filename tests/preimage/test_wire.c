/* Preimage ABI conformance for both roles over an in-memory pre_io that moves one byte per call. */
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include "fpkit/keccak.h"
#include "fpkit/preimage.h"
#include "test.h"

/* fds 3..6 each map to one byte queue. Reads and writes move at most `chunk` bytes per call; reads past the
 * end of a queue return 0 (EOF); writes fail once a queue's limit is hit. */
typedef struct {
  uint8_t buf[8][4096];
  size_t len[8], pos[8];
  size_t chunk;
  long calls;
} mockio;

static long m_read(void *ctx, int fd, void *out, size_t n) {
  mockio *m = ctx;
  m->calls++;
  size_t avail = m->len[fd] - m->pos[fd];
  if (avail == 0) return 0;
  size_t k = n < m->chunk ? n : m->chunk;
  if (k > avail) k = avail;
  memcpy(out, m->buf[fd] + m->pos[fd], k);
  m->pos[fd] += k;
  return (long)k;
}

static long m_write(void *ctx, int fd, const void *in, size_t n) {
  mockio *m = ctx;
  m->calls++;
  size_t k = n < m->chunk ? n : m->chunk;
  if (m->len[fd] + k > sizeof m->buf[fd]) return -1;
  memcpy(m->buf[fd] + m->len[fd], in, k);
  m->len[fd] += k;
  return (long)k;
}

static void m_push(mockio *m, int fd, const void *p, size_t n) {
  memcpy(m->buf[fd] + m->len[fd], p, n);
  m->len[fd] += n;
}

static void mock_init(mockio *m, pre_io *io, size_t chunk) {
  memset(m, 0, sizeof *m);
  m->chunk = chunk;
  io->ctx = m;
  io->read = m_read;
  io->write = m_write;
}

static void test_keys(void) {
  uint8_t k[32];
  pre_key_local(k, 0x0102030405060708ull);
  CHECK_HEX(k, 32, "0100000000000000000000000000000000000000000000000102030405060708");
  pre_key_keccak256(k, "", 0);
  CHECK_HEX(k, 32, "02d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  pre_key_sha256(k, "abc", 3);
  CHECK_HEX(k, 32, "047816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  uint8_t h[32];
  memset(h, 0xab, 32);
  pre_key_from_hash(k, PRE_KEY_BLOB, h);
  CHECK(k[0] == 5 && k[1] == 0xab && k[31] == 0xab);
  for (int t = 0; t < 256; t++) {
    k[0] = (uint8_t)t;
    int ok = t == 1 || t == 2 || t == 4 || t == 5 || t == 6;
    CHECK((pre_key_check(k) == FPK_OK) == ok);
  }
}

static void test_verify(void) {
  uint8_t k[32];
  pre_key_keccak256(k, "hello", 5);
  CHECK(pre_verify(k, "hello", 5) == FPK_OK);
  CHECK(pre_verify(k, "hellp", 5) == FPK_EVERIFY);
  pre_key_sha256(k, "hello", 5);
  CHECK(pre_verify(k, "hello", 5) == FPK_OK);
  CHECK(pre_verify(k, "hello", 4) == FPK_EVERIFY);
  k[0] = PRE_KEY_KECCAK256; /* a sha256 hash under the keccak type must not pass */
  CHECK(pre_verify(k, "hello", 5) == FPK_EVERIFY);
  k[0] = PRE_KEY_BLOB;
  CHECK(pre_verify(k, "anything", 8) == FPK_OK);
  k[0] = PRE_KEY_PRECOMPILE;
  CHECK(pre_verify(k, "", 0) == FPK_OK);
  k[0] = 3;
  CHECK(pre_verify(k, "", 0) == FPK_EUNSUPPORTED);
  k[0] = 0;
  CHECK(pre_verify(k, "", 0) == FPK_EUNSUPPORTED);
  k[0] = 7;
  CHECK(pre_verify(k, "", 0) == FPK_EUNSUPPORTED);
}

static void test_client_hint_bytewise(void) {
  mockio m;
  pre_io io;
  mock_init(&m, &io, 1);
  pre_client c;
  pre_client_init(&c, &io);
  uint8_t ack = 0x5a; /* any value is accepted */
  m_push(&m, 3, &ack, 1);
  CHECK(pre_hint(&c, "l1-block-header 0x01", 20) == FPK_OK);
  CHECK_EQ_U64(m.len[4], 24);
  CHECK_HEX(m.buf[4], 4, "00000014");
  CHECK(memcmp(m.buf[4] + 4, "l1-block-header 0x01", 20) == 0);
  CHECK_EQ_U64(m.pos[3], 1);
  /* No ack: the host went away. */
  CHECK(pre_hint(&c, "x", 1) == FPK_ECLOSED);
  /* Empty hint is legal. */
  m_push(&m, 3, &ack, 1);
  size_t before = m.len[4];
  CHECK(pre_hint(&c, "", 0) == FPK_OK);
  CHECK_EQ_U64(m.len[4] - before, 4);
}

static void test_client_get_bytewise(void) {
  mockio m;
  pre_io io;
  mock_init(&m, &io, 1);
  pre_client c;
  pre_client_init(&c, &io);
  uint8_t key[32], hdr[8];
  pre_key_keccak256(key, "abc", 3);
  fpk_put_be64(hdr, 3);
  m_push(&m, 5, hdr, 8);
  m_push(&m, 5, "abc", 3);
  fpk_put_be64(hdr, 0);
  m_push(&m, 5, hdr, 8);
  uint8_t out[16];
  size_t len = 99;
  CHECK(pre_get(&c, key, out, sizeof out, &len) == FPK_OK);
  CHECK_EQ_U64(len, 3);
  CHECK(memcmp(out, "abc", 3) == 0);
  CHECK_EQ_U64(m.len[6], 32);
  CHECK(memcmp(m.buf[6], key, 32) == 0);
  CHECK(m.calls > 40); /* really went one byte at a time */
  CHECK(pre_get(&c, key, out, sizeof out, &len) == FPK_OK);
  CHECK_EQ_U64(len, 0);
  /* Nothing more: EOF at the boundary is still fatal for a client. */
  CHECK(pre_get(&c, key, out, sizeof out, &len) == FPK_ETRUNC);
}

static void test_client_get_too_big_drains(void) {
  mockio m;
  pre_io io;
  mock_init(&m, &io, 3);
  pre_client c;
  pre_client_init(&c, &io);
  uint8_t key[32], hdr[8], big[300];
  memset(big, 7, sizeof big);
  pre_key_local(key, 6);
  fpk_put_be64(hdr, sizeof big);
  m_push(&m, 5, hdr, 8);
  m_push(&m, 5, big, sizeof big);
  fpk_put_be64(hdr, 2);
  m_push(&m, 5, hdr, 8);
  m_push(&m, 5, "ok", 2);
  uint8_t out[16];
  size_t len = 0;
  CHECK(pre_get(&c, key, out, sizeof out, &len) == FPK_ERANGE);
  CHECK_EQ_U64(len, sizeof big);
  /* The stream is still in sync after the drain. */
  CHECK(pre_get_local(&c, 7, out, sizeof out, &len) == FPK_OK);
  CHECK_EQ_U64(len, 2);
  CHECK(memcmp(out, "ok", 2) == 0);
  CHECK_HEX(m.buf[6] + 32, 32, "0100000000000000000000000000000000000000000000000000000000000007");
}

static void test_client_get_oversized_length_truncated(void) {
  mockio m;
  pre_io io;
  mock_init(&m, &io, 1);
  pre_client c;
  pre_client_init(&c, &io);
  uint8_t key[32], hdr[8], out[8];
  pre_key_local(key, 1);
  fpk_put_be64(hdr, UINT64_MAX);
  m_push(&m, 5, hdr, 8);
  m_push(&m, 5, "abcd", 4);
  size_t len = 0;
  /* The drain runs into EOF long before 2^64 bytes. */
  CHECK(pre_get(&c, key, out, sizeof out, &len) == FPK_ETRUNC);
  /* EOF inside the length prefix. */
  mock_init(&m, &io, 1);
  pre_client_init(&c, &io);
  m_push(&m, 5, hdr, 5);
  CHECK(pre_get(&c, key, out, sizeof out, &len) == FPK_ETRUNC);
  /* EOF inside the data. */
  mock_init(&m, &io, 1);
  pre_client_init(&c, &io);
  fpk_put_be64(hdr, 6);
  m_push(&m, 5, hdr, 8);
  m_push(&m, 5, "abc", 3);
  CHECK(pre_get(&c, key, out, sizeof out, &len) == FPK_ETRUNC);
}

static void test_server_hint(void) {
  mockio m;
  pre_io io;
  mock_init(&m, &io, 1);
  pre_server s;
  pre_server_init(&s, &io);
  uint8_t hdr[4];
  fpk_put_be32(hdr, 5);
  m_push(&m, 3, hdr, 4);
  m_push(&m, 3, "a 0x1", 5);
  fpk_put_be32(hdr, 0);
  m_push(&m, 3, hdr, 4);
  char *h = NULL;
  size_t n = 0;
  CHECK(pre_server_read_hint(&s, &h, &n) == FPK_OK);
  CHECK(n == 5 && h && memcmp(h, "a 0x1", 6) == 0);
  free(h);
  CHECK(pre_server_ack(&s) == FPK_OK);
  CHECK(pre_server_read_hint(&s, &h, &n) == FPK_OK);
  CHECK(n == 0 && h && h[0] == 0);
  free(h);
  CHECK(pre_server_ack(&s) == FPK_OK);
  CHECK_EQ_U64(m.len[4], 2);
  CHECK(m.buf[4][0] == 0 && m.buf[4][1] == 0);
  /* EOF at a boundary is a clean close. */
  CHECK(pre_server_read_hint(&s, &h, &n) == FPK_ECLOSED);
  /* EOF inside the length, inside the payload. */
  m_push(&m, 3, hdr, 2);
  CHECK(pre_server_read_hint(&s, &h, &n) == FPK_ETRUNC);
  fpk_put_be32(hdr, 10);
  m_push(&m, 3, hdr, 4);
  m_push(&m, 3, "abc", 3);
  CHECK(pre_server_read_hint(&s, &h, &n) == FPK_ETRUNC);
  /* Oversized length: refused without trying to allocate or read it. */
  fpk_put_be32(hdr, 0xffffffffu);
  m_push(&m, 3, hdr, 4);
  CHECK(pre_server_read_hint(&s, &h, &n) == FPK_ERANGE);
}

static void test_server_key_and_write(void) {
  mockio m;
  pre_io io;
  mock_init(&m, &io, 1);
  pre_server s;
  pre_server_init(&s, &io);
  uint8_t key[32], got[32];
  pre_key_keccak256(key, "x", 1);
  m_push(&m, 5, key, 32);
  m_push(&m, 5, key, 31);
  CHECK(pre_server_read_key(&s, got) == FPK_OK);
  CHECK(memcmp(got, key, 32) == 0);
  CHECK(pre_server_read_key(&s, got) == FPK_ETRUNC);
  CHECK(pre_server_read_key(&s, got) == FPK_ECLOSED);
  CHECK(pre_server_write(&s, "xyz", 3) == FPK_OK);
  CHECK(pre_server_write(&s, NULL, 0) == FPK_OK);
  CHECK_EQ_U64(m.len[6], 8 + 3 + 8);
  CHECK_HEX(m.buf[6], 19, "0000000000000003" "78797a" "0000000000000000");
  /* Write failure surfaces as an error, never a silent success. */
  m.len[6] = sizeof m.buf[6] - 4;
  CHECK(pre_server_write(&s, "xyz", 3) == FPK_EIO);
}

static void test_hint_parse(void) {
  pre_hint_parts p;
  uint8_t out[8];
  CHECK(pre_hint_split(&p, "l1-blob 0x0102", 14) == FPK_OK);
  CHECK(p.type_len == 7 && memcmp(p.type, "l1-blob", 7) == 0);
  CHECK(pre_hint_data(out, sizeof out, &p) == 2);
  CHECK(out[0] == 1 && out[1] == 2);
  /* split on the first space only */
  CHECK(pre_hint_split(&p, "t 0x00 0x01", 11) == FPK_OK);
  CHECK(p.data_hex_len == 9);
  CHECK(pre_hint_data(out, sizeof out, &p) == FPK_EFORMAT);
  CHECK(pre_hint_split(&p, "t 0x", 4) == FPK_OK);
  CHECK(pre_hint_data(out, sizeof out, &p) == 0);
  CHECK(pre_hint_split(&p, "t 0102", 6) == FPK_OK);
  CHECK(pre_hint_data(out, sizeof out, &p) == FPK_EFORMAT); /* no 0x */
  CHECK(pre_hint_split(&p, "t 0x012", 7) == FPK_OK);
  CHECK(pre_hint_data(out, sizeof out, &p) == FPK_EFORMAT); /* odd */
  CHECK(pre_hint_split(&p, "t 0xzz", 6) == FPK_OK);
  CHECK(pre_hint_data(out, sizeof out, &p) == FPK_EFORMAT); /* bad digit */
  CHECK(pre_hint_split(&p, "t 0x000000000000000000", 22) == FPK_OK);
  CHECK(pre_hint_data(out, sizeof out, &p) == FPK_ERANGE); /* 10 bytes > 8 */
  CHECK(pre_hint_split(&p, "notype", 6) == FPK_OK);
  CHECK(p.data_hex == NULL);
  CHECK(pre_hint_data(out, sizeof out, &p) == FPK_EFORMAT);
  CHECK(pre_hint_split(&p, " 0x00", 5) == FPK_EFORMAT);
  CHECK(pre_hint_split(&p, "", 0) == FPK_EFORMAT);
  CHECK(pre_hint_split(&p, "a\nb 0x", 6) == FPK_EFORMAT);
}

/* Both roles over real pipes, client in a thread: the framing each side writes is what the other reads. */
typedef struct {
  int fds[4]; /* client's hint_r, hint_w, pre_r, pre_w */
  int result;
} client_arg;

static void *client_thread(void *p) {
  client_arg *a = p;
  pre_fdio_ctx ctx = {0};
  pre_io io;
  pre_io_fd(&io, &ctx);
  pre_client c;
  pre_client_init(&c, &io);
  c.hint_r = a->fds[0];
  c.hint_w = a->fds[1];
  c.pre_r = a->fds[2];
  c.pre_w = a->fds[3];
  int rc = FPK_OK;
  static uint8_t big[200000];
  for (int i = 0; i < 5 && rc == FPK_OK; i++) {
    if (i == 2) { /* larger than the server's first buffer: exercises its growth */
      memset(big, 'h', 150000);
      rc = pre_hint(&c, big, 150000);
    } else {
      rc = pre_hint(&c, "test 0x00", 9);
    }
    uint8_t key[32];
    pre_key_local(key, (uint64_t)i);
    size_t len = 0;
    if (rc == FPK_OK) rc = pre_get(&c, key, big, sizeof big, &len);
    if (rc == FPK_OK && len != (size_t)i * 40000) rc = FPK_ECORRUPT;
    for (size_t j = 0; rc == FPK_OK && j < len; j++)
      if (big[j] != (uint8_t)(i + j)) rc = FPK_ECORRUPT;
  }
  close(a->fds[1]);
  close(a->fds[3]);
  a->result = rc;
  return NULL;
}

static void test_roundtrip_pipes(void) {
  int h_c2s[2], h_s2c[2], p_c2s[2], p_s2c[2];
  /* non-blocking, as a Go spawner leaves them: EAGAIN must wait, not fail */
  CHECK(pipe2(h_c2s, O_NONBLOCK) == 0 && pipe2(h_s2c, O_NONBLOCK) == 0 && pipe2(p_c2s, O_NONBLOCK) == 0 &&
        pipe2(p_s2c, O_NONBLOCK) == 0);
  client_arg a = {{h_s2c[0], h_c2s[1], p_s2c[0], p_c2s[1]}, -99};
  pthread_t t;
  CHECK(pthread_create(&t, NULL, client_thread, &a) == 0);
  pre_fdio_ctx ctx = {0};
  pre_io io;
  pre_io_fd(&io, &ctx);
  pre_server s;
  pre_server_init(&s, &io);
  s.hint_r = h_c2s[0];
  s.hint_w = h_s2c[1];
  s.pre_r = p_c2s[0];
  s.pre_w = p_s2c[1];
  static uint8_t big[200000];
  int served = 0;
  for (;;) {
    char *h;
    size_t n;
    int rc = pre_server_read_hint(&s, &h, &n);
    if (rc == FPK_ECLOSED) break;
    CHECK(rc == FPK_OK);
    if (rc != FPK_OK) break;
    CHECK(n == (served == 2 ? 150000u : 9u));
    CHECK(h[n] == 0 && (n == 9 || (h[0] == 'h' && h[n - 1] == 'h' && h[75000] == 'h')));
    free(h);
    CHECK(pre_server_ack(&s) == FPK_OK);
    uint8_t key[32];
    CHECK(pre_server_read_key(&s, key) == FPK_OK);
    uint64_t i = fpk_be64(key + 24);
    for (size_t j = 0; j < i * 40000; j++) big[j] = (uint8_t)(i + j);
    CHECK(pre_server_write(&s, big, (size_t)i * 40000) == FPK_OK);
    served++;
  }
  uint8_t key[32];
  CHECK(pre_server_read_key(&s, key) == FPK_ECLOSED);
  pthread_join(t, NULL);
  CHECK(a.result == FPK_OK);
  CHECK(served == 5);
  int fds[] = {h_c2s[0], h_s2c[0], h_s2c[1], p_c2s[0], p_s2c[0], p_s2c[1]};
  for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++) close(fds[i]);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_keys);
  RUN(test_verify);
  RUN(test_client_hint_bytewise);
  RUN(test_client_get_bytewise);
  RUN(test_client_get_too_big_drains);
  RUN(test_client_get_oversized_length_truncated);
  RUN(test_server_hint);
  RUN(test_server_key_and_write);
  RUN(test_hint_parse);
  RUN(test_roundtrip_pipes);
  return fpk_test_main_end();
}
