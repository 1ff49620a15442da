/* MT-Cannon v8 state: creation, copies, the two thread stacks and their hash onions, the 188-byte
 * witness and the state hash (cannon.md §1.2-§1.5, §1.7). */
#include <stdlib.h>
#include <string.h>

#include "fpkit/keccak.h"
#include "fpkit/mips64.h"

fpvm_mips64_state *fpvm_mips64_state_create_initial(uint64_t pc, uint64_t heap) {
  fpvm_mips64_state *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->mem = fpvm_mem_create();
  if (!s->mem) {
    free(s);
    return NULL;
  }
  s->heap = heap;
  s->next_thread_id = 1;
  fpvm_mips64_thread t;
  memset(&t, 0, sizeof t);
  t.pc = pc;
  t.next_pc = pc + 4;
  if (fpvm_mips64_stack_push(&s->left, &t) != FPK_OK) {
    fpvm_mips64_state_destroy(s);
    return NULL;
  }
  return s;
}

fpvm_mips64_state *fpvm_mips64_state_create_empty(void) { return fpvm_mips64_state_create_initial(0, 0); }

void fpvm_mips64_state_destroy(fpvm_mips64_state *s) {
  if (!s) return;
  fpvm_mem_destroy(s->mem);
  free(s->left.v);
  free(s->right.v);
  free(s->last_hint);
  free(s);
}

static int stack_copy(fpvm_mips64_stack *dst, const fpvm_mips64_stack *src) {
  memset(dst, 0, sizeof *dst);
  if (!src->n) return FPK_OK;
  dst->v = malloc(src->n * sizeof *dst->v);
  if (!dst->v) return FPK_ENOMEM;
  memcpy(dst->v, src->v, src->n * sizeof *dst->v);
  dst->n = dst->cap = src->n;
  return FPK_OK;
}

fpvm_mips64_state *fpvm_mips64_state_clone(const fpvm_mips64_state *s) {
  fpvm_mips64_state *c = malloc(sizeof *c);
  if (!c) return NULL;
  *c = *s;
  c->mem = NULL;
  c->left = (fpvm_mips64_stack){0};
  c->right = (fpvm_mips64_stack){0};
  c->last_hint = NULL;
  c->last_hint_len = c->last_hint_cap = 0;
  c->mem = s->mem ? fpvm_mem_clone(s->mem) : fpvm_mem_create();
  if (!c->mem || stack_copy(&c->left, &s->left) || stack_copy(&c->right, &s->right)) goto fail;
  if (s->last_hint_len) {
    c->last_hint = malloc(s->last_hint_len);
    if (!c->last_hint) goto fail;
    memcpy(c->last_hint, s->last_hint, s->last_hint_len);
    c->last_hint_len = c->last_hint_cap = s->last_hint_len;
  }
  return c;
fail:
  fpvm_mips64_state_destroy(c);
  return NULL;
}

int fpvm_mips64_stack_push(fpvm_mips64_stack *st, const fpvm_mips64_thread *t) {
  if (st->n == st->cap) {
    size_t ncap = st->cap ? st->cap * 2 : 4;
    if (ncap > SIZE_MAX / sizeof *st->v) return fpk_errf(FPK_ENOMEM, "thread stack: too many threads");
    fpvm_mips64_thread *nv = realloc(st->v, ncap * sizeof *nv);
    if (!nv) return fpk_errf(FPK_ENOMEM, "thread stack: out of memory");
    st->v = nv;
    st->cap = ncap;
  }
  st->v[st->n++] = *t;
  return FPK_OK;
}

size_t fpvm_mips64_thread_count(const fpvm_mips64_state *s) { return s->left.n + s->right.n; }

int fpvm_mips64_preempt(fpvm_mips64_state *s) {
  fpvm_mips64_stack *act = fpvm_mips64_active_stack(s);
  fpvm_mips64_stack *oth = s->traverse_right ? &s->left : &s->right;
  if (!act->n) return fpk_errf(FPK_EINVAL, "preempt: active thread stack is empty");
  int rc = fpvm_mips64_stack_push(oth, &act->v[act->n - 1]);
  if (rc) return rc;
  act->n--;
  /* a flip always leaves a canonical 0/1 byte, even when the pre-state held 2 (cannon.md §14.4) */
  if (!act->n) s->traverse_right = s->traverse_right ? 0 : 1;
  s->steps_since_switch = 0;
  return FPK_OK;
}

void fpvm_mips64_pop_thread(fpvm_mips64_state *s) {
  fpvm_mips64_stack *act = fpvm_mips64_active_stack(s);
  if (act->n) act->n--;
  if (!act->n) s->traverse_right = s->traverse_right ? 0 : 1;
  s->steps_since_switch = 0;
}

int fpvm_mips64_push_thread(fpvm_mips64_state *s, const fpvm_mips64_thread *t) {
  int rc = fpvm_mips64_stack_push(fpvm_mips64_active_stack(s), t);
  if (rc) return rc;
  s->steps_since_switch = 0;
  return FPK_OK;
}

void fpvm_mips64_thread_encode(const fpvm_mips64_thread *t, uint8_t out[FPVM_MIPS64_THREAD_SIZE]) {
  fpk_put_be64(out, t->id);
  out[8] = t->exit_code;
  out[9] = t->exited;
  fpk_put_be64(out + 10, t->pc);
  fpk_put_be64(out + 18, t->next_pc);
  fpk_put_be64(out + 26, t->lo);
  fpk_put_be64(out + 34, t->hi);
  for (int i = 0; i < 32; i++) fpk_put_be64(out + 42 + 8 * i, t->regs[i]);
}

void fpvm_mips64_thread_decode(fpvm_mips64_thread *t, const uint8_t in[FPVM_MIPS64_THREAD_SIZE]) {
  t->id = fpk_be64(in);
  t->exit_code = in[8];
  t->exited = in[9];
  t->pc = fpk_be64(in + 10);
  t->next_pc = fpk_be64(in + 18);
  t->lo = fpk_be64(in + 26);
  t->hi = fpk_be64(in + 34);
  for (int i = 0; i < 32; i++) t->regs[i] = fpk_be64(in + 42 + 8 * i);
}

void fpvm_mips64_thread_hash(const fpvm_mips64_thread *t, uint8_t out[32]) {
  uint8_t b[FPVM_MIPS64_THREAD_SIZE];
  fpvm_mips64_thread_encode(t, b);
  fpk_keccak256(out, b, sizeof b);
}

void fpvm_mips64_stack_root(const fpvm_mips64_stack *st, size_t n, uint8_t out[32]) {
  uint8_t r[32], h[32];
  static const uint8_t zero[32];
  fpk_keccak256_node(r, zero, zero); /* EMPTY_THREAD_ROOT */
  if (n > st->n) n = st->n;
  for (size_t i = 0; i < n; i++) {
    fpvm_mips64_thread_hash(&st->v[i], h);
    fpk_keccak256_node(r, r, h);
  }
  memcpy(out, r, 32);
}

void fpvm_mips64_state_witness(fpvm_mips64_state *s, uint8_t out[FPVM_MIPS64_WITNESS_SIZE]) {
  fpvm_mem_root(s->mem, out);
  memcpy(out + 32, s->preimage_key, 32);
  fpk_put_be64(out + 64, s->preimage_offset);
  fpk_put_be64(out + 72, s->heap);
  out[80] = s->ll_status;
  fpk_put_be64(out + 81, s->ll_address);
  fpk_put_be64(out + 89, s->ll_owner);
  out[97] = s->exit_code;
  out[98] = s->exited;
  fpk_put_be64(out + 99, s->step);
  fpk_put_be64(out + 107, s->steps_since_switch);
  out[115] = s->traverse_right;
  fpvm_mips64_stack_root(&s->left, s->left.n, out + 116);
  fpvm_mips64_stack_root(&s->right, s->right.n, out + 148);
  fpk_put_be64(out + 180, s->next_thread_id);
}

uint8_t fpvm_mips64_status(uint8_t exited, uint8_t exit_code) {
  if (!exited) return FPVM_STATUS_UNFINISHED;
  if (exit_code == 0) return FPVM_STATUS_VALID;
  if (exit_code == 1) return FPVM_STATUS_INVALID;
  return FPVM_STATUS_PANIC;
}

void fpvm_mips64_witness_hash(const uint8_t witness[FPVM_MIPS64_WITNESS_SIZE], uint8_t out[32]) {
  fpk_keccak256(out, witness, FPVM_MIPS64_WITNESS_SIZE);
  /* Go's stateHashFromWitness counts only exited == 1 as exited (the contract rejects values > 1) */
  out[0] = fpvm_mips64_status(witness[98] == 1, witness[97]);
}

void fpvm_mips64_state_hash(fpvm_mips64_state *s, uint8_t out[32]) {
  uint8_t w[FPVM_MIPS64_WITNESS_SIZE];
  fpvm_mips64_state_witness(s, w);
  fpvm_mips64_witness_hash(w, out);
}

int fpvm_mips64_thread_witness(fpvm_mips64_state *s, uint8_t out[FPVM_MIPS64_THREAD_SIZE + 32]) {
  fpvm_mips64_stack *st = fpvm_mips64_active_stack(s);
  if (!st->n) return fpk_errf(FPK_EINVAL, "thread witness: active thread stack is empty");
  fpvm_mips64_thread_encode(&st->v[st->n - 1], out);
  fpvm_mips64_stack_root(st, st->n - 1, out + FPVM_MIPS64_THREAD_SIZE);
  return FPK_OK;
}
