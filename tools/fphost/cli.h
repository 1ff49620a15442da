/* fphost subcommands share these helpers. */
#ifndef FPHOST_CLI_H
#define FPHOST_CLI_H

#include "host/oracle.h"
#include "host/store.h"

/* --exec exits with the client's code (0 claim holds, 1 it does not, else failure); when the host
 * itself fails (missing preimage offline, spawn error) it exits 125, so a host failure can never be
 * read as a verdict. */
#define FPH_EXEC_HOST_FAILED 125

/* Print "fphost: error: <what>: <detail>" and return 1. */
int fph_cli_fail(const char *what, int rc);
/* Open spec and wrap it in the verifying layer. */
int fph_cli_open(fph_store **out, const char *spec);

int fph_cmd_serve(int argc, char **argv);
int fph_cmd_put(int argc, char **argv);
int fph_cmd_get(int argc, char **argv);
int fph_cmd_copy(int argc, char **argv, int is_export);
int fph_cmd_diff(int argc, char **argv);
int fph_cmd_count(int argc, char **argv);

#endif
