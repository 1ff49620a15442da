/* Preimage oracle round trip (VM only: needs a host on fds 3-6, cannon.md §5.4/§5.5).
 * Sends hints on fd 4 (one split across writes, to exercise the VM's hint buffering) and reads the
 * 1-byte acks on fd 3; then asks for keccak-type keys (0x02 ‖ keccak256(data)[1:]) of texts the host was
 * given, reads them back through fd 5 at mixed buffer alignments, and checks the data hashes to the key.
 * The host must serve the texts PREIMAGE_TEXT_1 and PREIMAGE_TEXT_2 below. */
#include "rt.h"

#define PREIMAGE_TEXT_1 "hello fpkit preimage"
/* > 32 bytes and not a multiple of 8, so reads cross the 32-byte oracle chunks at odd places. */
#define PREIMAGE_TEXT_2                                                                                   \
  "The quick brown fox jumps over the lazy dog, the five boxing wizards jump quickly. Pack my box "      \
  "with five dozen liquor jugs! 0123456789 abcdefghijklmnopqrstuvwxyz"

static int failures;

/* ---- Keccak-256 (legacy padding), written for this guest; 64-bit lanes little-endian in the sponge. */
static const u64 kc_rc[24] = {
    0x0000000000000001ul, 0x0000000000008082ul, 0x800000000000808Aul, 0x8000000080008000ul,
    0x000000000000808Bul, 0x0000000080000001ul, 0x8000000080008081ul, 0x8000000000008009ul,
    0x000000000000008Aul, 0x0000000000000088ul, 0x0000000080008009ul, 0x000000008000000Aul,
    0x000000008000808Bul, 0x800000000000008Bul, 0x8000000000008089ul, 0x8000000000008003ul,
    0x8000000000008002ul, 0x8000000000000080ul, 0x000000000000800Aul, 0x800000008000000Aul,
    0x8000000080008081ul, 0x8000000000008080ul, 0x0000000080000001ul, 0x8000000080008008ul};
static const u8 kc_rot[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
static const u8 kc_pi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

static u64 rol(u64 x, unsigned n) { return (x << n) | (x >> (64 - n)); }

static void keccak_f(u64 a[25]) {
  u64 c[5];
  for (int r = 0; r < 24; r++) {
    for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; x++) {
      u64 d = c[(x + 4) % 5] ^ rol(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
    }
    u64 t = a[1];
    for (int i = 0; i < 24; i++) {
      u64 tmp = a[kc_pi[i]];
      a[kc_pi[i]] = rol(t, kc_rot[i]);
      t = tmp;
    }
    for (int y = 0; y < 25; y += 5) {
      for (int x = 0; x < 5; x++) c[x] = a[y + x];
      for (int x = 0; x < 5; x++) a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
    }
    a[0] ^= kc_rc[r];
  }
}

static void keccak256(u8 out[32], const u8 *msg, usize len) {
  u64 a[25];
  u8 block[136];
  memset(a, 0, sizeof a);
  for (;;) {
    usize take = len < 136 ? len : 136;
    memset(block, 0, sizeof block);
    memcpy(block, msg, take);
    int last = take < 136;
    if (last) {
      block[take] ^= 0x01;
      block[135] ^= 0x80;
    }
    for (int i = 0; i < 17; i++) {
      u64 w = 0;
      for (int b = 7; b >= 0; b--) w = w << 8 | block[i * 8 + b];
      a[i] ^= w;
    }
    keccak_f(a);
    msg += take;
    len -= take;
    if (last) break;
  }
  for (int i = 0; i < 32; i++) out[i] = (u8)(a[i / 8] >> (8 * (i % 8)));
}

static void print_hex(const char *label, const u8 *p, usize n) {
  rt_printf("%s ", label);
  for (usize i = 0; i < n; i++) rt_printf("%02x", p[i]);
  rt_printf("\n");
}

static void send_hint(const char *text, int split) {
  usize len = rt_strlen(text);
  u8 hdr[4] = {(u8)(len >> 24), (u8)(len >> 16), (u8)(len >> 8), (u8)len};
  long w1, w2, w3;
  if (split) { /* header in two pieces, then the body: the VM must reassemble */
    w1 = rt_write(4, hdr, 3);
    w2 = rt_write(4, hdr + 3, 1);
  } else {
    w1 = rt_write(4, hdr, 4);
    w2 = 0;
  }
  w3 = rt_write(4, text, len);
  u8 ack = 0xff;
  long a = rt_read(3, &ack, 1);
  rt_printf("hint \"%s\": wrote %ld bytes, ack read %ld\n", text, w1 + w2 + w3, a);
  if (w1 + w2 + w3 != (long)len + 4 || a != 1) failures++;
}

/* Request key, read u64 BE length then the data into dst+align (crossing word boundaries). */
static long fetch(const u8 key[32], u8 *dst, usize cap, int align) {
  for (int i = 0; i < 32;) {
    long w = rt_sys3(SYS_write, 6, (long)(key + i), 32 - i);
    if (w <= 0) return -1;
    i += (int)w;
  }
  u8 lenbuf[8];
  if (rt_read_full(5, lenbuf, 8) != 8) return -2;
  u64 len = 0;
  for (int i = 0; i < 8; i++) len = len << 8 | lenbuf[i];
  if (len > cap) return -3;
  u8 *p = dst + align;
  usize got = 0;
  int chunk = 1;
  while (got < len) { /* varying request sizes, so reads hit every alignment */
    usize want = (usize)chunk;
    if (want > len - got) want = len - got;
    long r = rt_read(5, p + got, want);
    if (r <= 0) return -4;
    got += (usize)r;
    chunk = chunk % 11 + 1;
  }
  return (long)len;
}

static void roundtrip(const char *text, int align) {
  usize tlen = rt_strlen(text);
  u8 key[32];
  keccak256(key, (const u8 *)text, tlen);
  key[0] = 2;
  static u8 buf[512] __attribute__((aligned(8)));
  memset(buf, 0, sizeof buf);
  long n = fetch(key, buf, sizeof buf - 8, align);
  print_hex("key", key, 32);
  rt_printf("preimage length %ld (align %d)\n", n, align);
  if (n != (long)tlen || memcmp(buf + align, text, tlen) != 0) {
    rt_printf("  MISMATCH\n");
    failures++;
    return;
  }
  u8 h[32];
  keccak256(h, buf + align, (usize)n);
  h[0] = 2;
  rt_printf("hash of data matches key: %s\n", memcmp(h, key, 32) == 0 ? "yes" : "NO");
  if (memcmp(h, key, 32) != 0) failures++;
}

int main(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  u8 h[32];
  keccak256(h, (const u8 *)"", 0);
  print_hex("keccak256(\"\")", h, 32);
  if (h[0] != 0xc5 || h[31] != 0x70) failures++;

  send_hint("fpkit-test hello", 0);
  send_hint("fpkit-test split 0xdeadbeef", 1);
  roundtrip(PREIMAGE_TEXT_1, 0);
  roundtrip(PREIMAGE_TEXT_2, 3);
  roundtrip(PREIMAGE_TEXT_1, 5); /* same key again: the VM may serve it from its cache */
  rt_printf("preimage: %s (%d failures)\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
