/* fphost subcommands share these helpers. */
#ifndef FPHOST_CLI_H
#define FPHOST_CLI_H

#include "host/oracle.h"
#include "host/store.h"

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
