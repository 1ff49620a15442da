/* The two thread stacks as hash onions: the verifier only ever sees the active thread and the
 * root of the active stack below it (the "inner" root), so every stack move is expressed as
 * "replace the active root by the inner root" and/or "wrap a thread around a root". */
#include <string.h>

#include "fpkit/keccak.h"
#include "vm.h"

/* keccak256(bytes32(0) ‖ bytes32(0)): the root of an empty stack. */
static const uint8_t empty_root[32] = {0xad, 0x32, 0x28, 0xb6, 0x76, 0xf7, 0xd3, 0xcd, 0x42, 0x84, 0xa5,
                                       0x44, 0x3f, 0x17, 0xf1, 0x96, 0x2b, 0x36, 0xe4, 0x91, 0xb3, 0x0a,
                                       0x40, 0xb2, 0x40, 0x58, 0x49, 0xe5, 0x97, 0xba, 0x5f, 0xb5};

bool vm_root_is_empty(const uint8_t root[32]) { return memcmp(root, empty_root, 32) == 0; }

void vm_thread_encode(const vm_thread *t, uint8_t out[FPVM_MIPS64_THREAD_SIZE]) {
  fpk_put_be64(out, t->id);
  out[8] = t->exit_code;
  out[9] = t->exited;
  fpk_put_be64(out + 10, t->pc);
  fpk_put_be64(out + 18, t->next_pc);
  fpk_put_be64(out + 26, t->lo);
  fpk_put_be64(out + 34, t->hi);
  for (int i = 0; i < 32; i++) fpk_put_be64(out + 42 + 8 * i, t->regs[i]);
}

void vm_thread_decode(vm_thread *t, const uint8_t in[FPVM_MIPS64_THREAD_SIZE]) {
  t->id = fpk_be64(in);
  t->exit_code = in[8];
  t->exited = in[9];
  t->pc = fpk_be64(in + 10);
  t->next_pc = fpk_be64(in + 18);
  t->lo = fpk_be64(in + 26);
  t->hi = fpk_be64(in + 34);
  for (int i = 0; i < 32; i++) t->regs[i] = fpk_be64(in + 42 + 8 * i);
}

void vm_thread_root(const uint8_t root[32], const vm_thread *t, uint8_t out[32]) {
  uint8_t buf[FPVM_MIPS64_THREAD_SIZE], th[32];
  vm_thread_encode(t, buf);
  fpk_keccak256(th, buf, sizeof buf);
  fpk_keccak256_node(out, root, th);
}

static uint8_t *active_root(vm_ctx *c) { return c->st.traverse_right ? c->st.right_root : c->st.left_root; }
static uint8_t *inactive_root(vm_ctx *c) { return c->st.traverse_right ? c->st.left_root : c->st.right_root; }

int vm_load_thread(vm_ctx *c) {
  if (c->calldata_size < VM_THREAD_OFF + FPVM_MIPS64_THREAD_SIZE)
    return vm_revert(c, "MIPS64: insufficient calldata for thread witness");
  uint8_t buf[FPVM_MIPS64_THREAD_SIZE];
  vm_calldata(c, VM_THREAD_OFF, buf, sizeof buf);
  vm_thread_decode(&c->th, buf);
  return FPK_OK;
}

int vm_inner_root(vm_ctx *c, uint8_t out[32]) {
  if (c->calldata_size < VM_INNER_OFF + 32)
    return vm_revert(c, "MIPS64: insufficient calldata for thread witness");
  vm_calldata(c, VM_INNER_OFF, out, 32);
  return FPK_OK;
}

int vm_validate_thread_witness(vm_ctx *c) {
  uint8_t inner[32], got[32];
  int rc = vm_inner_root(c, inner);
  if (rc) return rc;
  vm_thread_root(inner, &c->th, got);
  if (memcmp(got, active_root(c), 32) != 0) return vm_revert(c, "MIPS64: invalid thread witness");
  return FPK_OK;
}

int vm_update_current_thread_root(vm_ctx *c) {
  uint8_t inner[32];
  int rc = vm_inner_root(c, inner);
  if (rc) return rc;
  vm_thread_root(inner, &c->th, active_root(c));
  return FPK_OK;
}

/* Only a flip assigns traverseRight, and then it becomes a canonical 0/1. */
static void flip_if_active_empty(vm_ctx *c) {
  if (vm_root_is_empty(active_root(c))) c->st.traverse_right = c->st.traverse_right ? 0 : 1;
}

int vm_preempt_thread(vm_ctx *c) {
  if (vm_root_is_empty(active_root(c)))
    return vm_revert(c, c->st.traverse_right ? "MIPS64: empty right thread stack" : "MIPS64: empty left thread stack");
  uint8_t inner[32];
  int rc = vm_inner_root(c, inner);
  if (rc) return rc;
  memcpy(active_root(c), inner, 32);
  uint8_t *other = inactive_root(c);
  vm_thread_root(other, &c->th, other);
  flip_if_active_empty(c);
  c->st.steps_since_switch = 0;
  return FPK_OK;
}

int vm_pop_thread(vm_ctx *c) {
  uint8_t inner[32];
  int rc = vm_inner_root(c, inner);
  if (rc) return rc;
  memcpy(active_root(c), inner, 32);
  flip_if_active_empty(c);
  c->st.steps_since_switch = 0;
  return FPK_OK;
}

void vm_push_thread(vm_ctx *c, const vm_thread *t) {
  uint8_t *r = active_root(c);
  vm_thread_root(r, t, r);
  c->st.steps_since_switch = 0;
}

int vm_last_thread_remaining(vm_ctx *c, bool *out) {
  uint8_t inner[32];
  int rc = vm_inner_root(c, inner);
  if (rc) return rc;
  *out = vm_root_is_empty(inactive_root(c)) && vm_root_is_empty(inner);
  return FPK_OK;
}
