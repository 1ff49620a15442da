/* --debug: Cannon's call-stack tracker, rebuilt outside the engine. Before each step the instruction
 * about to run is classified the way Cannon's tracker sees it (j/jal/jalr and taken bltzal/bgezal
 * push, jr pops, clone pushes on the new thread, a popped exited thread drops its stack); the change is
 * applied after the step succeeded. One stack per thread id; printed by Traceback at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h"

#define SYS_CLONE 5055

typedef struct {
  uint64_t tid;
  uint64_t *target, *caller;
  size_t n, cap;
} tstack;

struct fpvm_run_tracer {
  const fpvm_meta *meta;
  tstack *v;
  size_t n, cap;
  /* pending action from the pre-state */
  enum { ACT_NONE, ACT_PUSH, ACT_POP, ACT_DROP, ACT_CLONE } act;
  uint64_t tid, pc, a, b;
  size_t threads_before;
};

fpvm_run_tracer *fpvm_run_tracer_create(const fpvm_meta *meta) {
  fpvm_run_tracer *t = calloc(1, sizeof *t);
  if (t) t->meta = meta;
  return t;
}

void fpvm_run_tracer_destroy(fpvm_run_tracer *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n; i++) {
    free(t->v[i].target);
    free(t->v[i].caller);
  }
  free(t->v);
  free(t);
}

static tstack *stack_of(fpvm_run_tracer *t, uint64_t tid) {
  for (size_t i = 0; i < t->n; i++)
    if (t->v[i].tid == tid) return &t->v[i];
  if (t->n == t->cap) {
    size_t c = t->cap ? 2 * t->cap : 4;
    tstack *v = realloc(t->v, c * sizeof *v);
    if (!v) return NULL;
    t->v = v;
    t->cap = c;
  }
  tstack *s = &t->v[t->n++];
  memset(s, 0, sizeof *s);
  s->tid = tid;
  return s;
}

static void push(fpvm_run_tracer *t, uint64_t tid, uint64_t caller, uint64_t target) {
  tstack *s = stack_of(t, tid);
  if (!s) return;
  if (s->n == s->cap) {
    size_t c = s->cap ? 2 * s->cap : 16;
    uint64_t *a = realloc(s->target, c * sizeof *a);
    if (!a) return;
    s->target = a;
    uint64_t *b = realloc(s->caller, c * sizeof *b);
    if (!b) return;
    s->caller = b;
    s->cap = c;
  }
  s->target[s->n] = target;
  s->caller[s->n] = caller;
  s->n++;
}

static void pop(fpvm_run_tracer *t, uint64_t tid, uint64_t pc, uint64_t step) {
  tstack *s = stack_of(t, tid);
  if (!s) return;
  if (!s->n) {
    printf("ERROR: stack underflow at pc=%llx. step=%llu\n", (unsigned long long)pc, (unsigned long long)step);
    return;
  }
  const char *fn = fpvm_meta_lookup(t->meta, pc);
  if (strcmp(fn, fpvm_meta_lookup(t->meta, s->target[s->n - 1])) == 0) {
    s->n--;
    return;
  }
  /* probably inlined: unwind to the innermost frame of the function we are in, if any */
  for (size_t i = s->n; i-- > 0;)
    if (strcmp(fpvm_meta_lookup(t->meta, s->target[i]), fn) == 0) {
      s->n = i;
      return;
    }
}

void fpvm_run_tracer_pre(fpvm_run_tracer *t, fpvm_mips64_state *s) {
  t->act = ACT_NONE;
  fpvm_mips64_thread *th = fpvm_mips64_active_thread(s);
  if (!th) return;
  t->tid = th->id;
  if (th->exited) {
    t->act = ACT_DROP;
    return;
  }
  if (s->steps_since_switch >= FPVM_MIPS64_SCHED_QUANTUM) return;
  uint64_t pc = th->pc, npc = th->next_pc;
  uint32_t insn = fpvm_mem_read32(s->mem, pc);
  unsigned op = insn >> 26, fun = insn & 0x3f, rs = (insn >> 21) & 31, rt = (insn >> 16) & 31;
  t->pc = pc;
  if (op == 2 || op == 3) {
    t->act = ACT_PUSH;
    t->a = pc;
    t->b = (npc & 0xFFFFFFFFF0000000ull) | ((uint64_t)(insn & 0x03FFFFFF) << 2);
  } else if (op == 0 && fun == 8) {
    t->act = ACT_POP;
  } else if (op == 0 && fun == 9) {
    t->act = ACT_PUSH;
    t->a = pc;
    t->b = th->regs[rs];
  } else if (op == 1 && (rt == 0x10 || rt == 0x11)) {
    bool neg = (th->regs[rs] >> 63) != 0;
    if (rt == 0x10 ? neg : !neg) {
      t->act = ACT_PUSH;
      t->a = pc;
      t->b = pc + 4 + ((uint64_t)(int64_t)(int16_t)(insn & 0xffff) << 2);
    }
  } else if (op == 0 && fun == 0x0c && th->regs[2] == SYS_CLONE) {
    t->act = ACT_CLONE;
    t->a = pc;
    t->b = npc;
    t->threads_before = fpvm_mips64_thread_count(s);
  }
}

void fpvm_run_tracer_post(fpvm_run_tracer *t, fpvm_mips64_state *s) {
  switch (t->act) {
  case ACT_PUSH: push(t, t->tid, t->a, t->b); break;
  case ACT_POP: pop(t, t->tid, t->pc, s->step); break;
  case ACT_DROP:
    for (size_t i = 0; i < t->n; i++)
      if (t->v[i].tid == t->tid) {
        free(t->v[i].target);
        free(t->v[i].caller);
        t->v[i] = t->v[--t->n];
        break;
      }
    break;
  case ACT_CLONE:
    if (fpvm_mips64_thread_count(s) > t->threads_before) {
      fpvm_mips64_thread *nt = fpvm_mips64_active_thread(s);
      if (nt) push(t, nt->id, t->a, t->b);
    }
    break;
  default: break;
  }
  t->act = ACT_NONE;
}

void fpvm_run_tracer_traceback(fpvm_run_tracer *t, fpvm_mips64_state *s) {
  fpvm_mips64_thread *th = fpvm_mips64_active_thread(s);
  printf("traceback at pc=%llx. step=%llu\n", (unsigned long long)(th ? th->pc : 0), (unsigned long long)s->step);
  tstack *st = th ? stack_of(t, th->id) : NULL;
  for (size_t k = 0; st && k < st->n; k++) {
    size_t i = st->n - 1 - k;
    printf("\t%zu %llx in %s caller=%08llx\n", k, (unsigned long long)st->target[i],
           fpvm_meta_lookup(t->meta, st->target[i]), (unsigned long long)st->caller[i]);
  }
  fflush(stdout);
}
