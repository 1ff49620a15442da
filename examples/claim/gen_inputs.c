/* Writes a claim input set (examples/README.md format) to stdout:
 *   gen_inputs S A B CLAIM [--drop-b]
 * --drop-b leaves out b's preimage (the offline "missing preimage" case). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/fpk.h"
#include "fpkit/hex.h"
#include "fpkit/keccak.h"

static void line(const char *kind, const char *idx, const uint8_t *v, size_t n) {
  char hex[2 * 64 + 1];
  fpk_hex_encode(hex, v, n);
  printf("%s%s%s 0x%s\n", kind, idx ? " " : "", idx ? idx : "", hex);
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: gen_inputs S A B CLAIM [--drop-b]\n");
    return 2;
  }
  uint64_t s = strtoull(argv[1], NULL, 0), a = strtoull(argv[2], NULL, 0), b = strtoull(argv[3], NULL, 0);
  uint64_t claim = strtoull(argv[4], NULL, 0);
  int drop_b = argc > 5 && !strcmp(argv[5], "--drop-b");
  uint8_t sv[8], av[8], bv[8], cv[8], hs[32], diff[64], hd[32];
  fpk_put_be64(sv, s);
  fpk_put_be64(av, a);
  fpk_put_be64(bv, b);
  fpk_put_be64(cv, claim);
  fpk_keccak256(hs, sv, 8);
  fpk_keccak256(diff, av, 8);
  fpk_keccak256(diff + 32, bv, 8);
  fpk_keccak256(hd, diff, 64);
  printf("# claim input set: s=%" PRIu64 " a=%" PRIu64 " b=%" PRIu64 " claim=%" PRIu64 "%s\n", s, a, b, claim,
         drop_b ? " (b's preimage left out)" : "");
  line("local", "0", hs, 32);
  line("local", "1", hd, 32);
  line("local", "2", cv, 8);
  line("keccak", NULL, sv, 8);
  line("keccak", NULL, diff, 64);
  line("keccak", NULL, av, 8);
  if (!drop_b) line("keccak", NULL, bv, 8);
  return 0;
}
