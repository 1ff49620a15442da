/* fpvm load-elf: ELF → initial state file + meta.json, as `cannon load-elf`. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fpkit/mips64.h"

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && memcmp(s + a - b, suf, b) == 0;
}

/* Cannon's version names; only the current one can be loaded. */
static int parse_type(const char *t) {
  static const char *const names[] = {"singlethreaded",    "multithreaded",     "singlethreaded-2",
                                      "multithreaded64",   "multithreaded64-2", "multithreaded-2",
                                      "multithreaded64-3", "multithreaded64-4", "multithreaded64-5"};
  for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
    if (!strcmp(t, names[i])) return i;
  return -1;
}

int fpvm_cli_load_elf(int argc, char **argv) {
  fpvm_cli_flag flags[] = {
      {.name = "type", .required = true, .usage = "VM type to create state for. Valid options: " FPVM_MIPS64_TYPE_NAME},
      {.name = "path", .required = true, .usage = "Path to 64-bit big-endian MIPS ELF file"},
      {.name = "out",
       .def = "state.bin.gz",
       .usage = "Output path to write state to. State is dumped to stdout if set to '-'. Not written if empty. Use "
                "file extension '.bin' or '.bin.gz'."},
      {.name = "meta", .def = "meta.json", .usage = "Write metadata file, for symbol lookup during program execution. None if empty."},
  };
  fpvm_cli_cmd cmd = {.name = "load-elf", .usage = "Load ELF file into Cannon state", .flags = flags, .nflags = 4};
  if (!fpvm_cli_parse(&cmd, argc, argv)) return cmd.exit_code;
  const char *path = fpvm_cli_str(&cmd, "path"), *out = fpvm_cli_str(&cmd, "out"), *meta = fpvm_cli_str(&cmd, "meta");
  if (*out && strcmp(out, "-") && !ends_with(out, ".bin") && !ends_with(out, ".bin.gz"))
    return fpvm_cli_error("unsupported state file name %s: use .bin or .bin.gz (JSON states are not supported for %s)",
                          out, FPVM_MIPS64_TYPE_NAME);

  fpvm_elf elf;
  int rc = fpvm_elf_load(&elf, path);
  if (rc) return fpvm_cli_error("failed to open ELF file \"%s\": %s", path, fpk_errmsg());
  if (elf.machine != 8) {
    fpvm_elf_free(&elf);
    return fpvm_cli_error("ELF is not big-endian MIPS R3000, but got machine %u", (unsigned)elf.machine);
  }
  const char *type = fpvm_cli_str(&cmd, "type");
  int ver = parse_type(type);
  if (ver < 0) {
    fpvm_elf_free(&elf);
    return fpvm_cli_error("unknown state version \"%s\"", type);
  }
  if (ver != FPVM_MIPS64_STATE_VERSION) {
    fpvm_elf_free(&elf);
    return fpvm_cli_error("unsupported state version: %d (%s)", ver, type);
  }
  fpvm_mips64_state *s = NULL;
  rc = fpvm_mips64_load_elf(&s, &elf, path);
  if (rc) {
    fpvm_elf_free(&elf);
    return fpvm_cli_error("failed to load ELF data into VM state: %s", fpk_errmsg());
  }
  fpvm_meta m = {0};
  rc = fpvm_elf_symbols(&elf, &m.syms, &m.n);
  fpvm_elf_free(&elf);
  if (rc) {
    fpvm_mips64_state_destroy(s);
    return fpvm_cli_error("failed to compute program metadata: %s", fpk_errmsg());
  }
  rc = fpvm_meta_write_json(&m, meta);
  fpvm_meta_free(&m);
  if (rc) {
    fpvm_mips64_state_destroy(s);
    return fpvm_cli_error("failed to output metadata: %s", fpk_errmsg());
  }
  if (*out) rc = fpvm_mips64_state_write_file(s, out);
  fpvm_mips64_state_destroy(s);
  if (rc) return fpvm_cli_error("failed to write state: %s", fpk_errmsg());
  return 0;
}
