/* libfpvm ISA-independent pieces: the oracle interface, ELF parsing, symbol metadata, state-file I/O streams. */
#ifndef FPKIT_FPVM_H
#define FPKIT_FPVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fpkit/fpk.h"
#include "fpkit/mem.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Oracle: how the engine reaches the host (a child process over pipes, an in-process store, or none). */
typedef struct fpvm_oracle {
  void *ctx;
  /* Deliver one complete hint (payload without the u32 length) and wait for the host's ack. */
  int (*hint)(void *ctx, const uint8_t *data, size_t len);
  /* Fetch the preimage of key (without the u64 length prefix). *out is malloc'd; caller frees.
   * FPK_ENOTFOUND when the host has no such key. */
  int (*get)(void *ctx, const uint8_t key[32], uint8_t **out, size_t *len);
} fpvm_oracle;

/* ---- ELF (bounds-checked, ISA-neutral; 64-bit, either endianness; only what loading needs). */
#define FPVM_PT_LOAD 1u
#define FPVM_PT_MIPS_ABIFLAGS 0x70000003u
typedef struct {
  uint32_t type, flags;
  uint64_t offset, vaddr, filesz, memsz;
} fpvm_elf_phdr;

typedef struct {
  char *name;
  uint64_t value, size;
  uint8_t info; /* st_info (type in low nibble) */
} fpvm_elf_sym;

typedef struct {
  const uint8_t *buf; /* whole file (owned when loaded with fpvm_elf_load) */
  size_t len;
  bool owned;
  bool big_endian;
  uint16_t machine;
  uint64_t entry;
  fpvm_elf_phdr *phdrs;
  size_t nphdrs;
} fpvm_elf;

/* Parse an ELF64 image. `name` is used in error messages (file name). */
FPK_NODISCARD int fpvm_elf_parse(fpvm_elf *e, const uint8_t *buf, size_t len, const char *name);
FPK_NODISCARD int fpvm_elf_load(fpvm_elf *e, const char *path);
void fpvm_elf_free(fpvm_elf *e);
/* All .symtab entries except the null symbol, sorted by value. *syms malloc'd (free with fpvm_syms_free). */
FPK_NODISCARD int fpvm_elf_symbols(const fpvm_elf *e, fpvm_elf_sym **syms, size_t *n);
void fpvm_syms_free(fpvm_elf_sym *syms, size_t n);

/* ---- meta.json: {"symbols":[{"name":…,"start":N,"size":N},…]} (Cannon's format). */
typedef struct {
  fpvm_elf_sym *syms;
  size_t n;
} fpvm_meta;
FPK_NODISCARD int fpvm_meta_write_json(const fpvm_meta *m, const char *path);
FPK_NODISCARD int fpvm_meta_read_json(fpvm_meta *m, const char *path);
/* Cannon's lookup: last symbol with start <= addr; "!unknown" if no symbols, "!start" before the first,
 * "!gap" past start+size. */
const char *fpvm_meta_lookup(const fpvm_meta *m, uint64_t addr);
void fpvm_meta_free(fpvm_meta *m);

/* ---- Byte streams for state files: plain or gzip by file name (".gz"), "-" = stdin/stdout.
 * Writers are atomic: data goes to a temp file in the same directory, renamed on close. */
typedef struct fpvm_wstream fpvm_wstream;
typedef struct fpvm_rstream fpvm_rstream;
FPK_NODISCARD int fpvm_wstream_open(fpvm_wstream **w, const char *path);
FPK_NODISCARD int fpvm_wstream_write(fpvm_wstream *w, const void *buf, size_t len);
FPK_NODISCARD int fpvm_wstream_close(fpvm_wstream *w); /* commits (rename); frees w */
void fpvm_wstream_abort(fpvm_wstream *w);              /* removes the temp file; frees w */
/* Reads the whole (decompressed) file into memory. *buf malloc'd. */
FPK_NODISCARD int fpvm_read_file(const char *path, uint8_t **buf, size_t *len);
/* Writes a whole buffer atomically (gzip if the name ends in .gz). */
FPK_NODISCARD int fpvm_write_file(const char *path, const void *buf, size_t len);
/* Added by the state-file unit: same with an explicit file mode (the defaults above use 0755, Cannon's
 * OutFilePerm; the mode is set with fchmod, so the umask does not apply). */
FPK_NODISCARD int fpvm_wstream_open_mode(fpvm_wstream **w, const char *path, unsigned mode);
FPK_NODISCARD int fpvm_write_file_mode(const char *path, const void *buf, size_t len, unsigned mode);
/* True when path ends in ".gz" (Cannon compresses/decompresses by name). */
bool fpvm_path_is_gzip(const char *path);

#ifdef __cplusplus
}
#endif
#endif
