/* ELF parsing, Cannon's load-elf rules (cannon.md §6) and meta.json, on hand-built ELF images. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fpkit/mips64.h"
#include "test.h"

/* ---- a tiny ELF64 writer (either byte order) */
typedef struct {
  uint8_t b[1 << 16];
  size_t n;
  bool be;
} img;

static void put(img *m, size_t off, uint64_t v, int size) {
  for (int i = 0; i < size; i++) {
    int sh = m->be ? 8 * (size - 1 - i) : 8 * i;
    m->b[off + (size_t)i] = (uint8_t)(v >> sh);
  }
}

typedef struct {
  uint32_t type;
  uint64_t offset, vaddr, filesz, memsz;
} seg;

typedef struct {
  const char *name;
  uint64_t value, size;
} sym;

/* Header at 0, phdrs at 64, segment data from 0x400 (caller fills), optional .symtab/.strtab/.shstrtab
 * after 0x8000. Returns the image length. */
static size_t build(img *m, bool be, uint16_t machine, uint64_t entry, const seg *segs, size_t nseg, const sym *syms,
                    size_t nsym) {
  memset(m, 0, sizeof *m);
  m->be = be;
  memcpy(m->b, "\177ELF", 4);
  m->b[4] = 2;
  m->b[5] = be ? 2 : 1;
  m->b[6] = 1;
  put(m, 16, 2, 2); /* ET_EXEC */
  put(m, 18, machine, 2);
  put(m, 20, 1, 4);
  put(m, 24, entry, 8);
  put(m, 32, nseg ? 64 : 0, 8);
  put(m, 52, 64, 2);
  put(m, 54, 56, 2);
  put(m, 56, nseg, 2);
  put(m, 58, 64, 2);
  for (size_t i = 0; i < nseg; i++) {
    size_t o = 64 + 56 * i;
    put(m, o, segs[i].type, 4);
    put(m, o + 4, 5, 4);
    put(m, o + 8, segs[i].offset, 8);
    put(m, o + 16, segs[i].vaddr, 8);
    put(m, o + 24, segs[i].vaddr, 8);
    put(m, o + 32, segs[i].filesz, 8);
    put(m, o + 40, segs[i].memsz, 8);
  }
  m->n = 0x8000;
  if (!syms) return m->n;
  /* .strtab */
  size_t str = m->n, sl = 1;
  uint32_t nameoff[64];
  for (size_t i = 0; i < nsym; i++) {
    nameoff[i] = (uint32_t)sl;
    size_t l = strlen(syms[i].name) + 1;
    memcpy(m->b + str + sl, syms[i].name, l);
    sl += l;
  }
  /* .symtab: null symbol + nsym */
  size_t tab = (str + sl + 7) & ~(size_t)7;
  for (size_t i = 0; i < nsym; i++) {
    size_t o = tab + 24 * (i + 1);
    put(m, o, nameoff[i], 4);
    m->b[o + 4] = 0x12; /* global func */
    put(m, o + 6, 1, 2);
    put(m, o + 8, syms[i].value, 8);
    put(m, o + 16, syms[i].size, 8);
  }
  size_t tablen = 24 * (nsym + 1);
  /* .shstrtab */
  size_t shs = tab + tablen;
  static const char names[] = "\0.symtab\0.strtab\0.shstrtab";
  memcpy(m->b + shs, names, sizeof names);
  size_t sh = (shs + sizeof names + 7) & ~(size_t)7;
  /* sections: 0 null, 1 .symtab (link 2), 2 .strtab, 3 .shstrtab */
  size_t o = sh + 64;
  put(m, o, 1, 4), put(m, o + 4, 2, 4), put(m, o + 24, tab, 8), put(m, o + 32, tablen, 8), put(m, o + 40, 2, 4),
      put(m, o + 56, 24, 8);
  o += 64;
  put(m, o, 9, 4), put(m, o + 4, 3, 4), put(m, o + 24, str, 8), put(m, o + 32, sl, 8);
  o += 64;
  put(m, o, 17, 4), put(m, o + 4, 3, 4), put(m, o + 24, shs, 8), put(m, o + 32, sizeof names, 8);
  put(m, 40, sh, 8);
  put(m, 60, 4, 2);
  put(m, 62, 3, 2);
  m->n = sh + 4 * 64;
  return m->n;
}

static int load(const img *m, fpvm_mips64_state **s) {
  fpvm_elf e;
  *s = NULL;
  int rc = fpvm_elf_parse(&e, m->b, m->n, "t.elf");
  if (rc) return rc;
  rc = fpvm_mips64_load_elf(s, &e, "t.elf");
  fpvm_elf_free(&e);
  return rc;
}

static img M; /* big: keep off the stack */

static void test_elf_parse_errors(void) {
  fpvm_elf e;
  seg s1 = {FPVM_PT_LOAD, 0x400, 0x10000, 8, 8};
  build(&M, true, 8, 0x10000, &s1, 1, NULL, 0);
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_OK);
  CHECK(e.big_endian && e.machine == 8 && e.entry == 0x10000 && e.nphdrs == 1);
  CHECK(e.phdrs[0].vaddr == 0x10000 && e.phdrs[0].filesz == 8 && e.phdrs[0].offset == 0x400);
  fpvm_elf_free(&e);
  /* little-endian images parse too */
  build(&M, false, 0x3e, 0x401000, &s1, 1, NULL, 0);
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "le.elf") == FPK_OK);
  CHECK(!e.big_endian && e.machine == 0x3e && e.entry == 0x401000 && e.phdrs[0].vaddr == 0x10000);
  fpvm_elf_free(&e);

  build(&M, true, 8, 0, &s1, 1, NULL, 0);
  M.b[0] = 0;
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_EFORMAT);
  CHECK(strstr(fpk_errmsg(), "t.elf") == fpk_errmsg());
  M.b[0] = 0x7f;
  M.b[4] = 1;
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_EUNSUPPORTED);
  M.b[4] = 2;
  M.b[5] = 3;
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_EFORMAT);
  M.b[5] = 2;
  for (size_t n = 0; n < 64 + 56; n++) /* every cut inside the header and program headers */
    CHECK(fpvm_elf_parse(&e, M.b, n, "t.elf") < 0);
  put(&M, 54, 40, 2); /* e_phentsize too small */
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_EFORMAT);
  put(&M, 54, 56, 2);
  put(&M, 32, M.n - 10, 8); /* phdrs past the end */
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_ETRUNC);
  put(&M, 32, UINT64_MAX - 8, 8); /* offset + size wraps */
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_ETRUNC);
  /* section headers out of range */
  sym sy = {"main", 0x10000, 8};
  build(&M, true, 8, 0, &s1, 1, &sy, 1);
  put(&M, 40, M.n, 8);
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_ETRUNC);
  build(&M, true, 8, 0, &s1, 1, &sy, 1);
  put(&M, 62, 9, 2);
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_EFORMAT);
  /* missing file */
  CHECK(fpvm_elf_load(&e, "/nonexistent/x.elf") == FPK_EIO);
}

static void test_elf_load_rules(void) {
  fpvm_mips64_state *s;
  /* PT_LOAD with bss, a PT_NOTE-type segment (loaded too), ABIFLAGS (skipped even at a bad address),
   * an empty segment at an absurd address (skipped) */
  seg segs[4] = {
      {FPVM_PT_LOAD, 0x400, 0x10000, 16, 0x3000},
      {4, 0x410, 0x20008, 8, 8},
      {FPVM_PT_MIPS_ABIFLAGS, 0x418, 0xFFFFFFFFFFFFFF00ull, 24, 24},
      {FPVM_PT_LOAD, 0x400, 0xFFFFFFFFFFFFFFF0ull, 0, 0},
  };
  build(&M, true, 8, 0x10000, segs, 4, NULL, 0);
  for (int i = 0; i < 16; i++) M.b[0x400 + i] = (uint8_t)(0x11 * (i + 1));
  for (int i = 0; i < 8; i++) M.b[0x410 + i] = (uint8_t)(0xA0 + i);
  CHECK(load(&M, &s) == FPK_OK);
  if (s) {
    CHECK_EQ_U64(fpvm_mem_read64(s->mem, 0x10000), 0x1122334455667788ull);
    CHECK_EQ_U64(fpvm_mem_read64(s->mem, 0x10008), 0x99aabbccddeeff10ull); /* 0x11*16 = 0x110 → 0x10 */
    CHECK_EQ_U64(fpvm_mem_read64(s->mem, 0x10010), 0);
    CHECK_EQ_U64(fpvm_mem_read64(s->mem, 0x20008), 0xA0A1A2A3A4A5A6A7ull);
    /* pages: 0x10..0x12 (segment + bss), 0x20, plus the 5 stack pages */
    CHECK_EQ_U64(fpvm_mem_page_count(s->mem), 3 + 1 + 5);
    CHECK_EQ_U64(s->heap, FPVM_MIPS64_HEAP_START);
    fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
    CHECK(t && t->pc == 0x10000 && t->next_pc == 0x10004 && t->regs[29] == FPVM_MIPS64_STACK_TOP);
    CHECK_EQ_U64(fpvm_mem_read64(s->mem, FPVM_MIPS64_STACK_TOP), 1);
    CHECK_EQ_U64(s->next_thread_id, 1);
  }
  fpvm_mips64_state_destroy(s);

  /* the same image without segments is exactly V6's state (pc 0 aside from entry) */
  build(&M, true, 8, 0, NULL, 0, NULL, 0);
  CHECK(load(&M, &s) == FPK_OK);
  if (s) {
    uint8_t h[32];
    fpvm_mips64_state_hash(s, h);
    CHECK_HEX(h, 32, "03ce34fe7df81a3980e202b07c0132de5f33428ab044fd6fe938d7e16239edaf");
  }
  fpvm_mips64_state_destroy(s);

  struct {
    seg sg;
    uint16_t machine;
    int rc;
    const char *msg;
  } bad[] = {
      {{4, 0x400, 0x10000, 8, 16}, 8, FPK_EFORMAT, "filling for non PT_LOAD segments is not supported"},
      {{FPVM_PT_LOAD, 0x400, 0x10000, 16, 8}, 8, FPK_EFORMAT, "file size (16) > mem size (8)"},
      {{FPVM_PT_LOAD, 0x400, FPVM_MIPS64_HEAP_START - 8, 8, 9}, 8, FPK_ERANGE, "overlaps with heap"},
      {{FPVM_PT_LOAD, 0x400, 0xFFFFFFFFFFFFFFF8ull, 8, 16}, 8, FPK_ERANGE, "out of memory range"},
      {{FPVM_PT_LOAD, 0x400, 0x0000FFFFFFFFF000ull, 8, 8}, 8, FPK_ERANGE, "overlaps with heap"},
      {{FPVM_PT_LOAD, 0x7FF0, 0x10000, 0x20, 0x20}, 8, FPK_ETRUNC, "outside the file"},
      {{FPVM_PT_LOAD, 0x400, 0x10000, 8, 8}, 0x3e, FPK_EUNSUPPORTED, "e_machine"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    build(&M, true, bad[i].machine, 0x10000, &bad[i].sg, 1, NULL, 0);
    int rc = load(&M, &s);
    CHECK(rc == bad[i].rc && s == NULL);
    if (!strstr(fpk_errmsg(), bad[i].msg) || !strstr(fpk_errmsg(), "t.elf")) {
      fpk_test_failures++;
      fprintf(stderr, "  case %zu: message \"%s\" lacks \"%s\"\n", i, fpk_errmsg(), bad[i].msg);
    }
  }
  /* the last byte just below the heap is fine */
  seg edge = {FPVM_PT_LOAD, 0x400, FPVM_MIPS64_HEAP_START - 8, 8, 8};
  build(&M, true, 8, 0, &edge, 1, NULL, 0);
  CHECK(load(&M, &s) == FPK_OK);
  fpvm_mips64_state_destroy(s);
}

static void test_elf_symbols_meta(void) {
  seg s1 = {FPVM_PT_LOAD, 0x400, 0x10000, 8, 8};
  sym syms[] = {{"runtime.main", 0x10100, 0x40}, {"_start", 0x10000, 0x10}, {"a<b>&\"c\\", 0x10080, 8},
                {"", 0x10000, 0}, {"z.last", 0x20000, 4}};
  build(&M, true, 8, 0x10000, &s1, 1, syms, 5);
  fpvm_elf e;
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_OK);
  fpvm_meta m = {0};
  CHECK(fpvm_elf_symbols(&e, &m.syms, &m.n) == FPK_OK);
  CHECK_EQ_U64(m.n, 5);
  if (m.n == 5) {
    /* sorted by value; equal values keep table order */
    CHECK(!strcmp(m.syms[0].name, "_start") && !strcmp(m.syms[1].name, "") && m.syms[1].value == 0x10000);
    CHECK(!strcmp(m.syms[2].name, "a<b>&\"c\\") && !strcmp(m.syms[3].name, "runtime.main"));
    CHECK(m.syms[3].size == 0x40 && m.syms[4].value == 0x20000 && (m.syms[0].info & 0xF) == 2);
  }
  fpvm_elf_free(&e);
  /* lookups */
  CHECK(!strcmp(fpvm_meta_lookup(&m, 0xFFFF), "!start"));
  CHECK(!strcmp(fpvm_meta_lookup(&m, 0x10100), "runtime.main"));
  CHECK(!strcmp(fpvm_meta_lookup(&m, 0x10140), "runtime.main")); /* start+size is still inside (Go's rule) */
  CHECK(!strcmp(fpvm_meta_lookup(&m, 0x10141), "!gap"));
  CHECK(!strcmp(fpvm_meta_lookup(&m, 0x20004), "z.last"));
  fpvm_meta none = {0};
  CHECK(!strcmp(fpvm_meta_lookup(&none, 0), "!unknown"));

  /* meta.json bytes as Go's json.Encoder (indent 2, HTML escaping) + the extra newline */
  char dir[] = "/tmp/fpk_meta_XXXXXX", p[256];
  CHECK(mkdtemp(dir) != NULL);
  snprintf(p, sizeof p, "%s/meta.json", dir);
  fpvm_meta two = {m.syms + 2, 2};
  CHECK(fpvm_meta_write_json(&two, p) == FPK_OK);
  uint8_t *b = NULL;
  size_t bl = 0;
  CHECK(fpvm_read_file(p, &b, &bl) == FPK_OK);
  const char *want = "{\n  \"symbols\": [\n    {\n      \"name\": \"a\\u003cb\\u003e\\u0026\\\"c\\\\\",\n"
                     "      \"start\": 65664,\n      \"size\": 8\n    },\n    {\n      \"name\": \"runtime.main\",\n"
                     "      \"start\": 65792,\n      \"size\": 64\n    }\n  ]\n}\n\n";
  CHECK(b && bl == strlen(want) && memcmp(b, want, bl) == 0);
  if (b && (bl != strlen(want) || memcmp(b, want, bl))) fprintf(stderr, "got:\n%.*s\n", (int)bl, (const char *)b);
  free(b);
  fpvm_meta back = {0};
  CHECK(fpvm_meta_read_json(&back, p) == FPK_OK);
  CHECK(back.n == 2 && !strcmp(back.syms[0].name, "a<b>&\"c\\") && back.syms[1].value == 0x10100 &&
        back.syms[1].size == 64);
  fpvm_meta_free(&back);
  fpvm_meta empty = {0};
  CHECK(fpvm_meta_write_json(&empty, p) == FPK_OK);
  CHECK(fpvm_read_file(p, &b, &bl) == FPK_OK && bl == 21 && !memcmp(b, "{\n  \"symbols\": []\n}\n\n", 21));
  free(b);
  CHECK(fpvm_meta_write_json(&m, "") == FPK_OK); /* "" = none */
  FILE *f = fopen(p, "w");
  fputs("{\"symbols\":[{\"name\":1}]}", f);
  fclose(f);
  CHECK(fpvm_meta_read_json(&back, p) == FPK_EFORMAT);
  f = fopen(p, "w");
  fputs("{\"symbols\":[", f);
  fclose(f);
  CHECK(fpvm_meta_read_json(&back, p) == FPK_EFORMAT);
  unlink(p);
  rmdir(dir);
  fpvm_meta_free(&m);

  /* no symbol table */
  build(&M, true, 8, 0x10000, &s1, 1, NULL, 0);
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_OK);
  fpvm_elf_sym *ss = NULL;
  size_t n = 0;
  CHECK(fpvm_elf_symbols(&e, &ss, &n) == FPK_ENOTFOUND);
  CHECK(strstr(fpk_errmsg(), "no symbol section") != NULL);
  fpvm_elf_free(&e);
  /* a .symtab whose size is not a multiple of 24 / lies outside the file */
  build(&M, true, 8, 0x10000, &s1, 1, syms, 2);
  size_t sh = (size_t)fpk_be64(M.b + 40);
  fpk_put_be64(M.b + sh + 64 + 32, 25);
  CHECK(fpvm_elf_parse(&e, M.b, M.n, "t.elf") == FPK_OK);
  CHECK(fpvm_elf_symbols(&e, &ss, &n) == FPK_EFORMAT);
  fpk_put_be64(M.b + sh + 64 + 32, 24 * 1000);
  CHECK(fpvm_elf_symbols(&e, &ss, &n) == FPK_ETRUNC);
  fpvm_elf_free(&e);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_elf_parse_errors);
  RUN(test_elf_load_rules);
  RUN(test_elf_symbols_meta);
  return fpk_test_main_end();
}
