/* load-elf on a real MIPS64 binary from the cross compiler (path compiled in by extra.cmake). Exits
 * 77 (reported as skipped by CTest) when the cross compiler is not installed. */
#include <stdlib.h>
#include <string.h>

#include "fpkit/mips64.h"
#include "test.h"

#ifdef FPK_GUEST_ELF
static void test_elf_cross_load(void) {
  fpvm_elf e;
  CHECK(fpvm_elf_load(&e, FPK_GUEST_ELF) == FPK_OK);
  CHECK(e.big_endian && e.machine == 8);
  fpvm_meta m = {0};
  CHECK(fpvm_elf_symbols(&e, &m.syms, &m.n) == FPK_OK);
  uint64_t start = 0, counter = 0, bss = 0;
  for (size_t i = 0; i < m.n; i++) {
    if (!strcmp(m.syms[i].name, "_start")) start = m.syms[i].value;
    if (!strcmp(m.syms[i].name, "fpk_counter")) counter = m.syms[i].value;
    if (!strcmp(m.syms[i].name, "fpk_bss")) bss = m.syms[i].value;
    if (i) CHECK(m.syms[i - 1].value <= m.syms[i].value);
  }
  CHECK(start == e.entry && counter && bss);
  CHECK(!strcmp(fpvm_meta_lookup(&m, e.entry), "_start"));
  bool abiflags = false;
  for (size_t i = 0; i < e.nphdrs; i++) abiflags |= e.phdrs[i].type == FPVM_PT_MIPS_ABIFLAGS;
  CHECK(abiflags); /* the case the loader must skip is present */
  fpvm_mips64_state *s = NULL;
  CHECK(fpvm_mips64_load_elf(&s, &e, FPK_GUEST_ELF) == FPK_OK);
  if (s) {
    fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
    CHECK(t->pc == e.entry && t->next_pc == e.entry + 4 && t->regs[29] == FPVM_MIPS64_STACK_TOP);
    CHECK_EQ_U64(fpvm_mem_read64(s->mem, counter), 0x1122334455667788ull);
    /* the first instruction of _start is in memory, and bss pages exist (allocated while zero) */
    uint8_t insn[4], raw[4];
    fpvm_mem_read_range(s->mem, e.entry, insn, 4);
    for (size_t i = 0; i < e.nphdrs; i++) {
      const fpvm_elf_phdr *p = &e.phdrs[i];
      if (p->type == FPVM_PT_LOAD && e.entry >= p->vaddr && e.entry < p->vaddr + p->filesz) {
        memcpy(raw, e.buf + p->offset + (e.entry - p->vaddr), 4);
        CHECK(memcmp(insn, raw, 4) == 0);
      }
    }
    CHECK(fpvm_mem_rpage(s->mem, (bss + 8 * 599) >> FPVM_PAGE_SHIFT) != NULL);
    /* the state survives a file round trip */
    uint8_t *a = NULL, *b = NULL;
    size_t al = 0, bl = 0;
    fpvm_mips64_state *d = NULL;
    CHECK(fpvm_mips64_state_encode(s, &a, &al) == FPK_OK);
    CHECK(fpvm_mips64_state_decode(&d, a, al, "guest.bin") == FPK_OK);
    CHECK(d && fpvm_mips64_state_encode(d, &b, &bl) == FPK_OK && al == bl && !memcmp(a, b, al));
    free(a);
    free(b);
    fpvm_mips64_state_destroy(d);
  }
  fpvm_mips64_state_destroy(s);
  fpvm_meta_free(&m);
  fpvm_elf_free(&e);
}
#endif

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
#ifndef FPK_GUEST_ELF
  fprintf(stderr, "mips64-linux-gnuabi64-gcc not found: skipped\n");
  return 77;
#else
  RUN(test_elf_cross_load);
  return fpk_test_main_end();
#endif
}
