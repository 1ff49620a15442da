/* ELF64 reader for loading guests: header, program headers and the symbol table, every offset and
 * size checked against the buffer before use. Either byte order; 32-bit ELF is refused. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fpkit/fpvm.h"

#define EHDR_SIZE 64u
#define PHDR_SIZE 56u
#define SHDR_SIZE 64u
#define SYM_SIZE 24u
#define SHT_SYMTAB 2u
#define SHT_STRTAB 3u

static uint16_t rd16(const fpvm_elf *e, size_t off) {
  const uint8_t *p = e->buf + off;
  return e->big_endian ? (uint16_t)((p[0] << 8) | p[1]) : (uint16_t)((p[1] << 8) | p[0]);
}
static uint32_t rd32(const fpvm_elf *e, size_t off) {
  const uint8_t *p = e->buf + off;
  return e->big_endian ? fpk_be32(p)
                       : ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | (uint32_t)p[0];
}
static uint64_t rd64(const fpvm_elf *e, size_t off) {
  if (e->big_endian) return fpk_be64(e->buf + off);
  return ((uint64_t)rd32(e, off + 4) << 32) | rd32(e, off);
}

/* [off, off+n) inside the file */
static bool in_file(const fpvm_elf *e, uint64_t off, uint64_t n) { return off <= e->len && n <= e->len - off; }

int fpvm_elf_parse(fpvm_elf *e, const uint8_t *buf, size_t len, const char *name) {
  memset(e, 0, sizeof *e);
  if (!name) name = "ELF";
  e->buf = buf;
  e->len = len;
  if (len < 16 || memcmp(buf, "\177ELF", 4) != 0)
    return fpk_errf(FPK_EFORMAT, "%s: bad magic number (not an ELF file)", name);
  if (buf[4] != 2)
    return fpk_errf(FPK_EUNSUPPORTED, "%s: field EI_CLASS: value %u is not ELFCLASS64", name, (unsigned)buf[4]);
  if (buf[5] != 1 && buf[5] != 2)
    return fpk_errf(FPK_EFORMAT, "%s: field EI_DATA: unknown byte order %u", name, (unsigned)buf[5]);
  if (buf[6] != 1) return fpk_errf(FPK_EFORMAT, "%s: field EI_VERSION: unknown version %u", name, (unsigned)buf[6]);
  if (len < EHDR_SIZE) return fpk_errf(FPK_ETRUNC, "%s: ELF header truncated (%zu of 64 bytes)", name, len);
  e->big_endian = buf[5] == 2;
  e->machine = rd16(e, 18);
  if (rd32(e, 20) != 1) return fpk_errf(FPK_EFORMAT, "%s: field e_version: unknown version %u", name, rd32(e, 20));
  e->entry = rd64(e, 24);
  uint64_t phoff = rd64(e, 32);
  uint16_t phentsize = rd16(e, 54), phnum = rd16(e, 56);
  uint64_t shoff = rd64(e, 40);
  uint16_t shentsize = rd16(e, 58), shnum = rd16(e, 60), shstrndx = rd16(e, 62);
  if (phnum) {
    if (phentsize < PHDR_SIZE)
      return fpk_errf(FPK_EFORMAT, "%s: field e_phentsize: %u is smaller than 56", name, (unsigned)phentsize);
    if (!in_file(e, phoff, (uint64_t)phnum * phentsize))
      return fpk_errf(FPK_ETRUNC, "%s: field e_phoff: program headers [0x%llx, +%u*%u) lie outside the file (%zu bytes)",
                      name, (unsigned long long)phoff, (unsigned)phnum, (unsigned)phentsize, len);
  }
  if (shoff && shnum) {
    if (shentsize < SHDR_SIZE)
      return fpk_errf(FPK_EFORMAT, "%s: field e_shentsize: %u is smaller than 64", name, (unsigned)shentsize);
    if (!in_file(e, shoff, (uint64_t)shnum * shentsize))
      return fpk_errf(FPK_ETRUNC, "%s: field e_shoff: section headers lie outside the file", name);
    if (shstrndx >= shnum && shstrndx != 0)
      return fpk_errf(FPK_EFORMAT, "%s: field e_shstrndx: %u is not below e_shnum %u", name, (unsigned)shstrndx,
                      (unsigned)shnum);
  }
  if (phnum) {
    e->phdrs = calloc(phnum, sizeof *e->phdrs);
    if (!e->phdrs) return fpk_errf(FPK_ENOMEM, "%s: out of memory", name);
  }
  for (size_t i = 0; i < phnum; i++) {
    size_t o = (size_t)phoff + i * phentsize;
    fpvm_elf_phdr *p = &e->phdrs[i];
    p->type = rd32(e, o);
    p->flags = rd32(e, o + 4);
    p->offset = rd64(e, o + 8);
    p->vaddr = rd64(e, o + 16);
    p->filesz = rd64(e, o + 32);
    p->memsz = rd64(e, o + 40);
  }
  e->nphdrs = phnum;
  return FPK_OK;
}

int fpvm_elf_load(fpvm_elf *e, const char *path) {
  memset(e, 0, sizeof *e);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fpk_errf(FPK_EIO, "%s: open: %s", path, strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return fpk_errf(FPK_EIO, "%s: not a regular file", path);
  }
  size_t len = (size_t)st.st_size;
  uint8_t *buf = malloc(len ? len : 1);
  if (!buf) {
    close(fd);
    return fpk_errf(FPK_ENOMEM, "%s: out of memory (%zu bytes)", path, len);
  }
  size_t got = 0;
  while (got < len) {
    ssize_t r = read(fd, buf + got, len - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      int err = r < 0 ? errno : EIO;
      free(buf);
      close(fd);
      return fpk_errf(FPK_EIO, "%s: read: %s", path, strerror(err));
    }
    got += (size_t)r;
  }
  close(fd);
  int rc = fpvm_elf_parse(e, buf, len, path);
  if (rc) {
    free(buf);
    memset(e, 0, sizeof *e);
    return rc;
  }
  e->owned = true;
  return FPK_OK;
}

void fpvm_elf_free(fpvm_elf *e) {
  if (!e) return;
  if (e->owned) free((void *)(uintptr_t)e->buf);
  free(e->phdrs);
  memset(e, 0, sizeof *e);
}

void fpvm_syms_free(fpvm_elf_sym *syms, size_t n) {
  if (!syms) return;
  for (size_t i = 0; i < n; i++) free(syms[i].name);
  free(syms);
}

typedef struct {
  fpvm_elf_sym s;
  size_t order;
} keyed_sym;

static int sym_cmp(const void *a, const void *b) {
  const keyed_sym *x = a, *y = b;
  if (x->s.value != y->s.value) return x->s.value < y->s.value ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

int fpvm_elf_symbols(const fpvm_elf *e, fpvm_elf_sym **syms, size_t *n) {
  *syms = NULL;
  *n = 0;
  if (e->len < EHDR_SIZE) return fpk_errf(FPK_EINVAL, "ELF: not parsed");
  uint64_t shoff = rd64(e, 40);
  uint16_t shentsize = rd16(e, 58), shnum = rd16(e, 60);
  if (!shoff || !shnum) return fpk_errf(FPK_ENOTFOUND, "ELF: no symbol section");
  /* like Go's elf.File.Symbols: the first SHT_SYMTAB section, names from the section it links to */
  size_t symsec = SIZE_MAX;
  for (size_t i = 0; i < shnum; i++)
    if (rd32(e, (size_t)shoff + i * shentsize + 4) == SHT_SYMTAB) {
      symsec = i;
      break;
    }
  if (symsec == SIZE_MAX) return fpk_errf(FPK_ENOTFOUND, "ELF: no symbol section");
  size_t so = (size_t)shoff + symsec * shentsize;
  uint64_t off = rd64(e, so + 24), size = rd64(e, so + 32);
  uint32_t link = rd32(e, so + 40);
  if (size % SYM_SIZE) return fpk_errf(FPK_EFORMAT, "ELF: .symtab size %llu is not a multiple of 24", (unsigned long long)size);
  if (!in_file(e, off, size)) return fpk_errf(FPK_ETRUNC, "ELF: .symtab lies outside the file");
  if (link >= shnum) return fpk_errf(FPK_EFORMAT, "ELF: .symtab links to section %u of %u", link, (unsigned)shnum);
  size_t lo = (size_t)shoff + (size_t)link * shentsize;
  if (rd32(e, lo + 4) != SHT_STRTAB) return fpk_errf(FPK_EFORMAT, "ELF: .symtab string table is not SHT_STRTAB");
  uint64_t stroff = rd64(e, lo + 24), strsize = rd64(e, lo + 32);
  if (!in_file(e, stroff, strsize)) return fpk_errf(FPK_ETRUNC, "ELF: symbol string table lies outside the file");
  size_t count = (size_t)(size / SYM_SIZE);
  if (count <= 1) {
    *syms = malloc(1);
    return *syms ? FPK_OK : fpk_errf(FPK_ENOMEM, "ELF: out of memory");
  }
  keyed_sym *k = calloc(count - 1, sizeof *k);
  if (!k) return fpk_errf(FPK_ENOMEM, "ELF: out of memory");
  for (size_t i = 1; i < count; i++) {
    size_t o = (size_t)off + i * SYM_SIZE;
    uint32_t nm = rd32(e, o);
    keyed_sym *d = &k[i - 1];
    d->order = i;
    d->s.info = e->buf[o + 4];
    d->s.value = rd64(e, o + 8);
    d->s.size = rd64(e, o + 16);
    /* a name index outside the table gives "" (Go ignores the lookup failure) */
    const char *str = "";
    size_t slen = 0;
    if (nm < strsize) {
      str = (const char *)e->buf + stroff + nm;
      const void *z = memchr(str, 0, (size_t)(strsize - nm));
      slen = z ? (size_t)((const char *)z - str) : 0;
      if (!z) str = "";
    }
    d->s.name = malloc(slen + 1);
    if (!d->s.name) {
      for (size_t j = 0; j + 1 < i; j++) free(k[j].s.name);
      free(k);
      return fpk_errf(FPK_ENOMEM, "ELF: out of memory");
    }
    memcpy(d->s.name, str, slen);
    d->s.name[slen] = 0;
  }
  qsort(k, count - 1, sizeof *k, sym_cmp);
  fpvm_elf_sym *out = malloc((count - 1) * sizeof *out);
  if (!out) {
    for (size_t j = 0; j + 1 < count; j++) free(k[j].s.name);
    free(k);
    return fpk_errf(FPK_ENOMEM, "ELF: out of memory");
  }
  for (size_t j = 0; j + 1 < count; j++) out[j] = k[j].s;
  free(k);
  *syms = out;
  *n = count - 1;
  return FPK_OK;
}
