/* fpvm: a Cannon-compatible MIPS64 fault proof VM. main only picks the subcommand; each lives in its
 * own cmd_*.c. Subcommands written in other units are weak so the tool links while they are absent. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

extern int fpvm_cli_run(int argc, char **argv) __attribute__((weak));
extern int fpvm_cli_verify(int argc, char **argv) __attribute__((weak));
extern int fpvm_cli_check_elf(int argc, char **argv) __attribute__((weak));
extern int fpvm_cli_load_elf(int argc, char **argv) __attribute__((weak));
extern int fpvm_cli_witness(int argc, char **argv) __attribute__((weak));

typedef int (*cmd_fn)(int, char **);

static void usage(FILE *f) {
  fputs("NAME:\n   fpvm - MIPS64 fault proof VM (Cannon multithreaded64-5 compatible)\n\n"
        "USAGE:\n   fpvm command [command options]\n\nCOMMANDS:\n"
        "   load-elf   Load ELF file into Cannon state\n"
        "   witness    Convert a Cannon state into a witness and its hash\n"
        "   run        Run VM step(s) and generate proof data to replicate onchain\n"
        "   verify     Check a step proof with the independent verifier\n"
        "   check-elf  Check that an ELF only uses supported instructions and syscalls\n"
        "   help, h    Show help\n",
        f);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stdout);
    return 0;
  }
  const char *name = argv[1];
  if (!strcmp(name, "help") || !strcmp(name, "h") || !strcmp(name, "-h") || !strcmp(name, "--help")) {
    usage(stdout);
    return 0;
  }
  const struct {
    const char *name;
    cmd_fn fn; /* NULL while the unit that defines it is not built */
  } cmds[] = {{"load-elf", fpvm_cli_load_elf}, {"witness", fpvm_cli_witness}, {"run", fpvm_cli_run},
              {"verify", fpvm_cli_verify},     {"check-elf", fpvm_cli_check_elf}};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    if (strcmp(cmds[i].name, name) != 0) continue;
    if (!cmds[i].fn) {
      fprintf(stderr, "fpvm: %s: not built\n", name);
      return 1;
    }
    return cmds[i].fn(argc - 1, argv + 1);
  }
  if (name[0] == '-') return fpvm_cli_error("flag provided but not defined: %s", name);
  return fpvm_cli_error("unknown command \"%s\"", name);
}
