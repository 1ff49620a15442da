/* The step algorithm (cannon.md §4.1) and the run loop. One function, step_once(), does a step in
 * both modes; proof mode only differs in vm->proving, which makes eng_track() record slot proofs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpvm/mips64/engine.h"
#include "fpvm/mips64/exec.h"

int eng_panic(fpvm_mips64_vm *vm, const char *fmt, ...) {
  if (!vm->panic[0]) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(vm->panic, sizeof vm->panic, fmt, ap);
    va_end(ap);
  }
  return FPK_EPANIC;
}

static FPK_NOINLINE eng_icache *icache_new(fpvm_page *pg) {
  eng_icache *ic = calloc(1, sizeof *ic);
  if (!ic) return NULL;
  pg->isa_cache = ic;
  return ic;
}

/* Fetch and classify the instruction at pc (pc is 4-aligned). */
static inline uint32_t fetch(fpvm_mips64_vm *vm, uint64_t pc, uint8_t *kind) {
  fpvm_page *pg = fpvm_mem_rpage(vm->mem, pc >> FPVM_PAGE_SHIFT);
  if (FPK_UNLIKELY(!pg)) { /* never-written page: the word is 0 = sll $0,$0,0 */
    *kind = K_SLL;
    return 0;
  }
  eng_icache *ic = pg->isa_cache;
  if (FPK_UNLIKELY(!ic)) {
    ic = icache_new(pg);
    if (!ic) { /* no memory for the cache: decode uncached */
      uint32_t insn = fpk_be32(pg->data + (pc & (FPVM_PAGE_SIZE - 4)));
      *kind = eng_decode(insn);
      return insn;
    }
  }
  eng_dinsn *d = &ic->slot[(pc & (FPVM_PAGE_SIZE - 1)) >> 2];
  if (FPK_UNLIKELY(!d->kind)) {
    d->insn = fpk_be32(pg->data + (pc & (FPVM_PAGE_SIZE - 4)));
    d->kind = eng_decode(d->insn);
    vm->stats.icache_miss_count++;
    if (pc > vm->stats.highest_icache_miss_pc) vm->stats.highest_icache_miss_pc = pc;
  }
  *kind = d->kind;
  return d->insn;
}

static inline void advance(fpvm_mips64_thread *t) {
  t->pc = t->next_pc;
  t->next_pc += 4;
}
static inline void set_reg(fpvm_mips64_thread *t, unsigned r, uint64_t v) {
  if (r) t->regs[r] = v;
}

/* Stats: steps between a thread's ll and its next sc (Cannon keeps the last few threads' ll steps). */
static void ll_step_remember(fpvm_mips64_vm *vm, uint64_t tid, uint64_t step) {
  for (unsigned i = 0; i < 5; i++)
    if (vm->ll_steps[i].used && vm->ll_steps[i].tid == tid) {
      vm->ll_steps[i].step = step;
      return;
    }
  unsigned i = vm->ll_next++ % 5;
  vm->ll_steps[i].tid = tid;
  vm->ll_steps[i].step = step;
  vm->ll_steps[i].used = true;
}
static void ll_step_complete(fpvm_mips64_vm *vm, uint64_t tid, uint64_t step) {
  for (unsigned i = 0; i < 5; i++)
    if (vm->ll_steps[i].used && vm->ll_steps[i].tid == tid) {
      uint64_t d = step - vm->ll_steps[i].step;
      if (d > vm->stats.max_steps_between_ll_and_sc) vm->stats.max_steps_between_ll_and_sc = d;
      vm->ll_steps[i].used = false;
    }
}

/* ll/lld/sc/scd (cannon.md §4.6). A failed sc touches no memory (no slot-1 proof), as in Cannon. */
static FPK_NOINLINE void exec_rmw(fpvm_mips64_vm *vm, fpvm_mips64_thread *t, uint32_t insn, uint8_t kind) {
  fpvm_mips64_state *s = vm->s;
  uint64_t vaddr = t->regs[(insn >> 21) & 31] + ex_simm(insn);
  unsigned rt = (insn >> 16) & 31;
  uint64_t ret;
  if (kind == K_LL || kind == K_LLD) {
    eng_track(vm, vaddr);
    uint64_t mem = eng_load64(vm, vaddr);
    ret = kind == K_LL ? ex_se32(ex_select(vaddr, mem, 4)) : mem;
    s->ll_status = kind == K_LL ? 1 : 2;
    s->ll_address = vaddr;
    s->ll_owner = t->id;
    ll_step_remember(vm, t->id, s->step);
  } else {
    uint8_t want = kind == K_SC ? 1 : 2;
    if (s->ll_status == want && s->ll_owner == t->id && s->ll_address == vaddr) {
      ll_step_complete(vm, t->id, s->step);
      s->ll_status = 0;
      s->ll_address = 0;
      s->ll_owner = 0;
      uint64_t v = t->regs[rt];
      eng_track(vm, vaddr);
      uint64_t mem = eng_load64(vm, vaddr);
      eng_store64(vm, vaddr, kind == K_SC ? ex_update(vaddr, mem, 4, v) : v);
      vm->stats.rmw_success_count++;
      ret = 1;
    } else {
      ll_step_complete(vm, t->id, s->step);
      vm->stats.rmw_fail_count++;
      ret = 0;
    }
  }
  set_reg(t, rt, ret);
  advance(t);
}

/* pc/nextPC of the running thread, kept in registers by the run loop. */
typedef struct {
  uint64_t pc, npc;
} eng_pcs;

/* Branch/jump delay-slot rule: only a straight-line nextPC is allowed (cannon.md §4.5). */
#define DELAY_CHECK(msg)                                                              \
  do {                                                                                \
    if (FPK_UNLIKELY(c->npc != c->pc + 4)) return eng_panic(vm, "%s", msg);       \
  } while (0)

static inline int branch(fpvm_mips64_vm *vm, eng_pcs *c, uint32_t insn, bool taken) {
  DELAY_CHECK("branch in delay slot");
  uint64_t pc = c->pc;
  c->pc = c->npc;
  c->npc = taken ? pc + 4 + (ex_simm(insn) << 2) : c->npc + 4;
  return FPK_OK;
}
static inline int jump(fpvm_mips64_vm *vm, eng_pcs *c, fpvm_mips64_thread *t, unsigned link, uint64_t target) {
  DELAY_CHECK("jump in delay slot");
  uint64_t pc = c->pc;
  c->pc = c->npc;
  c->npc = target;
  set_reg(t, link, pc + 8);
  return FPK_OK;
}

/* Everything that is not a syscall or an RMW op (cannon.md §4.2–4.5). */
static inline __attribute__((always_inline)) int exec_core(fpvm_mips64_vm *vm, fpvm_mips64_thread *t, eng_pcs *c, uint32_t insn, uint8_t kind) {
  uint64_t *R = t->regs;
  uint64_t rs = R[(insn >> 21) & 31];
  unsigned rtr = (insn >> 16) & 31, rdr = (insn >> 11) & 31, sa = (insn >> 6) & 31;
  uint64_t rt = R[rtr];
  uint64_t imm = ex_simm(insn);
  uint64_t uimm = insn & 0xFFFF;
  uint64_t v, hi, lo;
  switch (kind) {
    /* ---- SPECIAL: dest rd */
    case K_SLL: v = ex_sll32(rt, sa); goto wr_rd; /* sll */
    case K_SRL: v = ex_srl32(rt, sa); goto wr_rd; /* srl */
    case K_SRA: v = ex_sra32(rt, sa); goto wr_rd; /* sra */
    case K_SLLV: v = ex_sll32(rt, (unsigned)rs & 31); goto wr_rd; /* sllv */
    case K_SRLV: v = ex_srl32(rt, (unsigned)rs & 31); goto wr_rd; /* srlv */
    case K_SRAV: v = ex_sra32(rt, (unsigned)rs & 31); goto wr_rd; /* srav */
    case K_JR: return jump(vm, c, t, 0, rs); /* jr */
    case K_JALR: return jump(vm, c, t, rdr, rs); /* jalr */
    case K_MOVZ: if (rt == 0) set_reg(t, rdr, rs); goto next; /* movz */
    case K_MOVN: if (rt != 0) set_reg(t, rdr, rs); goto next; /* movn */
    case K_SYNC: v = rs; goto wr_rd; /* sync: Cannon writes rs to rd */
    case K_MFHI: v = t->hi; goto wr_rd; /* mfhi */
    case K_MTHI: t->hi = rs; v = 0; goto wr_rd; /* mthi (a non-zero rd field gets 0) */
    case K_MFLO: v = t->lo; goto wr_rd; /* mflo */
    case K_MTLO: t->lo = rs; v = 0; goto wr_rd; /* mtlo */
    case K_DSLLV: v = rt << (rs & 63); goto wr_rd; /* dsllv */
    case K_DSRLV: v = rt >> (rs & 63); goto wr_rd; /* dsrlv */
    case K_DSRAV: v = ex_sar(rt, (unsigned)rs & 63); goto wr_rd; /* dsrav */
    case K_MULT: ex_mult(rs, rt, &hi, &lo); goto wr_hilo; /* mult */
    case K_MULTU: ex_multu(rs, rt, &hi, &lo); goto wr_hilo; /* multu */
    case K_DIV: /* div */
      if (FPK_UNLIKELY((uint32_t)rt == 0)) return eng_panic(vm, "division by zero");
      ex_div32(rs, rt, &hi, &lo);
      goto wr_hilo;
    case K_DIVU: /* divu */
      if (FPK_UNLIKELY((uint32_t)rt == 0)) return eng_panic(vm, "division by zero");
      ex_divu32(rs, rt, &hi, &lo);
      goto wr_hilo;
    case K_DMULT: ex_dmult(rs, rt, &hi, &lo); goto wr_hilo; /* dmult */
    case K_DMULTU: ex_dmultu(rs, rt, &hi, &lo); goto wr_hilo; /* dmultu */
    case K_DDIV: /* ddiv */
      if (FPK_UNLIKELY(rt == 0)) return eng_panic(vm, "division by zero");
      ex_div64(rs, rt, &hi, &lo);
      goto wr_hilo;
    case K_DDIVU: /* ddivu */
      if (FPK_UNLIKELY(rt == 0)) return eng_panic(vm, "division by zero");
      ex_divu64(rs, rt, &hi, &lo);
      goto wr_hilo;
    case K_ADD: v = ex_se32(rs + rt); goto wr_rd; /* add, addu */
    case K_SUB: v = ex_se32(rs - rt); goto wr_rd; /* sub, subu */
    case K_AND: v = rs & rt; goto wr_rd; /* and */
    case K_OR: v = rs | rt; goto wr_rd; /* or */
    case K_XOR: v = rs ^ rt; goto wr_rd; /* xor */
    case K_NOR: v = ~(rs | rt); goto wr_rd; /* nor */
    case K_SLT: v = (int64_t)rs < (int64_t)rt; goto wr_rd; /* slt */
    case K_SLTU: v = rs < rt; goto wr_rd; /* sltu */
    case K_DADD: v = rs + rt; goto wr_rd; /* dadd, daddu */
    case K_DSUB: v = rs - rt; goto wr_rd; /* dsub, dsubu */
    case K_DSLL: v = rt << sa; goto wr_rd; /* dsll */
    case K_DSRL: v = rt >> sa; goto wr_rd; /* dsrl */
    case K_DSRA: v = ex_sar(rt, sa); goto wr_rd; /* dsra */
    case K_DSLL32: v = rt << (sa + 32); goto wr_rd; /* dsll32 */
    case K_DSRL32: v = rt >> (sa + 32); goto wr_rd; /* dsrl32 */
    case K_DSRA32: v = ex_sar(rt, sa + 32); goto wr_rd; /* dsra32 */
    /* ---- REGIMM */
    case K_BLTZ: return branch(vm, c, insn, (int64_t)rs < 0); /* bltz */
    case K_BGEZ: return branch(vm, c, insn, (int64_t)rs >= 0); /* bgez */
    case K_BLTZAL: /* bltzal: links whether or not taken */
      DELAY_CHECK("branch in delay slot");
      R[31] = c->pc + 8;
      return branch(vm, c, insn, (int64_t)rs < 0);
    case K_BGEZAL: /* bgezal */
      DELAY_CHECK("branch in delay slot");
      R[31] = c->pc + 8;
      return branch(vm, c, insn, (int64_t)rs >= 0);
    case K_BNEVER: return branch(vm, c, insn, false); /* unknown REGIMM rt */
    /* ---- primary */
    case K_J: return jump(vm, c, t, 0, (c->npc & 0xFFFFFFFFF0000000ull) | ((uint64_t)(insn & 0x03FFFFFF) << 2)); /* j */
    case K_JAL: return jump(vm, c, t, 31, (c->npc & 0xFFFFFFFFF0000000ull) | ((uint64_t)(insn & 0x03FFFFFF) << 2)); /* jal */
    case K_BEQ: return branch(vm, c, insn, rs == rt); /* beq */
    case K_BNE: return branch(vm, c, insn, rs != rt); /* bne */
    case K_BLEZ: return branch(vm, c, insn, (int64_t)rs <= 0); /* blez */
    case K_BGTZ: return branch(vm, c, insn, (int64_t)rs > 0); /* bgtz */
    case K_ADDI: v = ex_se32(rs + imm); goto wr_rt; /* addi, addiu */
    case K_SLTI: v = (int64_t)rs < (int64_t)imm; goto wr_rt; /* slti */
    case K_SLTIU: v = rs < imm; goto wr_rt; /* sltiu */
    case K_ANDI: v = rs & uimm; goto wr_rt; /* andi */
    case K_ORI: v = rs | uimm; goto wr_rt; /* ori */
    case K_XORI: v = rs ^ uimm; goto wr_rt; /* xori */
    case K_LUI: v = ex_se32(imm << 16); goto wr_rt; /* lui */
    case K_DADDI: v = rs + imm; goto wr_rt; /* daddi, daddiu */
    /* ---- SPECIAL2: dest rd */
    case K_MUL: v = ex_se32((uint64_t)((uint32_t)rs * (uint32_t)rt)); goto wr_rd; /* mul */
    case K_CLZ: v = ex_clz32(rs); goto wr_rd; /* clz */
    case K_CLO: v = ex_clz32(~rs); goto wr_rd; /* clo */
    case K_DCLZ: v = ex_clz64(rs); goto wr_rd; /* dclz */
    case K_DCLO: v = ex_clz64(~rs); goto wr_rd; /* dclo */
    default: break;
  }

  /* ---- memory: the data word at vaddr & ~7 is proven before anything else */
  if (kind == K_INVALID) return eng_panic(vm, "invalid instruction: %08x", insn);
  uint64_t vaddr = rs + imm;
  eng_track(vm, vaddr);
  uint64_t mem = eng_load64(vm, vaddr);
  switch (kind) {
    case K_LDL: v = ex_ldl(vaddr, mem, rt); goto wr_rt; /* ldl */
    case K_LDR: v = ex_ldr(vaddr, mem, rt); goto wr_rt; /* ldr */
    case K_LB: v = ex_se8(ex_select(vaddr, mem, 1)); goto wr_rt; /* lb */
    case K_LH: v = ex_se16(ex_select(vaddr, mem, 2)); goto wr_rt; /* lh */
    case K_LWL: v = ex_lwl(vaddr, mem, rt); goto wr_rt; /* lwl */
    case K_LW: v = ex_se32(ex_select(vaddr, mem, 4)); goto wr_rt; /* lw */
    case K_LBU: v = ex_select(vaddr, mem, 1); goto wr_rt; /* lbu */
    case K_LHU: v = ex_select(vaddr, mem, 2); goto wr_rt; /* lhu */
    case K_LWR: v = ex_lwr(vaddr, mem, rt); goto wr_rt; /* lwr */
    case K_LWU: v = ex_lwu(vaddr, mem); goto wr_rt; /* lwu */
    case K_LD: v = mem; goto wr_rt; /* ld */
    case K_SB: v = ex_update(vaddr, mem, 1, rt); goto store; /* sb */
    case K_SH: v = ex_update(vaddr, mem, 2, rt); goto store; /* sh */
    case K_SWL: v = ex_swl(vaddr, mem, rt); goto store; /* swl */
    case K_SW: v = ex_update(vaddr, mem, 4, rt); goto store; /* sw */
    case K_SDL: v = ex_sdl(vaddr, mem, rt); goto store; /* sdl */
    case K_SDR: v = ex_sdr(vaddr, mem, rt); goto store; /* sdr */
    case K_SWR: v = ex_swr(vaddr, mem, rt); goto store; /* swr */
    case K_SD: v = rt; goto store; /* sd */
    default: return eng_panic(vm, "invalid instruction: %08x", insn); /* cache, pref, lwc1, … */
  }

store:
  eng_store64(vm, vaddr, v);
  goto next;
wr_hilo:
  t->hi = hi;
  t->lo = lo;
  v = 0; /* the HI/LO group writes 0 to a non-zero rd field */
wr_rd:
  set_reg(t, rdr, v);
  goto next;
wr_rt:
  set_reg(t, rtr, v);
next:
  c->pc = c->npc;
  c->npc += 4;
  return FPK_OK;
}

/* One step, cannon.md §4.1. */
static inline int step_once(fpvm_mips64_vm *vm) {
  fpvm_mips64_state *s = vm->s;
  if (s->exited) return FPK_OK;
  fpvm_mips64_stack *st = s->traverse_right ? &s->right : &s->left;
  if (FPK_UNLIKELY(!st->n)) return eng_panic(vm, "active thread stack is empty");
  s->step++;
  fpvm_mips64_thread *t = &st->v[st->n - 1];
  int rc = FPK_OK;
  if (FPK_UNLIKELY(t->exited)) {
    fpvm_mips64_pop_thread(s);
  } else if (FPK_UNLIKELY(s->steps_since_switch >= FPVM_MIPS64_SCHED_QUANTUM)) {
    vm->stats.forced_preemption_count++;
    rc = fpvm_mips64_preempt(s);
  } else {
    s->steps_since_switch++;
    uint64_t pc = t->pc;
    if (FPK_UNLIKELY(pc & 3)) return eng_panic(vm, "InvalidPC: pc %016llx is not 4-aligned", (unsigned long long)pc);
    uint8_t kind;
    uint32_t insn = fetch(vm, pc, &kind);
    if (FPK_UNLIKELY(kind == K_SYSCALL))
      rc = eng_syscall(vm, t);
    else if (FPK_UNLIKELY(kind == K_LL || kind == K_LLD || kind == K_SC || kind == K_SCD))
      exec_rmw(vm, t, insn, kind);
    else {
      eng_pcs c = {t->pc, t->next_pc};
      rc = exec_core(vm, t, &c, insn, kind);
      t->pc = c.pc;
      t->next_pc = c.npc;
    }
  }
  if (FPK_UNLIKELY(rc)) return rc;
  st = s->traverse_right ? &s->right : &s->left;
  if (FPK_UNLIKELY(!st->n)) return eng_panic(vm, "post-state active thread stack is empty");
  eng_track_active(vm);
  return FPK_OK;
}

static int finish(fpvm_mips64_vm *vm, int rc) {
  if (rc == FPK_EPANIC) {
    vm->dead = true;
    return fpk_errf(FPK_EPANIC, "mips64: vm panic: %s", vm->panic);
  }
  if (rc) vm->dead = true;
  return rc;
}

/* Run-mode fast path: execute instructions of the active thread t while nothing can reschedule
 * (no syscall yet, quantum not reached). Same effects as repeated step_once() calls; step and
 * counter live in locals and are written back before anything that reads them. Returns the number
 * of steps done; *rc is set on a panic or host error. */
static inline uint64_t run_thread(fpvm_mips64_vm *vm, fpvm_mips64_thread *t, uint64_t budget, int *rc) {
  fpvm_mips64_state *s = vm->s;
  uint64_t step = s->step, cnt = s->steps_since_switch, k = 0;
  uint64_t cur_pidx = FPVM_TLB_NONE; /* the code page we are in, its data and decode cache */
  fpvm_page *cur_pg = NULL;
  eng_icache *cur_ic = NULL;
  eng_pcs c = {t->pc, t->next_pc};
  while (k < budget) {
    uint64_t pc = c.pc;
    if (FPK_UNLIKELY(pc & 3)) {
      s->step = step + 1;
      s->steps_since_switch = cnt + 1;
      t->pc = c.pc;
      t->next_pc = c.npc;
      *rc = eng_panic(vm, "InvalidPC: pc %016llx is not 4-aligned", (unsigned long long)pc);
      return k + 1;
    }
    uint8_t kind;
    uint32_t insn;
    if (FPK_LIKELY((pc >> FPVM_PAGE_SHIFT) == cur_pidx)) {
      eng_dinsn *d = &cur_ic->slot[(pc & (FPVM_PAGE_SIZE - 1)) >> 2];
      if (FPK_UNLIKELY(!d->kind)) {
        d->insn = fpk_be32(cur_pg->data + (pc & (FPVM_PAGE_SIZE - 4)));
        d->kind = eng_decode(d->insn);
        vm->stats.icache_miss_count++;
        if (pc > vm->stats.highest_icache_miss_pc) vm->stats.highest_icache_miss_pc = pc;
      }
      kind = d->kind;
      insn = d->insn;
    } else {
      insn = fetch(vm, pc, &kind);
      fpvm_page *pg = fpvm_mem_rpage(vm->mem, pc >> FPVM_PAGE_SHIFT);
      if (pg && pg->isa_cache) {
        cur_pidx = pc >> FPVM_PAGE_SHIFT;
        cur_pg = pg;
        cur_ic = pg->isa_cache;
      }
    }
    step++;
    cnt++;
    k++;
    if (FPK_UNLIKELY(kind >= K_SYSCALL)) {
      s->step = step;
      s->steps_since_switch = cnt;
      t->pc = c.pc;
      t->next_pc = c.npc;
      if (kind == K_SYSCALL) {
        *rc = eng_syscall(vm, t); /* may reschedule: hand back to the outer loop */
        return k;
      }
      exec_rmw(vm, t, insn, kind);
      c.pc = t->pc;
      c.npc = t->next_pc;
      continue;
    }
    int r = exec_core(vm, t, &c, insn, kind);
    if (FPK_UNLIKELY(r)) { /* leave the faulting pc visible (tools report it) */
      s->step = step;
      s->steps_since_switch = cnt;
      t->pc = c.pc;
      t->next_pc = c.npc;
      *rc = r;
      return k;
    }
  }
  s->step = step;
  s->steps_since_switch = cnt;
  t->pc = c.pc;
  t->next_pc = c.npc;
  return k;
}

int fpvm_mips64_run(fpvm_mips64_vm *vm, uint64_t max_steps, bool stop_on_preimage, uint64_t *done) {
  uint64_t n = 0;
  int rc = FPK_OK;
  if (vm->dead) {
    if (done) *done = 0;
    return fpk_errf(FPK_EINVAL, "mips64: vm is stopped after a panic or host error");
  }
  fpvm_mips64_state *s = vm->s;
  vm->proving = false;
  vm->stats.last_step_read_preimage = false;
  while (n < max_steps && !s->exited) {
    vm->pre_read_this_step = false;
    fpvm_mips64_stack *st = s->traverse_right ? &s->right : &s->left;
    fpvm_mips64_thread *t = st->n ? &st->v[st->n - 1] : NULL;
    if (FPK_UNLIKELY(!t || t->exited || s->steps_since_switch >= FPVM_MIPS64_SCHED_QUANTUM)) {
      rc = step_once(vm); /* empty stack, pop or forced preemption */
      if (FPK_UNLIKELY(rc)) break;
      n++;
      continue;
    }
    uint64_t budget = max_steps - n, left = FPVM_MIPS64_SCHED_QUANTUM - s->steps_since_switch;
    if (left < budget) budget = left;
    uint64_t k = run_thread(vm, t, budget, &rc);
    if (FPK_UNLIKELY(rc)) { /* the failing step does not count, as in step_once() */
      n += k - 1;
      break;
    }
    n += k;
    st = s->traverse_right ? &s->right : &s->left;
    if (FPK_UNLIKELY(!st->n)) {
      rc = eng_panic(vm, "post-state active thread stack is empty");
      break;
    }
    eng_track_active(vm);
    if (FPK_UNLIKELY(vm->pre_read_this_step) && stop_on_preimage) break;
  }
  if (done) *done = n;
  return finish(vm, rc);
}

void fpvm_mips64_proof_clear(fpvm_mips64_proof *p) {
  if (!p) return;
  free(p->oracle_value);
  p->oracle_value = NULL;
  p->oracle_value_len = 0;
  p->has_oracle = false;
}

int fpvm_mips64_step(fpvm_mips64_vm *vm, fpvm_mips64_proof *proof) {
  if (vm->dead) return fpk_errf(FPK_EINVAL, "mips64: vm is stopped after a panic or host error");
  vm->pre_read_this_step = false;
  vm->stats.last_step_read_preimage = false;
  if (!proof) {
    vm->proving = false;
    return finish(vm, step_once(vm));
  }
  fpvm_mips64_state *s = vm->s;
  fpvm_mips64_proof_clear(proof);
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  if (!t) return finish(vm, eng_panic(vm, "active thread stack is empty"));
  /* before the step: witness, thread witness, instruction proof (slot 0) */
  fpvm_mips64_state_witness(s, proof->state_data);
  fpvm_mips64_witness_hash(proof->state_data, proof->pre_hash);
  int rc = fpvm_mips64_thread_witness(s, proof->proof_data);
  if (rc) return rc;
  uint8_t *slot0 = proof->proof_data + FPVM_MIPS64_THREAD_SIZE + 32;
  fpvm_mem_proof(vm->mem, t->pc, slot0);
  vm->proving = true;
  vm->track_addr = UINT64_MAX;
  vm->slots_used = 0;
  rc = step_once(vm);
  vm->proving = false;
  if (rc) return finish(vm, rc);
  memcpy(slot0 + FPVM_MEM_PROOF_SIZE, vm->slot1, FPVM_MEM_PROOF_SIZE);
  memcpy(slot0 + 2 * FPVM_MEM_PROOF_SIZE, vm->slot2, FPVM_MEM_PROOF_SIZE);
  if (vm->pre_read_this_step) {
    proof->has_oracle = true;
    memcpy(proof->oracle_key, vm->pre_key, 32);
    proof->oracle_value = malloc(vm->pre_len ? vm->pre_len : 1);
    if (!proof->oracle_value) return fpk_errf(FPK_ENOMEM, "mips64: proof: out of memory");
    memcpy(proof->oracle_value, vm->pre_val, vm->pre_len);
    proof->oracle_value_len = vm->pre_len;
    proof->oracle_offset = vm->pre_read_offset;
  }
  fpvm_mips64_state_hash(s, proof->post_hash);
  return FPK_OK;
}
