/* fpvm CLI plumbing shared by every subcommand: a flag parser that accepts what Cannon's urfave/cli
 * (Go `flag` package) accepts, and Cannon-style error reporting.
 *
 * Accepted forms: `-name value`, `--name value`, `-name=value`, `--name=value`; bool flags take no
 * separate value (`--name`, `--name=false`). Parsing stops at the first non-flag argument, at a lone
 * "-", or after "--" (which is consumed). A repeated flag keeps its last value. Unknown flags, a
 * missing value, a bad bool and missing required flags print one `error: ...` line and give exit 1;
 * `-h`/`--help` prints the usage to stdout and gives exit 0. */
#ifndef FPVM_TOOLS_CLI_H
#define FPVM_TOOLS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "fpkit/fpk.h"

typedef enum { FPVM_FLAG_STRING = 0, FPVM_FLAG_BOOL = 1 } fpvm_flag_kind;

typedef struct {
  const char *name;    /* without dashes, e.g. "proof-at" */
  fpvm_flag_kind kind;
  const char *def;     /* default value shown in usage and used when not set (NULL = "") */
  bool required;
  const char *usage;
  /* filled in by fpvm_cli_parse: */
  const char *value;   /* the given value, or def (never NULL after parsing) */
  bool set;            /* given on the command line */
  bool b;              /* bool flags: the value */
} fpvm_cli_flag;

typedef struct {
  const char *name;    /* subcommand name, e.g. "load-elf" */
  const char *usage;   /* one line */
  fpvm_cli_flag *flags;
  size_t nflags;
  /* filled in by fpvm_cli_parse: */
  int rest;            /* argv index of the first positional argument (== argc when none) */
  bool dashdash;       /* "--" ended the flags (argv[rest..] is what followed it) */
  int exit_code;       /* when parse returns false: 0 after --help, 1 after an error */
} fpvm_cli_cmd;

/* argv[0] is the subcommand name. Returns true to go on; false = stop with cmd->exit_code. */
bool fpvm_cli_parse(fpvm_cli_cmd *cmd, int argc, char **argv);
/* The flag called name (NULL if the command has none). */
fpvm_cli_flag *fpvm_cli_flag_get(fpvm_cli_cmd *cmd, const char *name);
/* Value of a string flag ("" if unknown). */
const char *fpvm_cli_str(fpvm_cli_cmd *cmd, const char *name);
bool fpvm_cli_bool(fpvm_cli_cmd *cmd, const char *name);
void fpvm_cli_usage(FILE *f, const fpvm_cli_cmd *cmd);

/* Print "error: <message>\n" to stderr; returns 1 (the exit code). */
int fpvm_cli_error(const char *fmt, ...) FPK_PRINTF(1, 2);
/* Print "error: <what>: <fpk_errmsg() or fpk_strerror(code)>" to stderr; returns 1. */
int fpvm_cli_fail(int code, const char *what);

/* Unsigned integer as Go's strconv.ParseUint(s, 0, 64) reads it (0x/0o/0b prefixes, leading 0 =
 * octal, '_' separators allowed only with a prefix). false on bad syntax or overflow. */
bool fpvm_cli_parse_u64(const char *s, unsigned long long *out);

/* Subcommands (main.c dispatches). */
int fpvm_cli_load_elf(int argc, char **argv);
int fpvm_cli_witness(int argc, char **argv);
int fpvm_cli_run(int argc, char **argv);
int fpvm_cli_verify(int argc, char **argv);
int fpvm_cli_check_elf(int argc, char **argv);

#endif
