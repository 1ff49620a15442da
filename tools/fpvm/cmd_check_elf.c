/* fpvm check-elf: list every instruction in a MIPS64 ELF's code that the VM cannot execute (or executes
 * differently from MIPS), so a toolchain slip shows up before load-elf instead of as a panic mid-run.
 * Code = sections flagged SHF_EXECINSTR; without section headers, the executable PT_LOAD segments.
 * Syscalls whose number is a constant loaded just before them are checked against the VM's table too;
 * the others (number computed elsewhere) are only counted.
 * The scan is static: it also reports code that never runs (Go's runtime carries MSA memclr, rdhwr and
 * trap paths that are unreachable under Cannon). --allow names functions whose findings are only counted. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fpkit/fpvm.h"
#include "fpvm/mips64/isa_check.h"

enum { EM_MIPS = 8, SHF_EXECINSTR = 4, SHT_NOBITS = 8, STT_FUNC = 2, PF_X = 1 };

typedef struct {
  const fpvm_elf *e;
  fpvm_elf_sym *syms; /* function symbols only (all symbols if there are none), by value */
  size_t nsyms;
  bool quiet;
  uint64_t words, invalid, divergent;
  uint64_t syscalls, bad_syscalls, unknown_syscalls, allowed;
  const char *allow; /* comma-separated function names */
} scan;

static uint64_t rd(const fpvm_elf *e, size_t off, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++) {
    unsigned sh = e->big_endian ? (unsigned)(n - 1 - i) * 8 : (unsigned)i * 8;
    v |= (uint64_t)e->buf[off + (size_t)i] << sh;
  }
  return v;
}

static const fpvm_elf_sym *sym_at(const scan *s, uint64_t addr) {
  size_t lo = 0, hi = s->nsyms; /* last symbol with value <= addr */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->syms[mid].value <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo ? &s->syms[lo - 1] : NULL;
}

/* Is the finding at addr inside a function the user allowed? Then it is only counted. */
static bool allowed(scan *s, uint64_t addr) {
  const fpvm_elf_sym *y = sym_at(s, addr);
  if (!*s->allow || !y || !y->name) return false;
  size_t n = strlen(y->name);
  for (const char *p = s->allow; *p;) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == n && !memcmp(p, y->name, n)) {
      s->allowed++;
      return true;
    }
    if (!e) break;
    p = e + 1;
  }
  return false;
}

static void where(const scan *s, uint64_t addr, char *out, size_t cap) {
  const fpvm_elf_sym *y = sym_at(s, addr);
  if (!y) snprintf(out, cap, "?");
  else snprintf(out, cap, "%s+0x%" PRIx64, y->name && *y->name ? y->name : "?", addr - y->value);
}

static void check_syscall(scan *s, const uint32_t *w, size_t i, uint64_t vaddr) {
  uint64_t nr;
  s->syscalls++;
  if (!fpvm_mips64_syscall_number(w, i, &nr)) {
    s->unknown_syscalls++;
    return;
  }
  if (fpvm_mips64_syscall_supported(nr) || allowed(s, vaddr)) return;
  s->bad_syscalls++;
  if (s->quiet) return;
  char at[160];
  where(s, vaddr, at, sizeof at);
  printf("0x%016" PRIx64 " %-32s 0x%08" PRIx32 " %-8s unsupported syscall %" PRIu64 " (the VM panics)\n", vaddr, at,
         w[i], "syscall", nr);
}

static int scan_range(scan *s, uint64_t off, uint64_t size, uint64_t vaddr) {
  size_t n = (size_t)(size / 4);
  uint32_t *w = malloc((n ? n : 1) * sizeof *w);
  if (!w) return -1;
  for (size_t k = 0; k < n; k++) w[k] = (uint32_t)rd(s->e, (size_t)(off + 4 * k), 4);
  for (uint64_t i = 0; i + 4 <= size; i += 4) {
    uint32_t insn = w[i / 4];
    s->words++;
    if ((insn & 0xFC00003Fu) == 0x0000000Cu) check_syscall(s, w, (size_t)(i / 4), vaddr + i);
    fpvm_isa_class c = fpvm_mips64_insn_class(insn);
    if (c == FPVM_ISA_OK || allowed(s, vaddr + i)) continue;
    if (c == FPVM_ISA_INVALID) s->invalid++;
    else s->divergent++;
    if (s->quiet) continue;
    char at[160];
    where(s, vaddr + i, at, sizeof at);
    printf("0x%016" PRIx64 " %-32s 0x%08" PRIx32 " %-8s %s\n", vaddr + i, at, insn, fpvm_mips64_insn_name(insn),
           c == FPVM_ISA_INVALID ? "unsupported (the VM panics)" : "runs differently in the VM");
  }
  free(w);
  return 0;
}

/* Executable sections, bounds-checked against the file. Returns the number scanned, or -1 if the
 * section table is malformed. */
static long scan_sections(scan *s) {
  const fpvm_elf *e = s->e;
  if (e->len < 64) return 0;
  uint64_t shoff = rd(e, 0x28, 8), shentsize = rd(e, 0x3A, 2), shnum = rd(e, 0x3C, 2);
  if (shoff == 0 || shnum == 0) return 0;
  if (shentsize < 64 || shoff > e->len || shnum > (e->len - shoff) / shentsize) return -1;
  long n = 0;
  for (uint64_t i = 0; i < shnum; i++) {
    size_t h = (size_t)(shoff + i * shentsize);
    uint64_t type = rd(e, h + 4, 4), flags = rd(e, h + 8, 8), addr = rd(e, h + 0x10, 8);
    uint64_t off = rd(e, h + 0x18, 8), size = rd(e, h + 0x20, 8);
    if (!(flags & SHF_EXECINSTR) || type == SHT_NOBITS || size == 0) continue;
    if (off > e->len || size > e->len - off || scan_range(s, off, size, addr) != 0) return -1;
    n++;
  }
  return n;
}

static long scan_segments(scan *s) {
  long n = 0;
  for (size_t i = 0; i < s->e->nphdrs; i++) {
    const fpvm_elf_phdr *p = &s->e->phdrs[i];
    if (p->type != FPVM_PT_LOAD || !(p->flags & PF_X)) continue;
    if (p->offset > s->e->len || p->filesz > s->e->len - p->offset) return -1;
    if (scan_range(s, p->offset, p->filesz, p->vaddr) != 0) return -1;
    n++;
  }
  return n;
}

static int by_value(const void *a, const void *b) {
  const fpvm_elf_sym *x = a, *y = b;
  return x->value < y->value ? -1 : x->value > y->value;
}

int fpvm_cli_check_elf(int argc, char **argv) {
  fpvm_cli_flag flags[] = {
      {.name = "path", .usage = "Path to 64-bit big-endian MIPS ELF file (or give it as the argument)"},
      {.name = "quiet", .kind = FPVM_FLAG_BOOL, .usage = "Print only the summary line"},
      {.name = "allow", .usage = "Comma-separated function names whose findings are known to be unreachable (counted, not failed)"},
  };
  fpvm_cli_cmd cmd = {.name = "check-elf",
                      .usage = "Check that an ELF only uses instructions the VM executes as MIPS64 does",
                      .flags = flags,
                      .nflags = 3};
  if (!fpvm_cli_parse(&cmd, argc, argv)) return cmd.exit_code;
  const char *path = fpvm_cli_str(&cmd, "path");
  if (!*path && cmd.rest < argc) path = argv[cmd.rest];
  if (!*path) return fpvm_cli_error("check-elf: no ELF file given");

  fpvm_elf e;
  if (fpvm_elf_load(&e, path) != FPK_OK) return fpvm_cli_error("failed to open ELF file \"%s\": %s", path, fpk_errmsg());
  if (e.machine != EM_MIPS || !e.big_endian) {
    unsigned machine = e.machine;
    fpvm_elf_free(&e);
    return fpvm_cli_error("%s: not a big-endian MIPS ELF (machine %u)", path, machine);
  }
  scan s = {.e = &e, .quiet = fpvm_cli_bool(&cmd, "quiet"), .allow = fpvm_cli_str(&cmd, "allow")};
  fpvm_elf_sym *all = NULL;
  size_t nall = 0;
  if (fpvm_elf_symbols(&e, &all, &nall) == FPK_OK && nall) {
    s.syms = malloc(nall * sizeof *s.syms);
    if (s.syms) {
      for (size_t i = 0; i < nall; i++)
        if ((all[i].info & 15) == STT_FUNC) s.syms[s.nsyms++] = all[i];
      if (s.nsyms == 0) {
        memcpy(s.syms, all, nall * sizeof *all);
        s.nsyms = nall;
      }
      qsort(s.syms, s.nsyms, sizeof *s.syms, by_value); /* already sorted; cheap insurance */
    }
  }
  long n = scan_sections(&s);
  const char *unit = "executable sections";
  if (n == 0) {
    n = scan_segments(&s);
    unit = "executable segments";
  }
  free(s.syms); /* the names belong to `all` */
  fpvm_syms_free(all, nall);
  fpvm_elf_free(&e);
  if (n < 0) return fpvm_cli_error("%s: section or segment extends past the end of the file (or out of memory)", path);
  if (n == 0) return fpvm_cli_error("%s: no executable code found", path);
  printf("%s: %" PRIu64 " instructions in %ld %s: %" PRIu64 " unsupported, %" PRIu64 " run differently; %" PRIu64
         " syscalls: %" PRIu64 " unsupported, %" PRIu64 " with a number not known statically",
         path, s.words, n, unit, s.invalid, s.divergent, s.syscalls, s.bad_syscalls, s.unknown_syscalls);
  if (s.allowed) printf("; %" PRIu64 " findings in allowed functions", s.allowed);
  printf("\n");
  return s.invalid || s.divergent || s.bad_syscalls ? 1 : 0;
}
