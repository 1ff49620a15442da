/* fpvm_mips64_verify_step: one MT-Cannon step checked the way MIPS64.sol 1.10.0 step() checks it.
 * Unpack the witness, reject a bad `exited` byte, return an exited state unchanged, require a
 * non-empty active stack, count the step, prove the thread against the active stack root, then
 * pop / preempt / execute, re-pack the state and hash it with the status byte; the active stack of
 * the result must not be empty either. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fpkit/keccak.h"
#include "vm.h"

int vm_fail(vm_ctx *c, int code, const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (c->reason && c->reason_cap) snprintf(c->reason, c->reason_cap, "%s", buf);
  if (code == FPK_EPROOF)
    fpk_errf(code, "verify: step reverts: %s", buf);
  else
    fpk_errf(code, "%s", buf);
  return code;
}

void vm_calldata(const vm_ctx *c, size_t off, uint8_t *out, size_t n) {
  size_t rel = off - VM_THREAD_OFF;
  if (c->proof && off >= VM_THREAD_OFF && rel <= c->proof_len && n <= c->proof_len - rel) {
    memcpy(out, c->proof + rel, n);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    size_t p = off + i;
    out[i] = (p >= VM_THREAD_OFF && p - VM_THREAD_OFF < c->proof_len) ? c->proof[p - VM_THREAD_OFF] : 0;
  }
}

static void unpack_state(vm_state *s, const uint8_t *w) {
  memcpy(s->mem_root, w, 32);
  memcpy(s->preimage_key, w + 32, 32);
  s->preimage_offset = fpk_be64(w + 64);
  s->heap = fpk_be64(w + 72);
  s->ll_status = w[80];
  s->ll_address = fpk_be64(w + 81);
  s->ll_owner = fpk_be64(w + 89);
  s->exit_code = w[97];
  s->exited = w[98];
  s->step = fpk_be64(w + 99);
  s->steps_since_switch = fpk_be64(w + 107);
  s->traverse_right = w[115];
  memcpy(s->left_root, w + 116, 32);
  memcpy(s->right_root, w + 148, 32);
  s->next_thread_id = fpk_be64(w + 180);
}

static void pack_state(const vm_state *s, uint8_t *w) {
  memcpy(w, s->mem_root, 32);
  memcpy(w + 32, s->preimage_key, 32);
  fpk_put_be64(w + 64, s->preimage_offset);
  fpk_put_be64(w + 72, s->heap);
  w[80] = s->ll_status;
  fpk_put_be64(w + 81, s->ll_address);
  fpk_put_be64(w + 89, s->ll_owner);
  w[97] = s->exit_code;
  w[98] = s->exited;
  fpk_put_be64(w + 99, s->step);
  fpk_put_be64(w + 107, s->steps_since_switch);
  w[115] = s->traverse_right;
  memcpy(w + 116, s->left_root, 32);
  memcpy(w + 148, s->right_root, 32);
  fpk_put_be64(w + 180, s->next_thread_id);
}

static bool active_empty(const vm_state *s) {
  return vm_root_is_empty(s->traverse_right ? s->right_root : s->left_root);
}

/* Everything between the unpacking and outputState. */
static int do_step(vm_ctx *c) {
  vm_state *s = &c->st;
  if (s->exited > 1) return vm_revert(c, "InvalidExitedValue()");
  if (s->exited) return FPK_OK;
  if (active_empty(s)) return vm_revert(c, "MIPS64: active thread stack is empty");
  s->step++;

  int rc = vm_load_thread(c);
  if (rc) return rc;
  rc = vm_validate_thread_witness(c);
  if (rc) return rc;
  if (c->th.exited) return vm_pop_thread(c);
  if (s->steps_since_switch >= VM_SCHED_QUANTUM) return vm_preempt_thread(c);
  s->steps_since_switch++;

  uint32_t insn;
  rc = vm_fetch(c, &insn);
  if (rc) return rc;
  uint32_t op = insn >> 26;
  if (op == 0 && (insn & 0x3F) == 0x0C) return vm_exec_syscall(c);
  if (op == 0x30 || op == 0x38 || op == 0x34 || op == 0x3C) {
    rc = vm_exec_rmw(c, insn);
  } else {
    rc = vm_exec_core(c, insn);
  }
  if (rc) return rc;
  return vm_update_current_thread_root(c);
}

static void witness_hash(const uint8_t w[FPVM_MIPS64_WITNESS_SIZE], uint8_t out[32]) {
  fpk_keccak256(out, w, FPVM_MIPS64_WITNESS_SIZE);
  uint8_t status = 3;
  if (w[98]) status = w[97] == 0 ? 0 : (w[97] == 1 ? 1 : 2);
  out[0] = status;
}

int fpvm_mips64_verify_step(const uint8_t *state_data, size_t state_len, const uint8_t *proof, size_t proof_len,
                            const fpvm_mips64_verify_oracle *oracle, uint8_t post_hash[32],
                            uint8_t post_witness[FPVM_MIPS64_WITNESS_SIZE], char *reason, size_t reason_cap) {
  vm_ctx c;
  memset(&c, 0, sizeof c);
  c.reason = reason;
  c.reason_cap = reason_cap;
  if (reason && reason_cap) reason[0] = 0;
  if (!state_data || !post_hash || !post_witness || (!proof && proof_len))
    return vm_fail(&c, FPK_EINVAL, "verify: NULL argument");
  if (state_len != FPVM_MIPS64_WITNESS_SIZE)
    return vm_fail(&c, FPK_EINVAL, "verify: state data is %zu bytes, not %d", state_len, FPVM_MIPS64_WITNESS_SIZE);
  c.proof = proof;
  c.proof_len = proof_len;
  /* the ABI pads the bytes argument to whole words; a huge length only has to stay huge */
  size_t padded = proof_len > SIZE_MAX - VM_THREAD_OFF - 31 ? SIZE_MAX - VM_THREAD_OFF - 31 : proof_len;
  c.calldata_size = VM_THREAD_OFF + ((padded + 31) & ~(size_t)31);
  c.oracle = oracle;
  unpack_state(&c.st, state_data);

  int rc = do_step(&c);
  if (rc) return rc;
  if (active_empty(&c.st)) return vm_revert(&c, "MIPS64: post-state active thread stack is empty");

  uint8_t w[FPVM_MIPS64_WITNESS_SIZE];
  pack_state(&c.st, w);
  witness_hash(w, post_hash);
  memcpy(post_witness, w, sizeof w);
  return FPK_OK;
}
