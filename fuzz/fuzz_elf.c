/* ELF parse + symbols + Cannon load-elf on arbitrary bytes: must fail cleanly or produce a state. */
#include <stdlib.h>

#include "fpkit/mips64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fpvm_elf e;
  if (fpvm_elf_parse(&e, data, size, "fuzz.elf") != FPK_OK) return 0;
  fpvm_elf_sym *syms = NULL;
  size_t n = 0;
  if (fpvm_elf_symbols(&e, &syms, &n) == FPK_OK) {
    fpvm_meta m = {syms, n};
    for (size_t i = 0; i < n && i < 64; i++) (void)fpvm_meta_lookup(&m, syms[i].value + 1);
    fpvm_syms_free(syms, n);
  }
  /* a segment may legally ask for terabytes of bss; keep the fuzzer's memory bounded */
  uint64_t total = 0;
  for (size_t i = 0; i < e.nphdrs; i++)
    if (e.phdrs[i].type != FPVM_PT_MIPS_ABIFLAGS) total += e.phdrs[i].memsz > (1u << 26) ? (1u << 27) : e.phdrs[i].memsz;
  if (total <= (1u << 26)) {
    fpvm_mips64_state *s = NULL;
    if (fpvm_mips64_load_elf(&s, &e, "fuzz.elf") == FPK_OK) {
      uint8_t h[32];
      fpvm_mips64_state_hash(s, h);
    }
    fpvm_mips64_state_destroy(s);
  }
  fpvm_elf_free(&e);
  return 0;
}
