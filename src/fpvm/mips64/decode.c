/* Instruction classification (cannon.md §4.3) and the per-page decode cache. */
#include <stdlib.h>

#include "fpvm/mips64/engine.h"

static uint8_t decode_special(uint32_t fn) {
  switch (fn) {
    case 0x00: return K_SLL;
    case 0x02: return K_SRL; /* the rotate bit is not decoded: rotr runs as srl */
    case 0x03: return K_SRA;
    case 0x04: return K_SLLV;
    case 0x06: return K_SRLV;
    case 0x07: return K_SRAV;
    case 0x08: return K_JR;
    case 0x09: return K_JALR;
    case 0x0A: return K_MOVZ;
    case 0x0B: return K_MOVN;
    case 0x0C: return K_SYSCALL;
    case 0x0F: return K_SYNC;
    case 0x10: return K_MFHI;
    case 0x11: return K_MTHI;
    case 0x12: return K_MFLO;
    case 0x13: return K_MTLO;
    case 0x14: return K_DSLLV;
    case 0x16: return K_DSRLV;
    case 0x17: return K_DSRAV;
    case 0x18: return K_MULT;
    case 0x19: return K_MULTU;
    case 0x1A: return K_DIV;
    case 0x1B: return K_DIVU;
    case 0x1C: return K_DMULT;
    case 0x1D: return K_DMULTU;
    case 0x1E: return K_DDIV;
    case 0x1F: return K_DDIVU;
    case 0x20: case 0x21: return K_ADD; /* add, addu: no overflow trap */
    case 0x22: case 0x23: return K_SUB; /* sub, subu */
    case 0x24: return K_AND;
    case 0x25: return K_OR;
    case 0x26: return K_XOR;
    case 0x27: return K_NOR;
    case 0x2A: return K_SLT;
    case 0x2B: return K_SLTU;
    case 0x2C: case 0x2D: return K_DADD; /* dadd, daddu */
    case 0x2E: case 0x2F: return K_DSUB; /* dsub, dsubu */
    case 0x38: return K_DSLL;
    case 0x3A: return K_DSRL;
    case 0x3B: return K_DSRA;
    case 0x3C: return K_DSLL32;
    case 0x3E: return K_DSRL32;
    case 0x3F: return K_DSRA32;
    default: return K_INVALID;
  }
}

static uint8_t decode_regimm(uint32_t rt) {
  switch (rt) {
    case 0x00: return K_BLTZ;
    case 0x01: return K_BGEZ;
    case 0x10: return K_BLTZAL;
    case 0x11: return K_BGEZAL;
    default: return K_BNEVER; /* Cannon: unknown REGIMM rt is a branch that is never taken */
  }
}

static uint8_t decode_special2(uint32_t fn) {
  switch (fn) {
    case 0x02: return K_MUL;
    case 0x20: return K_CLZ;
    case 0x21: return K_CLO;
    case 0x24: return K_DCLZ;
    case 0x25: return K_DCLO;
    default: return K_INVALID;
  }
}

uint8_t eng_decode(uint32_t insn) {
  uint32_t op = insn >> 26;
  switch (op) {
    case 0x00: return decode_special(insn & 0x3F);
    case 0x01: return decode_regimm((insn >> 16) & 0x1F);
    case 0x02: return K_J;
    case 0x03: return K_JAL;
    case 0x04: return K_BEQ;
    case 0x05: return K_BNE;
    case 0x06: return K_BLEZ;
    case 0x07: return K_BGTZ;
    case 0x08: case 0x09: return K_ADDI; /* addi, addiu */
    case 0x0A: return K_SLTI;
    case 0x0B: return K_SLTIU;
    case 0x0C: return K_ANDI;
    case 0x0D: return K_ORI;
    case 0x0E: return K_XORI;
    case 0x0F: return K_LUI;
    case 0x18: case 0x19: return K_DADDI; /* daddi, daddiu */
    case 0x1A: return K_LDL;
    case 0x1B: return K_LDR;
    case 0x1C: return decode_special2(insn & 0x3F);
    case 0x20: return K_LB;
    case 0x21: return K_LH;
    case 0x22: return K_LWL;
    case 0x23: return K_LW;
    case 0x24: return K_LBU;
    case 0x25: return K_LHU;
    case 0x26: return K_LWR;
    case 0x27: return K_LWU;
    case 0x28: return K_SB;
    case 0x29: return K_SH;
    case 0x2A: return K_SWL;
    case 0x2B: return K_SW;
    case 0x2C: return K_SDL;
    case 0x2D: return K_SDR;
    case 0x2E: return K_SWR;
    case 0x30: return K_LL;
    case 0x34: return K_LLD;
    case 0x37: return K_LD;
    case 0x38: return K_SC;
    case 0x3C: return K_SCD;
    case 0x3F: return K_SD;
    default: return op >= 0x20 ? K_BADMEM : K_INVALID;
  }
}

void eng_icache_free(void *p) { free(p); }

static int flush_page(void *ctx, const fpvm_page *p) {
  (void)ctx;
  fpvm_page *w = (fpvm_page *)(uintptr_t)p; /* the cache pointer is ours to drop */
  if (w->isa_cache) {
    eng_icache_free(w->isa_cache);
    w->isa_cache = NULL;
  }
  return 0;
}

void eng_icache_flush(fpvm_mips64_vm *vm) { (void)fpvm_mem_foreach_page(vm->mem, flush_page, NULL); }
