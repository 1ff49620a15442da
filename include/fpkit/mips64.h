/* MT-Cannon MIPS64 (state version 8, "multithreaded64-5"): state, witness, files, ELF loading, engine, proofs.
 * Layouts and rules: ../shared/docs/cannon.md §1, §3, §4, §5, §6. */
#ifndef FPKIT_MIPS64_H
#define FPKIT_MIPS64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fpkit/fpk.h"
#include "fpkit/fpvm.h"
#include "fpkit/mem.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FPVM_MIPS64_STATE_VERSION 8
#define FPVM_MIPS64_TYPE_NAME "multithreaded64-5"
#define FPVM_MIPS64_WITNESS_SIZE 188
#define FPVM_MIPS64_THREAD_SIZE 298
#define FPVM_MIPS64_PROOF_SIZE 6090 /* 298 + 32 + 3 * 1920 */
#define FPVM_MIPS64_SCHED_QUANTUM 100000u
#define FPVM_MIPS64_HEAP_START 0x0000100000000000ull
#define FPVM_MIPS64_HEAP_END 0x0000600000000000ull
#define FPVM_MIPS64_BRK_START 0x0000400000000000ull
#define FPVM_MIPS64_STACK_TOP 0x00007FFFFFFFF000ull

/* VM status byte (state hash byte 0). */
enum { FPVM_STATUS_VALID = 0, FPVM_STATUS_INVALID = 1, FPVM_STATUS_PANIC = 2, FPVM_STATUS_UNFINISHED = 3 };

typedef struct {
  uint64_t id;
  uint8_t exit_code;
  uint8_t exited; /* 0/1 in files; the contract treats any non-zero as exited */
  uint64_t pc, next_pc, lo, hi;
  uint64_t regs[32];
} fpvm_mips64_thread;

typedef struct {
  fpvm_mips64_thread *v; /* v[0] = bottom, v[n-1] = top */
  size_t n, cap;
} fpvm_mips64_stack;

typedef struct fpvm_mips64_state {
  fpvm_mem *mem;
  uint8_t preimage_key[32];
  uint64_t preimage_offset;
  uint64_t heap;
  uint8_t ll_status; /* 0 none, 1 ll, 2 lld */
  uint64_t ll_address, ll_owner;
  uint8_t exit_code, exited;
  uint64_t step, steps_since_switch;
  uint8_t traverse_right;
  fpvm_mips64_stack left, right;
  uint64_t next_thread_id;
  uint8_t *last_hint; /* unprocessed partial hint bytes (not part of the witness) */
  size_t last_hint_len, last_hint_cap;
} fpvm_mips64_state;

/* ---- state.c */
fpvm_mips64_state *fpvm_mips64_state_create_empty(void);                  /* CreateEmptyState */
fpvm_mips64_state *fpvm_mips64_state_create_initial(uint64_t pc, uint64_t heap); /* CreateInitialState */
void fpvm_mips64_state_destroy(fpvm_mips64_state *s);                      /* NULL ok */
fpvm_mips64_state *fpvm_mips64_state_clone(const fpvm_mips64_state *s);   /* deep copy incl. memory */

static inline fpvm_mips64_stack *fpvm_mips64_active_stack(fpvm_mips64_state *s) {
  return s->traverse_right ? &s->right : &s->left;
}
/* Active thread (top of the active stack) or NULL when that stack is empty. */
static inline fpvm_mips64_thread *fpvm_mips64_active_thread(fpvm_mips64_state *s) {
  fpvm_mips64_stack *st = fpvm_mips64_active_stack(s);
  return st->n ? &st->v[st->n - 1] : NULL;
}
FPK_NODISCARD int fpvm_mips64_stack_push(fpvm_mips64_stack *st, const fpvm_mips64_thread *t);
size_t fpvm_mips64_thread_count(const fpvm_mips64_state *s);
/* Scheduler moves (cannon.md §1.5); each resets steps_since_switch. */
FPK_NODISCARD int fpvm_mips64_preempt(fpvm_mips64_state *s);  /* top of active → top of other; flip if emptied */
void fpvm_mips64_pop_thread(fpvm_mips64_state *s);             /* drop active top; flip if emptied */
FPK_NODISCARD int fpvm_mips64_push_thread(fpvm_mips64_state *s, const fpvm_mips64_thread *t); /* clone */

void fpvm_mips64_thread_encode(const fpvm_mips64_thread *t, uint8_t out[FPVM_MIPS64_THREAD_SIZE]);
void fpvm_mips64_thread_decode(fpvm_mips64_thread *t, const uint8_t in[FPVM_MIPS64_THREAD_SIZE]);
void fpvm_mips64_thread_hash(const fpvm_mips64_thread *t, uint8_t out[32]);
/* Hash-onion root of stack elements [0, n). */
void fpvm_mips64_stack_root(const fpvm_mips64_stack *st, size_t n, uint8_t out[32]);
/* 188-byte witness (computes the memory root). */
void fpvm_mips64_state_witness(fpvm_mips64_state *s, uint8_t out[FPVM_MIPS64_WITNESS_SIZE]);
/* keccak(witness) with byte 0 := status. */
void fpvm_mips64_witness_hash(const uint8_t witness[FPVM_MIPS64_WITNESS_SIZE], uint8_t out[32]);
void fpvm_mips64_state_hash(fpvm_mips64_state *s, uint8_t out[32]);
uint8_t fpvm_mips64_status(uint8_t exited, uint8_t exit_code);
/* Thread witness of the active thread: thread (298) ‖ root of the active stack without its top (32). */
FPK_NODISCARD int fpvm_mips64_thread_witness(fpvm_mips64_state *s, uint8_t out[FPVM_MIPS64_THREAD_SIZE + 32]);

/* ---- statefile.c: Cannon's binary state (cannon.md §1.6). `name` is used in error messages. */
FPK_NODISCARD int fpvm_mips64_state_decode(fpvm_mips64_state **out, const uint8_t *buf, size_t len, const char *name);
FPK_NODISCARD int fpvm_mips64_state_encode(const fpvm_mips64_state *s, uint8_t **buf, size_t *len);
FPK_NODISCARD int fpvm_mips64_state_read_file(fpvm_mips64_state **out, const char *path);
FPK_NODISCARD int fpvm_mips64_state_write_file(const fpvm_mips64_state *s, const char *path); /* atomic */

/* ---- load.c: Cannon's load-elf (cannon.md §6): segments + PatchStack. */
FPK_NODISCARD int fpvm_mips64_load_elf(fpvm_mips64_state **out, const fpvm_elf *e, const char *name);
FPK_NODISCARD int fpvm_mips64_patch_stack(fpvm_mips64_state *s);

/* ---- engine (step.c, syscall.c, vm.c) */
typedef struct fpvm_mips64_vm fpvm_mips64_vm;

typedef struct {
  uint8_t state_data[FPVM_MIPS64_WITNESS_SIZE]; /* pre-state witness */
  uint8_t pre_hash[32], post_hash[32];
  uint8_t proof_data[FPVM_MIPS64_PROOF_SIZE];
  bool has_oracle;              /* a preimage was read in this step */
  uint8_t oracle_key[32];
  uint8_t *oracle_value;        /* u64 BE length ‖ preimage; malloc'd, freed by fpvm_mips64_proof_clear */
  size_t oracle_value_len;
  uint64_t oracle_offset;
} fpvm_mips64_proof;
void fpvm_mips64_proof_clear(fpvm_mips64_proof *p);

/* Guest writes to fd 1/2 go here (fd, bytes). */
typedef void (*fpvm_output_fn)(void *ctx, int fd, const uint8_t *buf, size_t len);

/* Per-run counters (Cannon's DebugInfo plus what the run loop needs for preimage stops). */
typedef struct {
  uint64_t num_preimage_requests, total_preimage_size;
  uint64_t rmw_success_count, rmw_fail_count, max_steps_between_ll_and_sc, reservation_invalidation_count;
  uint64_t forced_preemption_count, idle_step_count_thread_0;
  uint64_t icache_miss_count, highest_icache_miss_pc;
  /* the last step that read from fd 5: */
  bool last_step_read_preimage; /* reset at the start of every fpvm_mips64_step / fpvm_mips64_run call */
  uint8_t last_preimage_key[32];
  uint64_t last_preimage_offset; /* preimageOffset before the read */
  uint64_t last_preimage_len;    /* 8 + len(preimage) */
} fpvm_mips64_stats;

/* Takes ownership of s. NULL on OOM. */
fpvm_mips64_vm *fpvm_mips64_vm_create(fpvm_mips64_state *s);
void fpvm_mips64_vm_destroy(fpvm_mips64_vm *vm);
fpvm_mips64_state *fpvm_mips64_vm_state(fpvm_mips64_vm *vm);
const fpvm_mips64_stats *fpvm_mips64_vm_stats(const fpvm_mips64_vm *vm);
/* oracle NULL = no host: hints are dropped, a preimage read is a VM panic (as in Cannon). Copied. */
void fpvm_mips64_vm_set_oracle(fpvm_mips64_vm *vm, const fpvm_oracle *oracle);
void fpvm_mips64_vm_set_output(fpvm_mips64_vm *vm, fpvm_output_fn fn, void *ctx);

/* One step. proof NULL = run mode (no hashing). Returns FPK_OK, FPK_EPANIC (guest fault: no valid
 * post-state; reason in fpvm_mips64_vm_panic_reason) or an oracle/host error. After a panic the VM
 * must not be stepped again. */
FPK_NODISCARD int fpvm_mips64_step(fpvm_mips64_vm *vm, fpvm_mips64_proof *proof);
/* Up to max_steps steps in run mode; stops early when the state exits, on a panic, or (if
 * stop_on_preimage) after any step that read fd 5. *done = steps executed. */
FPK_NODISCARD int fpvm_mips64_run(fpvm_mips64_vm *vm, uint64_t max_steps, bool stop_on_preimage, uint64_t *done);
const char *fpvm_mips64_vm_panic_reason(const fpvm_mips64_vm *vm);
/* Cannon recomputes proof slot 2 on every clock_gettime, also in run mode, so an unused slot 2 of a
 * later proof holds that stale proof. On (default) = byte-identical proof files; off = faster runs. */
void fpvm_mips64_vm_set_exact_slots(fpvm_mips64_vm *vm, bool on);
/* Call after changing guest memory behind the engine (drops the decode caches). */
void fpvm_mips64_vm_memory_changed(fpvm_mips64_vm *vm);
/* Data slots the last proof-mode step used: bit 1 = slot 1, bit 2 = slot 2 (0 for run-mode steps). */
unsigned fpvm_mips64_vm_slots_used(const fpvm_mips64_vm *vm);
/* Aligned address slot 1 proved in the last proof-mode step (slot 2 is this + 8); meaningful only
 * when fpvm_mips64_vm_slots_used() has bit 1 set. */
uint64_t fpvm_mips64_vm_slot1_addr(const fpvm_mips64_vm *vm);

/* ---- verify/ (library fpvm_verify): the independent one-step verifier. It does not use the engine or
 * libfpvm memory; it works like MIPS64.sol 1.10.0 step(): it sees only the 188-byte witness, the proof
 * bytes (thread 298 ‖ inner stack root 32 ‖ 3 memory proofs of 1920) and the oracle's answer. */
typedef struct {
  bool present;
  uint8_t key[32];      /* raw key as the VM holds it (local keys not yet localized) */
  const uint8_t *value; /* u64 BE length ‖ preimage */
  size_t value_len;
  uint64_t offset;      /* must equal the state's preimageOffset when read */
} fpvm_mips64_verify_oracle;

/* The oracle data a proof carries, in the verifier's form (vo->present is false when the step read no
 * preimage). vo points into p; it lives as long as p does. */
static inline void fpvm_mips64_proof_oracle(const fpvm_mips64_proof *p, fpvm_mips64_verify_oracle *vo) {
  vo->present = p->has_oracle;
  for (int i = 0; i < 32; i++) vo->key[i] = p->has_oracle ? p->oracle_key[i] : 0;
  vo->value = p->has_oracle ? p->oracle_value : NULL;
  vo->value_len = p->has_oracle ? p->oracle_value_len : 0;
  vo->offset = p->has_oracle ? p->oracle_offset : 0;
}

/* One step. Pure function of its inputs (no globals but fpk_errf's thread-local message); oracle may be
 * NULL when no preimage is read; proof may be shorter than 6090 bytes (missing bytes read as zero, and
 * the contract's "insufficient calldata" checks apply to the ABI-padded length).
 * Returns:
 *  FPK_OK        post_hash (status byte set) and post_witness written;
 *  FPK_EPROOF    the contract reverts; reason = its revert string verbatim ("MIPS64: invalid thread
 *                witness", "pre-image must exist", …) or its custom error as "Name()" ("InvalidMemoryProof()",
 *                "InvalidSecondMemoryProof()", "InvalidExitedValue()", "InvalidPC()");
 *  FPK_ENOTFOUND the step reads a preimage and no oracle data was given;
 *  FPK_EINVAL    oracle data for another key/offset or with a bad length prefix, state_len != 188, NULL args;
 *  FPK_EVERIFY   the oracle value cannot be what the PreimageOracle holds for the key (keccak256/sha256 key
 *                it does not hash to, local data over 32 bytes, blob part not 32 bytes).
 * Local keys (type 1) are compared raw: their localized form needs the caller's address, which a proof
 * does not carry, so their value is trusted (as are blob and precompile values). reason gets a message
 * for every failure (truncated to reason_cap). */
FPK_NODISCARD int fpvm_mips64_verify_step(const uint8_t *state_data, size_t state_len, const uint8_t *proof,
                                          size_t proof_len, const fpvm_mips64_verify_oracle *oracle,
                                          uint8_t post_hash[32], uint8_t post_witness[FPVM_MIPS64_WITNESS_SIZE],
                                          char *reason, size_t reason_cap);

#ifdef __cplusplus
}
#endif
#endif
