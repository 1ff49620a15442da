/* Instruction semantics as MIPS64Instructions.sol computes them, in the same order: jumps are
 * decided before register fetch, branches before the memory fetch, the data word is read (and its
 * proof checked) before the ALU can reject an unknown opcode, and the SPECIAL jr/jalr/movz/movn and
 * HI/LO functs are resolved after the ALU. Where the EVM defines what C leaves undefined (shifts by
 * the full width, INT_MIN / -1) the helpers spell the EVM result out. */
#include "vm.h"

#define U32 0xFFFFFFFFull

uint64_t vm_sign_extend(uint64_t v, unsigned bits) {
  if (bits >= 64) return v;
  uint64_t mask = (1ull << bits) - 1;
  uint64_t hi = ((v >> (bits - 1)) & 1) ? ~mask : 0;
  return (v & mask) | hi;
}

static uint64_t sext16(uint32_t insn) { return vm_sign_extend(insn & 0xFFFF, 16); }

/* Mask and bit offset of the len-byte sub-word holding vaddr inside its aligned 8-byte word. */
static void subword(uint64_t vaddr, unsigned len, uint64_t *mask, unsigned *shift) {
  *mask = len >= 8 ? ~0ull : (1ull << (8 * len)) - 1;
  unsigned idx = (unsigned)(vaddr & 7 & ~(uint64_t)(len - 1));
  *shift = (8 - len - idx) * 8;
}

uint64_t vm_select_subword(uint64_t vaddr, uint64_t word, unsigned len, bool sign_extend) {
  uint64_t mask;
  unsigned shift;
  subword(vaddr, len, &mask, &shift);
  uint64_t v = (word >> shift) & mask;
  return sign_extend ? vm_sign_extend(v, 8 * len) : v;
}

uint64_t vm_update_subword(uint64_t vaddr, uint64_t word, unsigned len, uint64_t value) {
  uint64_t mask;
  unsigned shift;
  subword(vaddr, len, &mask, &shift);
  return ((value & mask) << shift) | (word & ~(mask << shift));
}

void vm_mem_updated(vm_ctx *c, uint64_t addr) {
  if (addr == (c->st.ll_address & ~7ull)) {
    c->st.ll_status = 0;
    c->st.ll_address = 0;
    c->st.ll_owner = 0;
  }
}

int vm_fetch(vm_ctx *c, uint32_t *insn) {
  uint64_t pc = c->th.pc;
  if (pc & 3) return vm_revert(c, "InvalidPC()");
  uint64_t word;
  int rc = vm_mem_read(c, c->st.mem_root, pc & ~7ull, 0, &word);
  if (rc) return rc;
  *insn = (uint32_t)vm_select_subword(pc, word, 4, false);
  return FPK_OK;
}

static void set_reg(vm_thread *t, unsigned r, uint64_t v) {
  if (r != 0) t->regs[r] = v;
}

static int do_jump(vm_ctx *c, unsigned link, uint64_t dest) {
  vm_thread *t = &c->th;
  if (t->next_pc != t->pc + 4) return vm_revert(c, "MIPS64: jump in delay slot");
  uint64_t prev = t->pc;
  t->pc = t->next_pc;
  t->next_pc = dest;
  set_reg(t, link, prev + 8);
  return FPK_OK;
}

static int do_branch(vm_ctx *c, uint32_t op, uint32_t insn, uint64_t rs) {
  vm_thread *t = &c->th;
  if (t->next_pc != t->pc + 4) return vm_revert(c, "MIPS64: branch in delay slot");
  int64_t s = (int64_t)rs;
  bool take = false;
  switch (op) {
  case 4: take = rs == t->regs[(insn >> 16) & 31]; break; /* beq */
  case 5: take = rs != t->regs[(insn >> 16) & 31]; break; /* bne */
  case 6: take = s <= 0; break;                           /* blez */
  case 7: take = s > 0; break;                            /* bgtz */
  default: {                                              /* REGIMM: unknown rt = never taken */
    uint32_t rt = (insn >> 16) & 31;
    if (rt == 0x00 || rt == 0x10) take = s < 0;  /* bltz, bltzal */
    if (rt == 0x01 || rt == 0x11) take = s >= 0; /* bgez, bgezal */
    if (rt == 0x10 || rt == 0x11) t->regs[31] = t->pc + 8;
  }
  }
  uint64_t prev = t->pc;
  t->pc = t->next_pc;
  t->next_pc = take ? prev + 4 + (sext16(insn) << 2) : t->next_pc + 4;
  return FPK_OK;
}

static uint64_t sra32(uint64_t rt, unsigned sa) { return vm_sign_extend((rt & U32) >> sa, 32 - sa); }
static uint64_t se32(uint64_t v) { return vm_sign_extend(v & U32, 32); }

/* Leading one bits of v counted from bit 63, at most width of them (clo/dclo; clz/dclz pass ~v;
 * the 32-bit forms pass the low word moved to the top). */
static uint64_t lead_ones(uint64_t v, unsigned width) {
  uint64_t n = 0;
  while (n < width && (v >> 63)) {
    n++;
    v <<= 1;
  }
  return n;
}

/* SPECIAL and the immediate ALU ops (already mapped to their SPECIAL funct). */
static int alu_special(vm_ctx *c, uint32_t insn, uint32_t fun, uint64_t rs, uint64_t rt, uint64_t *out) {
  unsigned sa = (insn >> 6) & 31;
  switch (fun) {
  case 0x00: *out = se32(rt << sa); return FPK_OK;              /* sll */
  case 0x02: *out = se32((rt & U32) >> sa); return FPK_OK;      /* srl */
  case 0x03: *out = sra32(rt, sa); return FPK_OK;               /* sra */
  case 0x04: *out = se32(rt << (rs & 31)); return FPK_OK;       /* sllv */
  case 0x06: *out = se32((rt & U32) >> (rs & 31)); return FPK_OK; /* srlv */
  case 0x07: *out = sra32(rt, (unsigned)(rs & 31)); return FPK_OK; /* srav */
  /* jr jalr movz movn syscall sync mfhi mthi mflo mtlo: value = rs, resolved by the caller */
  case 0x08: case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0F:
  case 0x10: case 0x11: case 0x12: case 0x13:
  /* mult multu div divu dmult dmultu ddiv ddivu */
  case 0x18: case 0x19: case 0x1A: case 0x1B: case 0x1C: case 0x1D: case 0x1E: case 0x1F:
    *out = rs;
    return FPK_OK;
  case 0x14: case 0x16: case 0x17: *out = rt; return FPK_OK; /* dsllv dsrlv dsrav */
  case 0x20: case 0x21: *out = se32((rs + rt) & U32); return FPK_OK; /* add addu */
  case 0x22: case 0x23: *out = se32((rs - rt) & U32); return FPK_OK; /* sub subu */
  case 0x24: *out = rs & rt; return FPK_OK;                     /* and */
  case 0x25: *out = rs | rt; return FPK_OK;                     /* or */
  case 0x26: *out = rs ^ rt; return FPK_OK;                     /* xor */
  case 0x27: *out = ~(rs | rt); return FPK_OK;                  /* nor */
  case 0x2A: *out = (int64_t)rs < (int64_t)rt; return FPK_OK;   /* slt */
  case 0x2B: *out = rs < rt; return FPK_OK;                     /* sltu */
  case 0x2C: case 0x2D: *out = rs + rt; return FPK_OK;          /* dadd daddu */
  case 0x2E: case 0x2F: *out = rs - rt; return FPK_OK;          /* dsub dsubu */
  case 0x38: *out = rt << sa; return FPK_OK;                    /* dsll */
  case 0x3A: *out = rt >> sa; return FPK_OK;                    /* dsrl */
  case 0x3B: *out = (uint64_t)((int64_t)rt >> sa); return FPK_OK; /* dsra */
  case 0x3C: *out = rt << (sa + 32); return FPK_OK;             /* dsll32 */
  case 0x3E: *out = rt >> (sa + 32); return FPK_OK;             /* dsrl32 */
  case 0x3F: *out = (uint64_t)((int64_t)rt >> (sa + 32)); return FPK_OK; /* dsra32 */
  default: return vm_revert(c, "MIPS64: invalid instruction");
  }
}

static uint64_t lwl(uint64_t vaddr, uint64_t rt, uint64_t mem) {
  uint32_t w = (uint32_t)vm_select_subword(vaddr, mem, 4, false);
  unsigned s = (unsigned)(vaddr & 3) * 8;
  uint32_t val = w << s;
  uint64_t mask = (uint32_t)(0xFFFFFFFFu << s);
  return se32((rt & ~mask) | val);
}

static uint64_t lwr(uint64_t vaddr, uint64_t rt, uint64_t mem) {
  uint32_t w = (uint32_t)vm_select_subword(vaddr, mem, 4, false);
  unsigned s = 24 - (unsigned)(vaddr & 3) * 8;
  uint32_t val = w >> s;
  uint32_t mask = 0xFFFFFFFFu >> s;
  uint64_t r = ((uint32_t)rt & ~mask) | val;
  /* bit 31 came from memory only when all four bytes were loaded; otherwise rt's upper half stays */
  if ((vaddr & 3) == 3) return se32(r);
  return (rt & 0xFFFFFFFF00000000ull) | r;
}

static uint64_t swl(uint64_t vaddr, uint64_t rt, uint64_t mem) {
  unsigned sr = (unsigned)(vaddr & 3) * 8;
  unsigned sl = 32 - (unsigned)(vaddr & 4) * 8;
  uint64_t val = ((rt & U32) >> sr) << sl;
  uint64_t mask = (U32 >> sr) << sl;
  return (mem & ~mask) | val;
}

static uint64_t swr(uint64_t vaddr, uint64_t rt, uint64_t mem) {
  uint32_t w = (uint32_t)vm_select_subword(vaddr, mem, 4, false);
  unsigned s = 24 - (unsigned)(vaddr & 3) * 8;
  uint64_t val = rt << s;
  uint64_t mask = (uint32_t)(0xFFFFFFFFu << s);
  uint64_t r = (w & ~mask) | (uint32_t)val;
  return vm_update_subword(vaddr, mem, 4, r);
}

static uint64_t ldl(uint64_t vaddr, uint64_t rt, uint64_t mem) {
  unsigned sl = (unsigned)(vaddr & 7) * 8;
  uint64_t mask = ~0ull << sl;
  return (mem << sl) | (rt & ~mask);
}

static uint64_t ldr(uint64_t vaddr, uint64_t rt, uint64_t mem) {
  unsigned sr = 56 - (unsigned)(vaddr & 7) * 8;
  uint64_t mask = sr == 0 ? 0 : ~0ull << (64 - sr); /* EVM: a shift by 64 leaves 0 */
  return (mem >> sr) | (rt & mask);
}

static uint64_t sdl(uint64_t vaddr, uint64_t rt, uint64_t mem) {
  unsigned sr = (unsigned)(vaddr & 7) * 8;
  uint64_t mask = ~0ull >> sr;
  return (rt >> sr) | (mem & ~mask);
}

static uint64_t sdr(uint64_t vaddr, uint64_t rt, uint64_t mem) {
  unsigned sl = 56 - (unsigned)(vaddr & 7) * 8;
  uint64_t mask = ~0ull << sl;
  return (rt << sl) | (mem & ~mask);
}

/* Non-SPECIAL opcodes: SPECIAL2, lui, loads and stores (rs already holds the virtual address). */
static int alu_other(vm_ctx *c, uint32_t op, uint32_t fun, uint64_t rs, uint64_t rt, uint64_t mem,
                     uint64_t *out) {
  switch (op) {
  case 0x1C: /* SPECIAL2 */
    switch (fun) {
    case 0x02: *out = se32((uint64_t)((uint32_t)rs * (uint32_t)rt)); return FPK_OK; /* mul */
    case 0x20: *out = lead_ones((~rs) << 32, 32); return FPK_OK; /* clz */
    case 0x21: *out = lead_ones(rs << 32, 32); return FPK_OK;    /* clo */
    case 0x24: *out = lead_ones(~rs, 64); return FPK_OK;         /* dclz */
    case 0x25: *out = lead_ones(rs, 64); return FPK_OK;          /* dclo */
    default: return vm_revert(c, "MIPS64: invalid instruction");
    }
  case 0x0F: *out = se32(rt << 16); return FPK_OK;                    /* lui */
  case 0x20: *out = vm_select_subword(rs, mem, 1, true); return FPK_OK;  /* lb */
  case 0x21: *out = vm_select_subword(rs, mem, 2, true); return FPK_OK;  /* lh */
  case 0x22: *out = lwl(rs, rt, mem); return FPK_OK;                     /* lwl */
  case 0x23: *out = vm_select_subword(rs, mem, 4, true); return FPK_OK;  /* lw */
  case 0x24: *out = vm_select_subword(rs, mem, 1, false); return FPK_OK; /* lbu */
  case 0x25: *out = vm_select_subword(rs, mem, 2, false); return FPK_OK; /* lhu */
  case 0x26: *out = lwr(rs, rt, mem); return FPK_OK;                     /* lwr */
  case 0x28: *out = vm_update_subword(rs, mem, 1, rt); return FPK_OK;    /* sb */
  case 0x29: *out = vm_update_subword(rs, mem, 2, rt); return FPK_OK;    /* sh */
  case 0x2A: *out = swl(rs, rt, mem); return FPK_OK;                     /* swl */
  case 0x2B: *out = vm_update_subword(rs, mem, 4, rt); return FPK_OK;    /* sw */
  case 0x2E: *out = swr(rs, rt, mem); return FPK_OK;                     /* swr */
  case 0x1A: *out = ldl(rs, rt, mem); return FPK_OK;                     /* ldl */
  case 0x1B: *out = ldr(rs, rt, mem); return FPK_OK;                     /* ldr */
  case 0x27: *out = (mem >> (32 - (rs & 4) * 8)) & U32; return FPK_OK;   /* lwu */
  case 0x2C: *out = sdl(rs, rt, mem); return FPK_OK;                     /* sdl */
  case 0x2D: *out = sdr(rs, rt, mem); return FPK_OK;                     /* sdr */
  case 0x37: *out = mem; return FPK_OK;                                  /* ld */
  case 0x3F: *out = rt; return FPK_OK;                                   /* sd */
  default: return vm_revert(c, "MIPS64: invalid instruction");
  }
}

/* HI/LO group and the variable doubleword shifts (SPECIAL functs 0x10..0x1F). */
static int hilo(vm_ctx *c, uint32_t fun, uint64_t rs, uint64_t rt, unsigned rd) {
  vm_thread *t = &c->th;
  uint64_t val = 0;
  switch (fun) {
  case 0x10: val = t->hi; break; /* mfhi */
  case 0x11: t->hi = rs; break;  /* mthi */
  case 0x12: val = t->lo; break; /* mflo */
  case 0x13: t->lo = rs; break;  /* mtlo */
  case 0x18: {                   /* mult */
    uint64_t p = (uint64_t)((int64_t)(int32_t)(uint32_t)rs * (int64_t)(int32_t)(uint32_t)rt);
    t->hi = se32(p >> 32);
    t->lo = se32(p);
    break;
  }
  case 0x19: { /* multu */
    uint64_t p = (rs & U32) * (rt & U32);
    t->hi = se32(p >> 32);
    t->lo = se32(p);
    break;
  }
  case 0x1A: { /* div */
    int32_t a = (int32_t)(uint32_t)rs, b = (int32_t)(uint32_t)rt;
    if (b == 0) return vm_revert(c, "MIPS64: division by zero");
    if (a == INT32_MIN && b == -1) { /* EVM wraps: quotient = dividend, remainder 0 */
      t->hi = 0;
      t->lo = se32((uint32_t)a);
    } else {
      t->hi = se32((uint32_t)(a % b));
      t->lo = se32((uint32_t)(a / b));
    }
    break;
  }
  case 0x1B: { /* divu */
    uint32_t a = (uint32_t)rs, b = (uint32_t)rt;
    if (b == 0) return vm_revert(c, "MIPS64: division by zero");
    t->hi = se32(a % b);
    t->lo = se32(a / b);
    break;
  }
  case 0x14: val = rt << (rs & 63); break;                       /* dsllv */
  case 0x16: val = rt >> (rs & 63); break;                       /* dsrlv */
  case 0x17: val = (uint64_t)((int64_t)rt >> (rs & 63)); break;  /* dsrav */
  case 0x1C: {                                                   /* dmult */
    __int128 p = (__int128)(int64_t)rs * (__int128)(int64_t)rt;
    t->hi = (uint64_t)((unsigned __int128)p >> 64);
    t->lo = (uint64_t)p;
    break;
  }
  case 0x1D: { /* dmultu */
    unsigned __int128 p = (unsigned __int128)rs * rt;
    t->hi = (uint64_t)(p >> 64);
    t->lo = (uint64_t)p;
    break;
  }
  case 0x1E: { /* ddiv */
    int64_t a = (int64_t)rs, b = (int64_t)rt;
    if (b == 0) return vm_revert(c, "MIPS64: division by zero");
    if (a == INT64_MIN && b == -1) {
      t->hi = 0;
      t->lo = rs;
    } else {
      t->hi = (uint64_t)(a % b);
      t->lo = (uint64_t)(a / b);
    }
    break;
  }
  case 0x1F: /* ddivu */
    if (rt == 0) return vm_revert(c, "MIPS64: division by zero");
    t->hi = rs % rt;
    t->lo = rs / rt;
    break;
  default: break; /* 0x15 never gets here: the ALU rejected it */
  }
  set_reg(t, rd, val);
  vm_advance_pc(t);
  return FPK_OK;
}

int vm_exec_core(vm_ctx *c, uint32_t insn) {
  vm_thread *t = &c->th;
  uint32_t op = insn >> 26, fun = insn & 0x3F;

  if (op == 2 || op == 3) { /* j, jal */
    uint64_t target = (t->next_pc & 0xFFFFFFFFF0000000ull) | ((uint64_t)(insn & 0x03FFFFFF) << 2);
    return do_jump(c, op == 2 ? 0 : 31, target);
  }

  unsigned rt_reg = (insn >> 16) & 31, rd = rt_reg;
  uint64_t rs = t->regs[(insn >> 21) & 31], rt = 0;
  if (op == 0x27 || op == 0x1A || op == 0x1B) { /* lwu ldl ldr read rt */
    rt = t->regs[rt_reg];
  } else if (op == 0 || op == 0x1C) { /* R-type writes rd */
    rt = t->regs[rt_reg];
    rd = (insn >> 11) & 31;
  } else if (op < 0x20) { /* immediate */
    rt = (op == 0x0C || op == 0x0D || op == 0x0E) ? (insn & 0xFFFF) : sext16(insn);
  } else if (op >= 0x28 || op == 0x22 || op == 0x26) { /* stores, lwl, lwr merge with rt */
    rt = t->regs[rt_reg];
  }

  if (op == 1 || (op >= 4 && op < 8)) return do_branch(c, op, insn, rs);

  bool store = false;
  uint64_t store_addr = 0, mem = 0;
  if (op >= 0x20 || op == 0x1A || op == 0x1B) {
    rs += sext16(insn);
    uint64_t addr = rs & ~7ull;
    int rc = vm_mem_read(c, c->st.mem_root, addr, 1, &mem);
    if (rc) return rc;
    if (op >= 0x28 && op != 0x37) {
      store = true;
      store_addr = addr;
      rd = 0;
    }
  }

  uint64_t val = 0;
  int rc;
  if (op == 0 || (op >= 8 && op < 0x0F) || op == 0x18 || op == 0x19) {
    static const uint8_t imm_fun[0x1A] = {[0x08] = 0x20, [0x09] = 0x21, [0x0A] = 0x2A, [0x0B] = 0x2B,
                                          [0x0C] = 0x24, [0x0D] = 0x25, [0x0E] = 0x26, [0x18] = 0x2C,
                                          [0x19] = 0x2D};
    rc = alu_special(c, insn, op == 0 ? fun : imm_fun[op], rs, rt, &val);
  } else {
    rc = alu_other(c, op, fun, rs, rt, mem, &val);
  }
  if (rc) return rc;

  if (op == 0 && fun >= 0x08 && fun < 0x20) {
    if (fun == 0x08 || fun == 0x09) return do_jump(c, fun == 0x08 ? 0 : rd, rs); /* jr, jalr */
    if (fun == 0x0A || fun == 0x0B) {                                           /* movz, movn */
      if ((rt == 0) == (fun == 0x0A)) set_reg(t, rd, rs);
      vm_advance_pc(t);
      return FPK_OK;
    }
    if (fun >= 0x10) return hilo(c, fun, rs, rt, rd);
    /* sync (0x0F) falls through: rd = rs */
  }

  if (store) {
    rc = vm_mem_write(c, store_addr, 1, val, c->st.mem_root);
    if (rc) return rc;
    vm_mem_updated(c, store_addr);
  }
  set_reg(t, rd, val);
  vm_advance_pc(t);
  return FPK_OK;
}

int vm_exec_rmw(vm_ctx *c, uint32_t insn) {
  vm_thread *t = &c->th;
  uint32_t op = insn >> 26;
  uint64_t addr = t->regs[(insn >> 21) & 31] + sext16(insn);
  unsigned rt_reg = (insn >> 16) & 31;
  bool wide = op == 0x34 || op == 0x3C; /* lld, scd */
  uint8_t status = wide ? 2 : 1;
  unsigned len = wide ? 8 : 4;
  uint64_t ret = 0;
  int rc;

  if (op == 0x30 || op == 0x34) { /* ll, lld */
    uint64_t word;
    rc = vm_mem_read(c, c->st.mem_root, addr & ~7ull, 1, &word);
    if (rc) return rc;
    ret = vm_select_subword(addr, word, len, true);
    c->st.ll_status = status;
    c->st.ll_address = addr;
    c->st.ll_owner = t->id;
  } else if (op == 0x38 || op == 0x3C) { /* sc, scd */
    if (c->st.ll_status == status && c->st.ll_owner == t->id && c->st.ll_address == addr) {
      c->st.ll_status = 0;
      c->st.ll_address = 0;
      c->st.ll_owner = 0;
      uint64_t word;
      rc = vm_mem_read(c, c->st.mem_root, addr & ~7ull, 1, &word);
      if (rc) return rc;
      rc = vm_mem_write(c, addr & ~7ull, 1, vm_update_subword(addr, word, len, t->regs[rt_reg]), c->st.mem_root);
      if (rc) return rc;
      ret = 1;
    }
  } else {
    return vm_revert(c, "InvalidRMWInstruction()");
  }
  set_reg(t, rt_reg, ret);
  vm_advance_pc(t);
  return FPK_OK;
}
