/* Cannon's load-elf for multithreaded64-5 (cannon.md §6): every program header except
 * PT_MIPS_ABIFLAGS is copied into memory below the heap, then the initial stack is laid out. */
#include <stdlib.h>
#include <string.h>

#include "fpkit/mips64.h"

int fpvm_mips64_load_elf(fpvm_mips64_state **out, const fpvm_elf *e, const char *name) {
  *out = NULL;
  if (!name) name = "ELF";
  if (e->machine != 8) return fpk_errf(FPK_EUNSUPPORTED, "%s: field e_machine: %u is not EM_MIPS (8)", name, e->machine);
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(e->entry, FPVM_MIPS64_HEAP_START);
  if (!s) return fpk_errf(FPK_ENOMEM, "%s: out of memory", name);
  int rc = FPK_OK;
  for (size_t i = 0; i < e->nphdrs; i++) {
    const fpvm_elf_phdr *p = &e->phdrs[i];
    if (p->type == FPVM_PT_MIPS_ABIFLAGS) continue;
    if (p->filesz != p->memsz) {
      if (p->type != FPVM_PT_LOAD) {
        rc = fpk_errf(FPK_EFORMAT,
                      "%s: program segment %zu has different file size (%llu) than mem size (%llu): filling for non "
                      "PT_LOAD segments is not supported",
                      name, i, (unsigned long long)p->filesz, (unsigned long long)p->memsz);
        goto fail;
      }
      if (p->filesz > p->memsz) {
        rc = fpk_errf(FPK_EFORMAT, "%s: invalid PT_LOAD program segment %zu, file size (%llu) > mem size (%llu)", name,
                      i, (unsigned long long)p->filesz, (unsigned long long)p->memsz);
        goto fail;
      }
    }
    if (p->memsz == 0) continue;
    uint64_t last = p->vaddr + p->memsz - 1;
    if (last < p->vaddr) {
      rc = fpk_errf(FPK_ERANGE, "%s: program %zu out of memory range: %llx - %llx (size: %llx)", name, i,
                    (unsigned long long)p->vaddr, (unsigned long long)last, (unsigned long long)p->memsz);
      goto fail;
    }
    if (last >= FPVM_MIPS64_HEAP_START) {
      rc = fpk_errf(FPK_ERANGE,
                    "%s: program %zu overlaps with heap: %llx - %llx (size: %llx). The heap start offset must be "
                    "reconfigured",
                    name, i, (unsigned long long)p->vaddr, (unsigned long long)last, (unsigned long long)p->memsz);
      goto fail;
    }
    /* Go would silently load fewer bytes from a truncated file; refuse instead */
    if (p->offset > e->len || p->filesz > e->len - p->offset) {
      rc = fpk_errf(FPK_ETRUNC, "%s: failed to read program segment %zu: data [0x%llx, +0x%llx) lies outside the file",
                    name, i, (unsigned long long)p->offset, (unsigned long long)p->filesz);
      goto fail;
    }
    if ((rc = fpvm_mem_set_range(s->mem, p->vaddr, e->buf + p->offset, (size_t)p->filesz))) goto fail;
    /* bss: zero-fill in page-sized pieces (every touched page is allocated, as Cannon does) */
    static const uint8_t zero[FPVM_PAGE_SIZE];
    uint64_t a = p->vaddr + p->filesz, left = p->memsz - p->filesz;
    while (left) {
      size_t n = left > sizeof zero ? sizeof zero : (size_t)left;
      if ((rc = fpvm_mem_set_range(s->mem, a, zero, n))) goto fail;
      a += n;
      left -= n;
    }
  }
  if ((rc = fpvm_mips64_patch_stack(s))) goto fail;
  *out = s;
  return FPK_OK;
fail:
  fpvm_mips64_state_destroy(s);
  return rc;
}

/* Cannon's PatchStack: sp at the stack top, 16 KiB of stack below it plus one page of argc/argv/envp/
 * auxv above, all allocated; the values are fixed so the prestate is reproducible. */
int fpvm_mips64_patch_stack(fpvm_mips64_state *s) {
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  if (!t) return fpk_errf(FPK_EINVAL, "patch stack: no active thread");
  const uint64_t sp = FPVM_MIPS64_STACK_TOP;
  static const uint8_t zero[5 * FPVM_PAGE_SIZE];
  int rc = fpvm_mem_set_range(s->mem, sp - 4 * FPVM_PAGE_SIZE, zero, sizeof zero);
  if (rc) return rc;
  t->regs[29] = sp;
  /* 16 random bytes (AT_RANDOM), one env var, argv[0]; strings NUL-terminated, zero-padded to 8 */
  uint8_t blk[80];
  memset(blk, 0, sizeof blk);
  memcpy(blk, "4;byfairdiceroll", 16);
  memcpy(blk + 16, "GODEBUG=memprofilerate=0", 24); /* + NUL → 25, padded to 32 */
  memcpy(blk + 48, "op-program", 10);               /* + NUL → 11, padded to 16 */
  const uint64_t auxv3 = sp + 80, envp0 = auxv3 + 16, argv0 = envp0 + 32;
  if ((rc = fpvm_mem_set_range(s->mem, auxv3, blk, 64))) return rc;
  uint64_t words[10] = {1, argv0, 0, envp0, 0, 6, 4096, 25, auxv3, 0};
  uint8_t wb[80];
  for (int i = 0; i < 10; i++) fpk_put_be64(wb + 8 * i, words[i]);
  return fpvm_mem_set_range(s->mem, sp, wb, sizeof wb);
}
