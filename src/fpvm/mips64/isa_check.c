/* Instruction-set vetting for check-elf: the tables of cannon.md §4.3, plus names for what is missing
 * so the report says what the compiler emitted. */
#include "fpvm/mips64/isa_check.h"

#include <stddef.h>

/* Primary opcodes the VM decodes (SPECIAL, REGIMM and SPECIAL2 are refined below). */
static const uint64_t PRIMARY_OK = (0xFFFFull)            /* 0x00..0x0F */
                                   | (0xFull << 0x18)     /* daddi daddiu ldl ldr */
                                   | (1ull << 0x1C)       /* SPECIAL2 */
                                   | (0xFFull << 0x20)    /* lb lh lwl lw lbu lhu lwr lwu */
                                   | (0x7Full << 0x28)    /* sb sh swl sw sdl sdr swr */
                                   | (1ull << 0x30) | (1ull << 0x34) | (1ull << 0x37) /* ll lld ld */
                                   | (1ull << 0x38) | (1ull << 0x3C) | (1ull << 0x3F); /* sc scd sd */

/* SPECIAL functs that are invalid: movci, 0x05, break, 0x0E, 0x15, 0x28, 0x29, traps 0x30..0x37, 0x39, 0x3D. */
static const uint64_t SPECIAL_BAD = (1ull << 0x01) | (1ull << 0x05) | (1ull << 0x0D) | (1ull << 0x0E) |
                                    (1ull << 0x15) | (1ull << 0x28) | (1ull << 0x29) | (0xFFull << 0x30) |
                                    (1ull << 0x39) | (1ull << 0x3D);

static const char *const PRIMARY_NAMES[64] = {
    "special", "regimm", "j",     "jal",   "beq",  "bne",   "blez",  "bgtz",   /* 0x00 */
    "addi",    "addiu",  "slti",  "sltiu", "andi", "ori",   "xori",  "lui",    /* 0x08 */
    "cop0",    "cop1",   "cop2",  "cop1x", "beql", "bnel",  "blezl", "bgtzl",  /* 0x10 */
    "daddi",   "daddiu", "ldl",   "ldr",   "special2", "jalx", "msa", "special3", /* 0x18 */
    "lb",      "lh",     "lwl",   "lw",    "lbu",  "lhu",   "lwr",   "lwu",    /* 0x20 */
    "sb",      "sh",     "swl",   "sw",    "sdl",  "sdr",   "swr",   "cache",  /* 0x28 */
    "ll",      "lwc1",   "lwc2",  "pref",  "lld",  "ldc1",  "ldc2",  "ld",     /* 0x30 */
    "sc",      "swc1",   "swc2",  "?",     "scd",  "sdc1",  "sdc2",  "sd"};    /* 0x38 */

static const char *const SPECIAL_NAMES[64] = {
    "sll",  "movci", "srl",  "sra",  "sllv",    "?",     "srlv",   "srav",    /* 0x00 */
    "jr",   "jalr",  "movz", "movn", "syscall", "break", "?",      "sync",    /* 0x08 */
    "mfhi", "mthi",  "mflo", "mtlo", "dsllv",   "?",     "dsrlv",  "dsrav",   /* 0x10 */
    "mult", "multu", "div",  "divu", "dmult",   "dmultu", "ddiv",  "ddivu",   /* 0x18 */
    "add",  "addu",  "sub",  "subu", "and",     "or",    "xor",    "nor",     /* 0x20 */
    "?",    "?",     "slt",  "sltu", "dadd",    "daddu", "dsub",   "dsubu",   /* 0x28 */
    "tge",  "tgeu",  "tlt",  "tltu", "teq",     "?",     "tne",    "?",       /* 0x30 */
    "dsll", "?",     "dsrl", "dsra", "dsll32",  "?",     "dsrl32", "dsra32"}; /* 0x38 */

static const char *regimm_name(unsigned rt) {
  switch (rt) {
    case 0x00: return "bltz";
    case 0x01: return "bgez";
    case 0x02: return "bltzl";
    case 0x03: return "bgezl";
    case 0x08: return "tgei";
    case 0x09: return "tgeiu";
    case 0x0A: return "tlti";
    case 0x0B: return "tltiu";
    case 0x0C: return "teqi";
    case 0x0E: return "tnei";
    case 0x10: return "bltzal";
    case 0x11: return "bgezal";
    case 0x12: return "bltzall";
    case 0x13: return "bgezall";
    case 0x1F: return "synci";
    default: return "regimm?";
  }
}

static const char *special2_name(unsigned funct) {
  switch (funct) {
    case 0x00: return "madd";
    case 0x01: return "maddu";
    case 0x02: return "mul";
    case 0x04: return "msub";
    case 0x05: return "msubu";
    case 0x20: return "clz";
    case 0x21: return "clo";
    case 0x24: return "dclz";
    case 0x25: return "dclo";
    case 0x3F: return "sdbbp";
    default: return "special2?";
  }
}

static const char *special3_name(uint32_t insn) {
  unsigned funct = insn & 0x3F, sa = (insn >> 6) & 31;
  switch (funct) {
    case 0x00: return "ext";
    case 0x01: return "dextm";
    case 0x02: return "dextu";
    case 0x03: return "dext";
    case 0x04: return "ins";
    case 0x05: return "dinsm";
    case 0x06: return "dinsu";
    case 0x07: return "dins";
    case 0x20: return sa == 0x10 ? "seb" : sa == 0x18 ? "seh" : sa == 0x02 ? "wsbh" : "bshfl";
    case 0x24: return sa == 0x02 ? "dsbh" : sa == 0x05 ? "dshd" : "dbshfl";
    case 0x3B: return "rdhwr";
    default: return "special3";
  }
}

fpvm_isa_class fpvm_mips64_insn_class(uint32_t insn) {
  unsigned op = insn >> 26, funct = insn & 0x3F;
  if (!((PRIMARY_OK >> op) & 1)) return FPVM_ISA_INVALID;
  if (op == 0x00) {
    if ((SPECIAL_BAD >> funct) & 1) return FPVM_ISA_INVALID;
    unsigned rs = (insn >> 21) & 31, sa = (insn >> 6) & 31;
    /* The rotate forms reuse srl/srlv/dsrl* encodings with one spare bit set; the VM ignores the bit. */
    if ((funct == 0x02 || funct == 0x3A || funct == 0x3E) && (rs & 1)) return FPVM_ISA_DIVERGENT;
    if ((funct == 0x06 || funct == 0x16) && (sa & 1)) return FPVM_ISA_DIVERGENT;
    return FPVM_ISA_OK;
  }
  if (op == 0x01) {
    unsigned rt = (insn >> 16) & 31;
    return (rt == 0x00 || rt == 0x01 || rt == 0x10 || rt == 0x11) ? FPVM_ISA_OK : FPVM_ISA_DIVERGENT;
  }
  if (op == 0x1C)
    return (funct == 0x02 || funct == 0x20 || funct == 0x21 || funct == 0x24 || funct == 0x25) ? FPVM_ISA_OK
                                                                                                 : FPVM_ISA_INVALID;
  return FPVM_ISA_OK;
}

bool fpvm_mips64_insn_valid(uint32_t insn) { return fpvm_mips64_insn_class(insn) != FPVM_ISA_INVALID; }

const char *fpvm_mips64_insn_name(uint32_t insn) {
  unsigned op = insn >> 26, funct = insn & 0x3F;
  switch (op) {
    case 0x00: {
      unsigned rs = (insn >> 21) & 31, sa = (insn >> 6) & 31;
      if (insn == 0) return "nop";
      if (funct == 0x02 && (rs & 1)) return "rotr";
      if (funct == 0x06 && (sa & 1)) return "rotrv";
      if (funct == 0x3A && (rs & 1)) return "drotr";
      if (funct == 0x3E && (rs & 1)) return "drotr32";
      if (funct == 0x16 && (sa & 1)) return "drotrv";
      return SPECIAL_NAMES[funct];
    }
    case 0x01: return regimm_name((insn >> 16) & 31);
    case 0x1C: return special2_name(funct);
    case 0x1F: return special3_name(insn);
    default: return PRIMARY_NAMES[op];
  }
}

bool fpvm_mips64_syscall_supported(uint64_t nr) {
  static const uint16_t table[] = {
      5000, 5001, 5002, 5009, 5012, 5023, 5034, 5038, 5055, 5058, 5070, 5178, 5194, 5205, 5222, 5284, 5313,
      /* accepted as no-ops */
      5003, 5004, 5005, 5008, 5010, 5011, 5013, 5014, 5015, 5016, 5026, 5027, 5036, 5061, 5087, 5095,
      5100, 5102, 5129, 5196, 5208, 5216, 5217, 5220, 5225, 5247, 5257, 5272, 5285, 5287, 5297};
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (table[i] == nr) return true;
  return false;
}

static bool is_branch_or_jump(uint32_t w) {
  unsigned op = w >> 26, funct = w & 0x3F;
  if (op == 0x00) return funct == 0x08 || funct == 0x09;                 /* jr jalr */
  return op == 0x01 || (op >= 0x02 && op <= 0x07) || (op >= 0x14 && op <= 0x17);
}

/* Might w write register r? (Conservative: true for anything that names r as a destination.) */
static bool writes(uint32_t w, unsigned r) {
  unsigned op = w >> 26, rt = (w >> 16) & 31, rd = (w >> 11) & 31;
  if (op == 0x00 || op == 0x1C || op == 0x1F) return rd == r || (op == 0x00 && (w & 0x3F) == 0x0C);
  if (op == 0x03 || op == 0x01) return r == 31;
  if ((op >= 0x08 && op <= 0x0F) || op == 0x18 || op == 0x19 || op == 0x1A || op == 0x1B) return rt == r;
  if (op >= 0x20 && op <= 0x27) return rt == r;
  if (op == 0x30 || op == 0x34 || op == 0x37 || op == 0x38 || op == 0x3C) return rt == r;
  return op >= 0x10 && op <= 0x13 && rt == r; /* coprocessor moves: be safe */
}

bool fpvm_mips64_syscall_number(const uint32_t *words, size_t i, uint64_t *nr) {
  for (size_t k = 1; k <= 32 && k <= i; k++) {
    uint32_t w = words[i - k];
    unsigned op = w >> 26, rs = (w >> 21) & 31, rt = (w >> 16) & 31;
    /* A branch right before the syscall would put it in a delay slot; any branch further back ends the
     * straight-line run we can reason about. */
    if (is_branch_or_jump(w)) return false;
    if ((op == 0x09 || op == 0x19 || op == 0x08 || op == 0x18) && rt == 2) { /* (d)addi(u) $v0, rs, imm */
      if (rs != 0) return false;
      *nr = (uint64_t)(int64_t)(int16_t)(w & 0xFFFF);
      return true;
    }
    if (op == 0x0D && rt == 2) { /* ori $v0, rs, imm */
      if (rs != 0) return false;
      *nr = w & 0xFFFF;
      return true;
    }
    if (writes(w, 2)) return false;
  }
  return false;
}
