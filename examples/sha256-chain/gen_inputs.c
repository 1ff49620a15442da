/* Writes a sha256-chain input set (examples/README.md format) to stdout:
 *   gen_inputs LINKS PAYLOAD_BYTES [--claim-links N] [--drop-link I]
 * Link i's payload is PAYLOAD_BYTES + 61*i deterministic bytes. --claim-links claims another count;
 * --drop-link leaves out link I's preimage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/fpk.h"
#include "fpkit/hex.h"
#include "fpkit/keccak.h"

static void put(const char *kind, const char *idx, const uint8_t *v, size_t n) {
  char *hex = malloc(2 * n + 1);
  fpk_hex_encode(hex, v, n);
  printf("%s%s%s 0x%s\n", kind, idx ? " " : "", idx ? idx : "", hex);
  free(hex);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: gen_inputs LINKS PAYLOAD_BYTES [--claim-links N] [--drop-link I]\n");
    return 2;
  }
  long links = strtol(argv[1], NULL, 0), base = strtol(argv[2], NULL, 0), claim = links, drop = -1;
  for (int i = 3; i + 1 < argc; i++) {
    if (!strcmp(argv[i], "--claim-links")) claim = strtol(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--drop-link")) drop = strtol(argv[++i], NULL, 0);
  }
  if (links < 1 || links > 1000 || base < 0 || base > (1 << 20)) {
    fprintf(stderr, "gen_inputs: 1..1000 links, payload 0..1 MiB\n");
    return 2;
  }
  uint8_t **data = calloc((size_t)links, sizeof *data);
  size_t *len = calloc((size_t)links, sizeof *len);
  fpk_keccak_ctx kc;
  fpk_keccak_init(&kc);
  uint32_t x = 0x12345678u; /* xorshift32: reproducible payload bytes */
  for (long i = 0; i < links; i++) {
    len[i] = (size_t)(base + 61 * i) + 32;
    data[i] = calloc(len[i], 1);
    for (size_t k = 0; k + 32 < len[i]; k++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[i][k] = (uint8_t)x;
    }
    fpk_keccak_update(&kc, data[i], len[i] - 32);
  }
  uint8_t digest[32], head[32] = {0}, be[8];
  fpk_keccak_final(&kc, digest);
  /* Link back to front: each link ends with the hash of the next. */
  for (long i = links; i-- > 0;) {
    memcpy(data[i] + len[i] - 32, head, 32);
    fpk_sha256(head, data[i], len[i]);
  }
  printf("# sha256-chain input set: %ld links, payloads %ld + 61*i bytes, claimed links %ld", links, base, claim);
  if (drop >= 0) printf(", link %ld left out", drop);
  printf("\n");
  put("local", "1", head, 32);
  fpk_put_be64(be, (uint64_t)claim);
  put("local", "2", be, 8);
  put("local", "3", digest, 32);
  for (long i = 0; i < links; i++) {
    if (i != drop) put("sha256", NULL, data[i], len[i]);
    free(data[i]);
  }
  free(data);
  free(len);
  return 0;
}
