/* Private interface of the MIPS64 step engine (vm.c, step.c, syscall.c, icache.c).
 *
 * Invariants:
 * - Every guest memory write goes through eng_store64(), which dirties the page and forgets the
 *   decoded instructions of the written word (self-modifying code behaves as on-chain); in proof
 *   mode it is always preceded by eng_track() for the same word.
 * - A page's decode cache lives as long as the page (freed by the memory's isa_free), so the run
 *   loop may keep a pointer to the current code page's cache.
 * - A guest fault sets vm->panic and makes the step return FPK_EPANIC; the state is then undefined
 *   and the vm refuses further steps. */
#ifndef FPVM_MIPS64_ENGINE_H
#define FPVM_MIPS64_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fpkit/mips64.h"

/* One decoded instruction slot of a code page. kind 0 = not decoded yet. */
typedef struct {
  uint32_t insn;
  uint8_t kind;
} eng_dinsn;

#define ENG_SLOTS_PER_PAGE (FPVM_PAGE_SIZE / 4)
typedef struct {
  eng_dinsn slot[ENG_SLOTS_PER_PAGE];
} eng_icache;

struct fpvm_mips64_vm {
  fpvm_mips64_state *s;
  fpvm_mem *mem;
  fpvm_oracle oracle;
  bool has_oracle;
  fpvm_output_fn out_fn;
  void *out_ctx;
  fpvm_mips64_stats stats;
  /* DebugInfo bookkeeping (Cannon's stats tracker): last ll step per thread (a few threads), and
   * when thread 0 last stopped running. */
  struct {
    uint64_t tid, step;
    bool used;
  } ll_steps[5];
  unsigned ll_next;
  uint64_t active_tid, idle_since;

  /* proof tracking of the current step */
  bool proving;           /* this step is a proof-mode step */
  bool exact_slots;       /* recompute slot 2 on clock_gettime in run mode too (Cannon's tracker) */
  uint64_t track_addr;    /* aligned address of slot 1 this step, UINT64_MAX if none */
  unsigned slots_used;    /* bit 1: slot 1, bit 2: slot 2 (this step) */
  uint8_t slot1[FPVM_MEM_PROOF_SIZE]; /* stale contents kept across steps, like Cannon */
  uint8_t slot2[FPVM_MEM_PROOF_SIZE];

  /* preimage cache for the current key: value = u64 BE length ‖ data */
  bool pre_cached;
  uint8_t pre_key[32];
  uint8_t *pre_val;
  size_t pre_len;
  bool pre_read_this_step;
  uint64_t pre_read_offset;

  int host_err;       /* oracle failure inside a step (FPK_E*), 0 if none */
  bool dead;          /* panicked or host failure: no further steps */
  char panic[160];
};

/* Instruction kinds (decode result). K_INVALID must stay 1 so that 0 means "not decoded". */
enum {
  K_NONE = 0,
  K_INVALID = 1,
  /* SPECIAL */
  K_SLL, K_SRL, K_SRA, K_SLLV, K_SRLV, K_SRAV, K_JR, K_JALR, K_MOVZ, K_MOVN, K_SYNC,
  K_MFHI, K_MTHI, K_MFLO, K_MTLO, K_DSLLV, K_DSRLV, K_DSRAV, K_MULT, K_MULTU, K_DIV, K_DIVU,
  K_DMULT, K_DMULTU, K_DDIV, K_DDIVU, K_ADD, K_SUB, K_AND, K_OR, K_XOR, K_NOR, K_SLT, K_SLTU,
  K_DADD, K_DSUB, K_DSLL, K_DSRL, K_DSRA, K_DSLL32, K_DSRL32, K_DSRA32,
  /* REGIMM */
  K_BLTZ, K_BGEZ, K_BLTZAL, K_BGEZAL, K_BNEVER,
  /* primary */
  K_J, K_JAL, K_BEQ, K_BNE, K_BLEZ, K_BGTZ, K_ADDI, K_SLTI, K_SLTIU, K_ANDI, K_ORI, K_XORI, K_LUI,
  K_DADDI, K_LDL, K_LDR,
  /* SPECIAL2 */
  K_MUL, K_CLZ, K_CLO, K_DCLZ, K_DCLO,
  /* memory */
  K_LB, K_LH, K_LWL, K_LW, K_LBU, K_LHU, K_LWR, K_LWU, K_SB, K_SH, K_SWL, K_SW, K_SDL, K_SDR, K_SWR,
  K_LD, K_SD,
  /* a load/store-class opcode that is not supported: the data word is still proven first */
  K_BADMEM,
  /* handled outside exec_core (kind >= K_SYSCALL): syscall and the RMW ops */
  K_SYSCALL, K_LL, K_LLD, K_SC, K_SCD,
  K_COUNT
};

uint8_t eng_decode(uint32_t insn);
void eng_icache_free(void *p);
/* Drop every page's decode cache (after memory was changed behind the engine's back). */
void eng_icache_flush(fpvm_mips64_vm *vm);

/* Record a guest fault (first one wins); returns FPK_EPANIC. */
int eng_panic(fpvm_mips64_vm *vm, const char *fmt, ...) FPK_PRINTF(2, 3);

/* Proof tracking of the data word at addr & ~7 (slot 1). Must precede the access. */
static inline void eng_track(fpvm_mips64_vm *vm, uint64_t addr) {
  if (FPK_UNLIKELY(vm->proving)) {
    addr &= ~(uint64_t)7;
    if (vm->track_addr != addr) {
      vm->track_addr = addr;
      vm->slots_used |= 2u;
      fpvm_mem_proof(vm->mem, addr, vm->slot1);
    }
  }
}
/* Slot 2 (clock_gettime only). Cannon computes it even in run mode. */
static inline void eng_track2(fpvm_mips64_vm *vm, uint64_t addr) {
  if (vm->proving || vm->exact_slots) {
    fpvm_mem_proof(vm->mem, addr & ~(uint64_t)7, vm->slot2);
    if (vm->proving) vm->slots_used |= 4u;
  }
}

static inline uint64_t eng_load64(fpvm_mips64_vm *vm, uint64_t addr) { return fpvm_mem_read64(vm->mem, addr); }

/* Big-endian 8-byte store as one instruction pair (the byte loop of fpk_put_be64 is not merged by
 * the compiler); same bytes on every host. */
static inline void eng_put_be64(uint8_t *p, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  v = __builtin_bswap64(v);
  memcpy(p, &v, 8);
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  memcpy(p, &v, 8);
#else
  fpk_put_be64(p, v);
#endif
}

/* Write the aligned word; clears the LL reservation when it covers this word (cannon.md §4.6). */
static inline void eng_store64(fpvm_mips64_vm *vm, uint64_t addr, uint64_t v) {
  addr &= ~(uint64_t)7;
  fpvm_page *p = fpvm_mem_wpage(vm->mem, addr >> FPVM_PAGE_SHIFT);
  if (FPK_UNLIKELY(p->isa_cache != NULL)) { /* forget the two instruction slots of this word */
    eng_dinsn *d = &((eng_icache *)p->isa_cache)->slot[(addr & (FPVM_PAGE_SIZE - 1)) >> 2];
    d[0].kind = K_NONE;
    d[1].kind = K_NONE;
  }
  eng_put_be64(p->data + (addr & (FPVM_PAGE_SIZE - 8)), v);
  fpvm_mips64_state *s = vm->s;
  if (addr == (s->ll_address & ~(uint64_t)7)) {
    vm->stats.reservation_invalidation_count++; /* counted like Cannon: any write to the word */
    s->ll_status = 0;
    s->ll_address = 0;
    s->ll_owner = 0;
  }
}

/* Stats: the active thread may have changed (after a syscall, preemption or pop). */
static inline void eng_track_active(fpvm_mips64_vm *vm) {
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(vm->s);
  if (!t) return;
  if (vm->active_tid == 0 && t->id != 0) vm->idle_since = vm->s->step;
  else if (vm->active_tid != 0 && t->id == 0) vm->stats.idle_step_count_thread_0 += vm->s->step - vm->idle_since;
  vm->active_tid = t->id;
}

/* Syscall dispatcher (syscall.c): the thread is the active top; returns FPK_OK, FPK_EPANIC or a
 * host error. */
int eng_syscall(fpvm_mips64_vm *vm, fpvm_mips64_thread *t);

/* splitmix64 (getrandom's generator). */
static inline uint64_t eng_splitmix64(uint64_t s) {
  uint64_t z = s + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

#endif
