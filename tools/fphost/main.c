/* fphost: preimage host for fault proof programs. Parses the subcommand and hands off. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f) {
  fputs("usage: fphost [serve] (--server | --exec PROG [ARGS...]) [--store SPEC] [--local IDX=0xHEX]...\n"
        "              [--local-file IDX=PATH]... [--prefetch TYPE=CMD]... [--prefetch-retries N] [--offline]\n"
        "              [--hint-log PATH] [-v]\n"
        "       fphost put --store SPEC (0xKEY 0xVALUE | --keccak 0xVALUE | --stdin)\n"
        "       fphost get --store SPEC [--raw] 0xKEY\n"
        "       fphost import --from SPEC --to SPEC [--batch N] [--progress]   (export: same flags)\n"
        "       fphost diff --from SPEC --to SPEC     every entry of --from is in --to with the same bytes\n"
        "       fphost count --store SPEC\n"
        "SPEC: mem | dir:PATH | file:PATH | disk:PATH (op-program kvformat decides) | lmdb:PATH | synth:N[:SIZE]\n"
        "--server serves fds 3-6 (read hints 3, acks 4, keys 5, data 6); --exec wires them to a child\n"
        "and exits with its code, or 125 if the host fails (e.g. a missing preimage with --offline).\n"
        "--prefetch TYPE=CMD runs `sh -c CMD` for a missing key after a hint of TYPE (* = any): the hint on\n"
        "stdin, lines '0x<key> 0x<value>' on stdout, each verified before it is stored. No --prefetch = offline.\n",
        f);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *c = argv[1];
  if (!strcmp(c, "-h") || !strcmp(c, "--help")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(c, "serve")) return fph_cmd_serve(argc - 1, argv + 1);
  if (!strcmp(c, "put")) return fph_cmd_put(argc - 1, argv + 1);
  if (!strcmp(c, "get")) return fph_cmd_get(argc - 1, argv + 1);
  if (!strcmp(c, "import")) return fph_cmd_copy(argc - 1, argv + 1, 0);
  if (!strcmp(c, "export")) return fph_cmd_copy(argc - 1, argv + 1, 1);
  if (!strcmp(c, "diff")) return fph_cmd_diff(argc - 1, argv + 1);
  if (!strcmp(c, "count")) return fph_cmd_count(argc - 1, argv + 1);
  if (c[0] == '-') return fph_cmd_serve(argc, argv); /* `fphost --server ...` as cannon/fpvm start it */
  fprintf(stderr, "fphost: error: unknown command '%s'\n", c);
  usage(stderr);
  return 2;
}
