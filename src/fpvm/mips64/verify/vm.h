/* Internal interface of the independent one-step verifier (library fpvm_verify).
 *
 * The verifier models MIPS64.sol 1.10.0 as it runs inside the EVM: the 188-byte witness is unpacked
 * into a state record, the proof bytes are a read-only "calldata" region, and every memory value
 * comes out of a merkle proof checked against the state's memory root. It never includes the
 * engine or libfpvm's memory; the only dependency is fpk_common (Keccak-256, SHA-256, errors).
 *
 * Every fallible helper returns FPK_OK or a negative FPK_E* code. A contract revert is FPK_EPROOF
 * with the contract's reason text recorded in the context (see vm_revert); a caller mistake (bad
 * oracle data) is another code with a verifier message in the same place. */
#ifndef FPVM_VERIFY_VM_H
#define FPVM_VERIFY_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fpkit/fpk.h"
#include "fpkit/mips64.h"

/* Calldata geometry of step(bytes,bytes,bytes32) with the strict ABI layout the contract asserts. */
#define VM_THREAD_OFF 356u                              /* first proof byte in calldata */
#define VM_INNER_OFF (VM_THREAD_OFF + 298u)             /* inner stack root */
#define VM_MEMPROOF_OFF (VM_THREAD_OFF + 298u + 32u)    /* memory proof slot 0 */
#define VM_MEMPROOF_SIZE 1920u                          /* leaf + 59 siblings */
#define VM_SCHED_QUANTUM 100000u

/* The packed-state fields as the contract holds them in memory. One-byte fields keep their raw
 * byte: the contract only validates `exited`, reads traverseRight as a bool (non-zero = right) and
 * writes a flag back untouched unless it assigns it. */
typedef struct {
  uint8_t mem_root[32];
  uint8_t preimage_key[32];
  uint64_t preimage_offset;
  uint64_t heap;
  uint8_t ll_status;
  uint64_t ll_address;
  uint64_t ll_owner;
  uint8_t exit_code;
  uint8_t exited;
  uint64_t step;
  uint64_t steps_since_switch;
  uint8_t traverse_right;
  uint8_t left_root[32];
  uint8_t right_root[32];
  uint64_t next_thread_id;
} vm_state;

/* The thread of the thread witness; exit_code/exited keep their raw bytes (hashed as given). */
typedef struct {
  uint64_t id;
  uint8_t exit_code;
  uint8_t exited;
  uint64_t pc, next_pc, lo, hi;
  uint64_t regs[32];
} vm_thread;

typedef struct {
  const uint8_t *proof; /* proof bytes, calldata [356, 356 + proof_len) */
  size_t proof_len;
  size_t calldata_size; /* 356 + proof_len rounded up to 32, as the ABI pads it */
  const fpvm_mips64_verify_oracle *oracle; /* NULL = no oracle data */
  vm_state st;
  vm_thread th;
  char *reason;
  size_t reason_cap;
} vm_ctx;

/* Record a reason and return code (FPK_EPROOF for a contract revert). */
int vm_fail(vm_ctx *c, int code, const char *fmt, ...) FPK_PRINTF(3, 4);
/* A contract revert with the given reason text (string reasons verbatim, custom errors as "Name()"). */
#define vm_revert(c, text) vm_fail((c), FPK_EPROOF, "%s", (text))

/* Copy n calldata bytes from absolute calldata offset off; bytes past the end read as zero (calldataload). */
void vm_calldata(const vm_ctx *c, size_t off, uint8_t *out, size_t n);

/* ---- vmem.c: memory proofs (MIPS64Memory.sol). slot 0 = instruction, 1 = data, 2 = second data. */
/* readMem: the 8-byte word at aligned addr, proven against root; revert InvalidMemoryProof() if not. */
FPK_NODISCARD int vm_mem_read(vm_ctx *c, const uint8_t root[32], uint64_t addr, unsigned slot, uint64_t *out);
/* isValidProof: *ok = proof for addr in slot folds to root (availability/alignment still revert). */
FPK_NODISCARD int vm_mem_valid(vm_ctx *c, const uint8_t root[32], uint64_t addr, unsigned slot, bool *ok);
/* writeMem: the root obtained by putting val into the slot's leaf and folding with its siblings. */
FPK_NODISCARD int vm_mem_write(vm_ctx *c, uint64_t addr, unsigned slot, uint64_t val, uint8_t new_root[32]);

/* ---- vthreads.c: the thread-stack hash onion and the scheduler moves of MIPS64.sol. */
void vm_thread_encode(const vm_thread *t, uint8_t out[FPVM_MIPS64_THREAD_SIZE]);
void vm_thread_decode(vm_thread *t, const uint8_t in[FPVM_MIPS64_THREAD_SIZE]);
/* keccak(root ‖ keccak(thread)) */
void vm_thread_root(const uint8_t root[32], const vm_thread *t, uint8_t out[32]);
bool vm_root_is_empty(const uint8_t root[32]);
/* Load the thread witness into c->th (insufficient-calldata revert). */
FPK_NODISCARD int vm_load_thread(vm_ctx *c);
/* The inner root of the active stack from calldata (insufficient-calldata revert). */
FPK_NODISCARD int vm_inner_root(vm_ctx *c, uint8_t out[32]);
FPK_NODISCARD int vm_validate_thread_witness(vm_ctx *c);
FPK_NODISCARD int vm_update_current_thread_root(vm_ctx *c);
FPK_NODISCARD int vm_preempt_thread(vm_ctx *c);
FPK_NODISCARD int vm_pop_thread(vm_ctx *c);
void vm_push_thread(vm_ctx *c, const vm_thread *t);
FPK_NODISCARD int vm_last_thread_remaining(vm_ctx *c, bool *out);

/* ---- vcore.c: instruction semantics (MIPS64Instructions.sol). */
uint64_t vm_sign_extend(uint64_t v, unsigned bits);
uint64_t vm_select_subword(uint64_t vaddr, uint64_t word, unsigned len, bool sign_extend);
uint64_t vm_update_subword(uint64_t vaddr, uint64_t word, unsigned len, uint64_t value);
/* pc += 4 style advance used after every non-branching instruction. */
static inline void vm_advance_pc(vm_thread *t) {
  t->pc = t->next_pc;
  t->next_pc = t->next_pc + 4;
}
/* Fetch and decode at c->th.pc (InvalidPC()/InvalidMemoryProof() reverts). */
FPK_NODISCARD int vm_fetch(vm_ctx *c, uint32_t *insn);
/* Everything but syscalls and LL/SC; updates c->th, c->st.mem_root and the LL reservation. */
FPK_NODISCARD int vm_exec_core(vm_ctx *c, uint32_t insn);
/* ll/lld/sc/scd. */
FPK_NODISCARD int vm_exec_rmw(vm_ctx *c, uint32_t insn);
/* Clear the reservation when the aligned word at addr was written (handleMemoryUpdate). */
void vm_mem_updated(vm_ctx *c, uint64_t addr);

/* ---- vsyscall.c: the syscall dispatcher (MIPS64.sol handleSyscall + MIPS64Syscalls.sol); leaves
 * the finished thread and stack roots in c. */
FPK_NODISCARD int vm_exec_syscall(vm_ctx *c);

#endif
