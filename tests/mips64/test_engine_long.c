/* A hand-assembled MIPS64 program (loop with loads/stores, self-modifying code, clock_gettime,
 * getrandom, clone + ll/sc + futex threads, forced preemption, exit) run to completion in run mode
 * and again step by step in proof mode: the final state hashes must agree, each proof's pre hash
 * must be the previous post hash, and the program's results must be the expected ones. */
#include "fpkit/mips64.h"
#include "test.h"

enum { ZERO = 0, V0 = 2, V1 = 3, A0 = 4, A1 = 5, A2 = 6, T0 = 8, T1 = 9, T2 = 10, T3 = 11, T4 = 12, T5 = 13,
       T6 = 14, S0 = 16, S2 = 18, RA = 31 };

#define CODE 0x1000ull
#define DATA 0x20000ull /* s0: futex flag @0, sum @8, ll/sc counter @0x10, results @0x18.. */
#define MAXI 256

typedef struct {
  uint32_t w[MAXI];
  unsigned n;
  int label[32];
  struct { unsigned at; int lab; bool jump; } fix[64];
  unsigned nfix;
} asm_t;

static void emit(asm_t *a, uint32_t w) { a->w[a->n++] = w; }
static void r3(asm_t *a, unsigned fn, unsigned rd, unsigned rs, unsigned rt) {
  emit(a, (uint32_t)(rs << 21 | rt << 16 | rd << 11 | fn));
}
static void imm(asm_t *a, unsigned op, unsigned rt, unsigned rs, uint32_t im) {
  emit(a, (uint32_t)(op << 26 | rs << 21 | rt << 16 | (im & 0xFFFF)));
}
static void br(asm_t *a, unsigned op, unsigned rs, unsigned rt, int lab) {
  a->fix[a->nfix].at = a->n;
  a->fix[a->nfix].lab = lab;
  a->fix[a->nfix++].jump = false;
  emit(a, (uint32_t)(op << 26 | rs << 21 | rt << 16));
}
static void jal(asm_t *a, int lab) {
  a->fix[a->nfix].at = a->n;
  a->fix[a->nfix].lab = lab;
  a->fix[a->nfix++].jump = true;
  emit(a, 3u << 26);
}
static void label(asm_t *a, int lab) { a->label[lab] = (int)a->n; }
static void nop(asm_t *a) { emit(a, 0); }
static void li(asm_t *a, unsigned rt, uint32_t v) { imm(a, 0x0D, rt, ZERO, v); } /* ori rt, zero, v */
static void syscall_(asm_t *a, uint32_t nr) {
  li(a, V0, nr);
  emit(a, 0x0C);
}
static void link_(asm_t *a) {
  for (unsigned i = 0; i < a->nfix; i++) {
    unsigned at = a->fix[i].at;
    uint64_t target = CODE + 4ull * (unsigned)a->label[a->fix[i].lab];
    if (a->fix[i].jump)
      a->w[at] |= (uint32_t)((target >> 2) & 0x03FFFFFF);
    else
      a->w[at] |= (uint32_t)(((int64_t)target - (int64_t)(CODE + 4ull * at + 4)) / 4) & 0xFFFF;
  }
}

enum { L_LOOP, L_SUB, L_CHILD, L_WAIT, L_DONE, L_CL };

#define LOOP_N 400
#define CHILD_N 40

static void assemble(asm_t *a) {
  memset(a, 0, sizeof *a);
  imm(a, 0x0F, S0, 0, DATA >> 16); /* lui s0, 2 */
  li(a, T0, 0);
  li(a, T1, LOOP_N);
  label(a, L_LOOP);
  r3(a, 0x2D, T2, T2, T0);   /* daddu t2, t2, t0 */
  imm(a, 0x3F, T2, S0, 8);   /* sd t2, 8(s0) */
  imm(a, 0x37, T3, S0, 8);   /* ld t3, 8(s0) */
  imm(a, 0x09, T0, T0, 1);   /* addiu t0, t0, 1 */
  br(a, 0x05, T0, T1, L_LOOP); /* bne t0, t1, loop */
  nop(a);
  /* call SUB, patch its first instruction, call it again: the new code must run */
  jal(a, L_SUB);
  nop(a);
  r3(a, 0x2D, S2, S2, V1);            /* daddu s2, s2, v1 */
  imm(a, 0x0F, T4, 0, 0x3403);        /* lui t4, 0x3403 */
  imm(a, 0x0D, T4, T4, 0x0077);       /* ori t4, t4, 0x77  -> "ori v1, zero, 0x77" */
  a->fix[a->nfix].at = a->n;           /* ori t5, zero, %lo(SUB) (patched below) */
  li(a, T5, 0);
  unsigned sub_addr_at = a->n - 1;
  imm(a, 0x2B, T4, T5, 0);            /* sw t4, 0(t5) */
  jal(a, L_SUB);
  nop(a);
  r3(a, 0x2D, S2, S2, V1);            /* daddu s2, s2, v1 */
  /* clock_gettime(MONOTONIC, s0+0x100); getrandom(s0+0x203, 4) */
  li(a, A0, 1);
  imm(a, 0x19, A1, S0, 0x100);        /* daddiu a1, s0, 0x100 */
  syscall_(a, 5222);
  imm(a, 0x19, A0, S0, 0x203);
  li(a, A1, 4);
  syscall_(a, 5313);
  /* clone(0x50F00, 0x30000) */
  imm(a, 0x0F, A0, 0, 5);             /* lui a0, 5 */
  imm(a, 0x0D, A0, A0, 0x0F00);
  imm(a, 0x0F, A1, 0, 3);             /* lui a1, 3 */
  syscall_(a, 5055);
  br(a, 0x04, V0, ZERO, L_CHILD);     /* beq v0, zero, child */
  nop(a);
  label(a, L_WAIT);
  imm(a, 0x23, T5, S0, 0);            /* lw t5, 0(s0) */
  br(a, 0x05, T5, ZERO, L_DONE);      /* bne t5, zero, done */
  nop(a);
  r3(a, 0x2D, A0, S0, ZERO);          /* daddu a0, s0, zero */
  li(a, A1, 128);
  li(a, A2, 0);
  syscall_(a, 5194);                  /* futex wait */
  br(a, 0x04, ZERO, ZERO, L_WAIT);
  nop(a);
  label(a, L_DONE);
  for (int i = 0; i < 3; i++) syscall_(a, 5023); /* sched_yield: let the child run its exit */
  imm(a, 0x37, T6, S0, 0x10);         /* ld t6, 0x10(s0) */
  imm(a, 0x3F, T6, S0, 0x18);         /* sd t6, 0x18(s0) */
  imm(a, 0x3F, S2, S0, 0x20);         /* sd s2, 0x20(s0) */
  li(a, A0, 0);
  syscall_(a, 5205);                  /* exit_group(0) */
  label(a, L_CHILD);
  li(a, T0, 0);
  li(a, T1, CHILD_N);
  label(a, L_CL);
  imm(a, 0x30, T2, S0, 0x10);         /* ll t2, 0x10(s0) */
  imm(a, 0x09, T2, T2, 1);
  imm(a, 0x38, T2, S0, 0x10);         /* sc t2, 0x10(s0) */
  br(a, 0x04, T2, ZERO, L_CL);
  nop(a);
  imm(a, 0x09, T0, T0, 1);
  syscall_(a, 5023);                  /* sched_yield */
  br(a, 0x05, T0, T1, L_CL);
  nop(a);
  li(a, T3, 1);
  imm(a, 0x2B, T3, S0, 0);            /* sw t3, 0(s0): flag */
  r3(a, 0x2D, A0, S0, ZERO);
  li(a, A1, 129);
  syscall_(a, 5194);                  /* futex wake */
  li(a, A0, 0);
  syscall_(a, 5058);                  /* exit(0) */
  label(a, L_SUB);
  li(a, V1, 0x11);                    /* ori v1, zero, 0x11 (patched to 0x77) */
  r3(a, 0x08, 0, RA, 0);              /* jr ra */
  nop(a);
  link_(a);
  a->w[sub_addr_at] |= (uint32_t)(CODE + 4ull * (unsigned)a->label[L_SUB]);
}

static fpvm_mips64_state *program_state(void) {
  asm_t a;
  assemble(&a);
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(CODE, FPVM_MIPS64_HEAP_START);
  uint8_t buf[4 * MAXI];
  for (unsigned i = 0; i < a.n; i++) fpk_put_be32(buf + 4 * i, a.w[i]);
  CHECK_EQ_U64(fpvm_mem_set_range(s->mem, CODE, buf, 4 * a.n), FPK_OK);
  s->step = 12340000;              /* clock_gettime sees a non-trivial time */
  s->steps_since_switch = 99500;   /* forced preemption happens early in the run */
  return s;
}

static void check_results(fpvm_mips64_state *s) {
  CHECK_EQ_U64(s->exited, 1);
  CHECK_EQ_U64(s->exit_code, 0);
  CHECK_EQ_U64(fpvm_mem_read64(s->mem, DATA + 8), (uint64_t)LOOP_N * (LOOP_N - 1) / 2);
  CHECK_EQ_U64(fpvm_mem_read64(s->mem, DATA + 0x18), (uint64_t)CHILD_N << 32); /* ll/sc counter (upper half) */
  CHECK_EQ_U64(fpvm_mem_read64(s->mem, DATA + 0x20), 0x11 + 0x77);            /* self-modified code ran */
  CHECK_EQ_U64(fpvm_mips64_thread_count(s), 1);
  CHECK_EQ_U64(s->next_thread_id, 2);
  uint64_t secs = fpvm_mem_read64(s->mem, DATA + 0x100), ns = fpvm_mem_read64(s->mem, DATA + 0x108);
  CHECK_EQ_U64(secs, 1);
  CHECK(ns > 0 && ns < 1000000000ull && ns % 100 == 0);
  CHECK(fpvm_mem_read64(s->mem, DATA + 0x200) != 0); /* getrandom wrote bytes 3..6 */
  CHECK_EQ_U64(fpvm_mem_read64(s->mem, DATA + 0x200) & 0xFFFFFF00000000FFull, 0);
}

static void test_engine_long_run_vs_proof(void) {
  /* run mode */
  fpvm_mips64_vm *run = fpvm_mips64_vm_create(program_state());
  uint64_t done = 0;
  CHECK_EQ_U64(fpvm_mips64_run(run, 100000, false, &done), FPK_OK);
  fpvm_mips64_state *rs = fpvm_mips64_vm_state(run);
  check_results(rs);
  CHECK(done > 2000 && done < 100000);
  CHECK(fpvm_mips64_vm_stats(run)->forced_preemption_count >= 1);
  CHECK(fpvm_mips64_vm_stats(run)->rmw_success_count == CHILD_N);
  CHECK_EQ_U64(fpvm_mips64_vm_stats(run)->rmw_fail_count, 0);
  CHECK_EQ_U64(fpvm_mips64_vm_stats(run)->max_steps_between_ll_and_sc, 2); /* ll; addiu; sc */
  CHECK(fpvm_mips64_vm_stats(run)->idle_step_count_thread_0 > 0);          /* main waited on the futex */
  uint8_t h_run[32], h_proof[32];
  fpvm_mips64_state_hash(rs, h_run);

  /* proof mode, step by step */
  fpvm_mips64_vm *pv = fpvm_mips64_vm_create(program_state());
  fpvm_mips64_proof *p = calloc(1, sizeof *p);
  uint8_t prev_post[32];
  uint64_t n = 0;
  bool chain_ok = true, used_slot2 = false;
  while (!fpvm_mips64_vm_state(pv)->exited && n < 100000) {
    int rc = fpvm_mips64_step(pv, p);
    if (rc != FPK_OK) {
      CHECK_EQ_U64(rc, FPK_OK);
      break;
    }
    if (n && memcmp(prev_post, p->pre_hash, 32) != 0) chain_ok = false;
    if (fpvm_mips64_vm_slots_used(pv) & 4u) used_slot2 = true;
    memcpy(prev_post, p->post_hash, 32);
    n++;
  }
  CHECK(chain_ok);
  CHECK(used_slot2);
  CHECK_EQ_U64(n, done);
  fpvm_mips64_state *ps = fpvm_mips64_vm_state(pv);
  check_results(ps);
  fpvm_mips64_state_hash(ps, h_proof);
  CHECK(memcmp(h_run, h_proof, 32) == 0);
  CHECK(memcmp(prev_post, h_proof, 32) == 0);
  /* an exited state steps as a no-op */
  CHECK_EQ_U64(fpvm_mips64_step(pv, p), FPK_OK);
  CHECK(memcmp(p->pre_hash, p->post_hash, 32) == 0);
  fpvm_mips64_proof_clear(p);
  free(p);
  fpvm_mips64_vm_destroy(run);
  fpvm_mips64_vm_destroy(pv);
}

/* Mixed: alternate chunks of run mode and proof steps; the end state is the same. */
static void test_engine_long_mixed(void) {
  fpvm_mips64_vm *a = fpvm_mips64_vm_create(program_state());
  fpvm_mips64_vm *b = fpvm_mips64_vm_create(program_state());
  uint64_t done;
  CHECK_EQ_U64(fpvm_mips64_run(a, 100000, false, &done), FPK_OK);
  fpvm_mips64_proof *p = calloc(1, sizeof *p);
  while (!fpvm_mips64_vm_state(b)->exited) {
    uint64_t d = 0;
    if (fpvm_mips64_run(b, 97, false, &d) != FPK_OK) break;
    if (fpvm_mips64_vm_state(b)->exited) break;
    if (fpvm_mips64_step(b, p) != FPK_OK) break;
  }
  uint8_t ha[32], hb[32];
  fpvm_mips64_state_hash(fpvm_mips64_vm_state(a), ha);
  fpvm_mips64_state_hash(fpvm_mips64_vm_state(b), hb);
  CHECK(memcmp(ha, hb, 32) == 0);
  check_results(fpvm_mips64_vm_state(b));
  fpvm_mips64_proof_clear(p);
  free(p);
  fpvm_mips64_vm_destroy(a);
  fpvm_mips64_vm_destroy(b);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_engine_long_run_vs_proof);
  RUN(test_engine_long_mixed);
  return fpk_test_main_end();
}
