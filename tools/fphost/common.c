#include <stdio.h>

#include "cli.h"

int fph_cli_fail(const char *what, int rc) {
  const char *m = fpk_errmsg();
  if (m[0])
    fprintf(stderr, "fphost: error: %s: %s\n", what, m);
  else
    fprintf(stderr, "fphost: error: %s: %s\n", what, fpk_strerror(rc));
  return 1;
}

int fph_cli_open(fph_store **out, const char *spec) {
  fph_store *raw;
  int rc = fph_store_open(&raw, spec);
  if (rc != FPK_OK) return rc;
  return fph_store_verified(out, raw);
}
