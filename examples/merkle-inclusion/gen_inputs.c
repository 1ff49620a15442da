/* Writes a merkle-inclusion input set (examples/README.md format) to stdout:
 *   gen_inputs DEPTH INDEX [--wrong-leaf] [--drop-level L]
 * Leaf i = keccak("leaf " ‖ decimal i); every inner node is stored as a keccak preimage.
 * --wrong-leaf claims leaf INDEX+1's value; --drop-level L leaves out the path node at level L. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/fpk.h"
#include "fpkit/hex.h"
#include "fpkit/keccak.h"

static void put(const char *kind, const char *idx, const uint8_t *v, size_t n) {
  char hex[2 * 64 + 1];
  fpk_hex_encode(hex, v, n);
  printf("%s%s%s 0x%s\n", kind, idx ? " " : "", idx ? idx : "", hex);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: gen_inputs DEPTH INDEX [--wrong-leaf] [--drop-level L]\n");
    return 2;
  }
  unsigned depth = (unsigned)strtoul(argv[1], NULL, 0);
  uint64_t index = strtoull(argv[2], NULL, 0);
  int wrong = 0;
  long drop = -1;
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "--wrong-leaf")) wrong = 1;
    else if (!strcmp(argv[i], "--drop-level") && i + 1 < argc) drop = strtol(argv[++i], NULL, 0);
  }
  if (depth < 1 || depth > 16 || index >= (1ull << depth)) {
    fprintf(stderr, "gen_inputs: depth 1..16 and index < 2^depth\n");
    return 2;
  }
  size_t nleaves = (size_t)1 << depth;
  /* levels[d] holds the 2^d nodes at depth d; levels[depth] = leaves. */
  uint8_t **levels = calloc(depth + 1, sizeof *levels);
  for (unsigned d = 0; d <= depth; d++) levels[d] = malloc(((size_t)1 << d) * 32);
  for (size_t i = 0; i < nleaves; i++) {
    char s[32];
    int n = snprintf(s, sizeof s, "leaf %zu", i);
    fpk_keccak256(levels[depth] + 32 * i, s, (size_t)n);
  }
  for (unsigned d = depth; d-- > 0;)
    for (size_t i = 0; i < ((size_t)1 << d); i++)
      fpk_keccak256(levels[d] + 32 * i, levels[d + 1] + 64 * i, 64);
  uint8_t be[8];
  printf("# merkle-inclusion input set: depth %u, index %" PRIu64 "%s", depth, index,
         wrong ? ", wrong leaf claimed" : "");
  if (drop >= 0) printf(", path node at level %ld left out", drop);
  printf("\n");
  put("local", "1", levels[0], 32);
  fpk_put_be64(be, depth);
  put("local", "2", be, 8);
  fpk_put_be64(be, index);
  put("local", "3", be, 8);
  put("local", "4", levels[depth] + 32 * ((index + (uint64_t)wrong) % nleaves), 32);
  for (unsigned d = 0; d < depth; d++) {
    size_t on_path = (size_t)(index >> (depth - d));
    for (size_t i = 0; i < ((size_t)1 << d); i++) {
      if ((long)d == drop && i == on_path) continue;
      put("keccak", NULL, levels[d + 1] + 64 * i, 64);
    }
  }
  for (unsigned d = 0; d <= depth; d++) free(levels[d]);
  free(levels);
  return 0;
}
