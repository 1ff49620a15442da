/* Flag parsing with the Go `flag` package's rules (what Cannon's urfave/cli uses), and Cannon-style
 * error lines. */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

fpvm_cli_flag *fpvm_cli_flag_get(fpvm_cli_cmd *cmd, const char *name) {
  for (size_t i = 0; i < cmd->nflags; i++)
    if (strcmp(cmd->flags[i].name, name) == 0) return &cmd->flags[i];
  return NULL;
}

const char *fpvm_cli_str(fpvm_cli_cmd *cmd, const char *name) {
  fpvm_cli_flag *f = fpvm_cli_flag_get(cmd, name);
  return f && f->value ? f->value : "";
}

bool fpvm_cli_bool(fpvm_cli_cmd *cmd, const char *name) {
  fpvm_cli_flag *f = fpvm_cli_flag_get(cmd, name);
  return f && f->b;
}

int fpvm_cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return 1;
}

int fpvm_cli_fail(int code, const char *what) {
  const char *m = fpk_errmsg();
  if (!m || !*m) m = fpk_strerror(code);
  return fpvm_cli_error("%s: %s", what, m);
}

void fpvm_cli_usage(FILE *f, const fpvm_cli_cmd *cmd) {
  fprintf(f, "NAME:\n   fpvm %s - %s\n\nUSAGE:\n   fpvm %s [command options]\n\nOPTIONS:\n", cmd->name,
          cmd->usage ? cmd->usage : "", cmd->name);
  for (size_t i = 0; i < cmd->nflags; i++) {
    const fpvm_cli_flag *fl = &cmd->flags[i];
    fprintf(f, "   --%s%s\t%s", fl->name, fl->kind == FPVM_FLAG_BOOL ? "" : " value", fl->usage ? fl->usage : "");
    if (fl->required) fputs(" (required)", f);
    if (fl->def && *fl->def) fprintf(f, " (default: \"%s\")", fl->def);
    fputc('\n', f);
  }
  fputs("   --help, -h\tshow help\n", f);
}

/* Go's strconv.ParseBool spellings. */
static int parse_bool(const char *s, bool *out) {
  static const char *const t[] = {"1", "t", "T", "true", "TRUE", "True"};
  static const char *const f[] = {"0", "f", "F", "false", "FALSE", "False"};
  for (size_t i = 0; i < 6; i++) {
    if (!strcmp(s, t[i])) return *out = true, 0;
    if (!strcmp(s, f[i])) return *out = false, 0;
  }
  return -1;
}

static bool stop(fpvm_cli_cmd *cmd, int code) {
  cmd->exit_code = code;
  return false;
}

bool fpvm_cli_parse(fpvm_cli_cmd *cmd, int argc, char **argv) {
  for (size_t i = 0; i < cmd->nflags; i++) {
    fpvm_cli_flag *f = &cmd->flags[i];
    f->value = f->def ? f->def : "";
    f->set = false;
    f->b = false;
    if (f->kind == FPVM_FLAG_BOOL && f->def) (void)parse_bool(f->def, &f->b);
  }
  cmd->dashdash = false;
  cmd->exit_code = 0;
  int i = 1;
  while (i < argc) {
    const char *a = argv[i];
    if (a[0] != '-' || a[1] == 0) break; /* positional (incl. a lone "-") */
    const char *name = a + 1;
    if (*name == '-') {
      name++;
      if (*name == 0) { /* "--" */
        cmd->dashdash = true;
        i++;
        break;
      }
    }
    if (*name == '-' || *name == '=') return stop(cmd, fpvm_cli_error("bad flag syntax: %s", a));
    i++;
    const char *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    fpvm_cli_flag *f = NULL;
    for (size_t k = 0; k < cmd->nflags; k++)
      if (strlen(cmd->flags[k].name) == nlen && !strncmp(cmd->flags[k].name, name, nlen)) f = &cmd->flags[k];
    if (!f) {
      if ((nlen == 1 && name[0] == 'h') || (nlen == 4 && !strncmp(name, "help", 4))) {
        fpvm_cli_usage(stdout, cmd);
        return stop(cmd, 0);
      }
      return stop(cmd, fpvm_cli_error("flag provided but not defined: -%.*s", (int)nlen, name));
    }
    if (f->kind == FPVM_FLAG_BOOL) {
      bool v = true;
      if (eq && parse_bool(eq + 1, &v))
        return stop(cmd, fpvm_cli_error("invalid boolean value \"%s\" for -%s: parse error", eq + 1, f->name));
      f->b = v;
      f->value = v ? "true" : "false";
    } else if (eq) {
      f->value = eq + 1;
    } else {
      if (i >= argc) return stop(cmd, fpvm_cli_error("flag needs an argument: -%s", f->name));
      f->value = argv[i++];
    }
    f->set = true;
  }
  cmd->rest = i;
  /* urfave/cli lists every missing required flag in one message */
  char missing[512];
  size_t nmiss = 0, off = 0;
  missing[0] = 0;
  for (size_t k = 0; k < cmd->nflags; k++) {
    fpvm_cli_flag *f = &cmd->flags[k];
    if (!f->required || f->set) continue;
    int w = snprintf(missing + off, sizeof missing - off, "%s\"%s\"", nmiss ? ", " : "", f->name);
    if (w > 0 && (size_t)w < sizeof missing - off) off += (size_t)w;
    nmiss++;
  }
  if (nmiss == 1) return stop(cmd, fpvm_cli_error("Required flag %s not set", missing));
  if (nmiss > 1) return stop(cmd, fpvm_cli_error("Required flags %s not set", missing));
  return true;
}

static int digit_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

bool fpvm_cli_parse_u64(const char *s, unsigned long long *out) {
  unsigned base = 10;
  const char *p = s;
  bool prefixed = false;
  if (!*p) return false;
  if (p[0] == '0' && p[1]) {
    char c = p[1];
    if (c == 'x' || c == 'X') base = 16, p += 2, prefixed = true;
    else if (c == 'b' || c == 'B') base = 2, p += 2, prefixed = true;
    else if (c == 'o' || c == 'O') base = 8, p += 2, prefixed = true;
    else base = 8, p += 1, prefixed = true;
  }
  unsigned long long v = 0;
  bool any = false, last_us = prefixed; /* "0x_1" is allowed in Go: an underscore may follow a prefix */
  if (base == 8 && p == s + 1) last_us = false, any = true; /* leading 0 counts as a digit */
  for (; *p; p++) {
    if (*p == '_') {
      if (!any && !last_us) return false;
      if (p[1] == 0 || p[1] == '_') return false;
      last_us = true;
      continue;
    }
    int d = digit_val(*p);
    if (d >= (int)base) return false;
    if (v > (~0ull - (unsigned)d) / base) return false;
    v = v * base + (unsigned)d;
    any = true;
    last_us = false;
  }
  if (!any) return false;
  *out = v;
  return true;
}
