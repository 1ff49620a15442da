/* Syscall behaviour the step vectors do not pin down by themselves: host-facing I/O (output
 * callback, hint framing, preimage caching, no-oracle panic), run-loop preimage stops, decode-cache
 * invalidation by syscall writes, and the small tables (fcntl, mmap, exit vs exit_group, clone). */
#include "fpkit/mips64.h"
#include "test.h"

/* syscall at pc 0x100 with the given registers */
static fpvm_mips64_vm *mk_sys(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2) {
  fpvm_mips64_state *s = fpvm_mips64_state_create_empty();
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  t->pc = 0x100;
  t->next_pc = 0x104;
  t->regs[2] = nr;
  t->regs[4] = a0;
  t->regs[5] = a1;
  t->regs[6] = a2;
  t->regs[7] = 0x5555;
  fpvm_mem_write64(s->mem, 0x100, 0x0000000C0000000Cull); /* syscall; syscall */
  return fpvm_mips64_vm_create(s);
}
static fpvm_mips64_state *st(fpvm_mips64_vm *vm) { return fpvm_mips64_vm_state(vm); }
static fpvm_mips64_thread *th(fpvm_mips64_vm *vm) { return fpvm_mips64_active_thread(st(vm)); }

/* v0/a3 after one syscall step */
static void sys_result(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t want_v0, bool want_err) {
  fpvm_mips64_vm *vm = mk_sys(nr, a0, a1, a2);
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(th(vm)->regs[2], want_v0);
  CHECK_EQ_U64(th(vm)->regs[7], want_err ? ~0ull : 0);
  CHECK_EQ_U64(th(vm)->pc, 0x104);
  fpvm_mips64_vm_destroy(vm);
}

static void test_syscall_tables(void) {
  for (uint64_t fd = 0; fd < 8; fd++) {
    sys_result(5070, fd, 1, 0, fd <= 6 ? 0 : 9, fd > 6); /* F_GETFD */
    uint64_t fl = (fd == 0 || fd == 3 || fd == 5) ? 0 : (fd <= 6 ? 1 : 9);
    sys_result(5070, fd, 3, 0, fl, fd > 6); /* F_GETFL */
  }
  sys_result(5070, 100, 1, 0, 9, true);
  sys_result(5070, 0, 4, 0, 22, true); /* other cmd: EINVAL */
  sys_result(5012, 0, 0, 0, 0x400000000000ull, false); /* brk */
  sys_result(5038, 0, 0, 0, 0, false);                 /* getpid */
  sys_result(5178, 0, 0, 0, 0, false);                 /* gettid */
  sys_result(5002, 0, 0, 0, 9, true);                  /* open */
  sys_result(5284, 0, 0x80, 0, 100, false);            /* eventfd2 nonblocking */
  sys_result(5284, 0, 0, 0, 22, true);
  sys_result(5000, 100, 0x1000, 8, 11, true); /* eventfd read/write: EAGAIN */
  sys_result(5001, 100, 0x1000, 8, 11, true);
  sys_result(5000, 0, 0x1000, 8, 0, false);   /* stdin */
  sys_result(5000, 3, 0x1000, 77, 77, false); /* hint ack read */
  sys_result(5000, 1, 0x1000, 8, 9, true);
  sys_result(5001, 0, 0x1000, 8, 9, true);
  sys_result(5001, 5, 0x1000, 8, 9, true);
  sys_result(5000, 6, 0x1000, 8, 9, true);
  sys_result(5194, 0x1000, 7, 0, 22, true); /* futex: unknown op */
  sys_result(5194, 0x1000, 128, 5, 11, true); /* futex wait, value mismatch: EAGAIN */
  sys_result(5222, 2, 0x1000, 0, 22, true);   /* clock_gettime: bad clock */
  static const uint64_t noops[] = {5011, 5010, 5196, 5027, 5014, 5129, 5013, 5297, 5003, 5016, 5004, 5005, 5247,
                                   5087, 5257, 5015, 5285, 5287, 5208, 5272, 5061, 5100, 5102, 5026, 5225, 5036,
                                   5216, 5217, 5220, 5095, 5008};
  for (size_t i = 0; i < sizeof noops / sizeof noops[0]; i++) sys_result(noops[i], 1, 2, 3, 0, false);
  /* unknown → panic */
  static const uint64_t bad[] = {4001, 5006, 5435, 0, 5000ull | (1ull << 32)};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    fpvm_mips64_vm *vm = mk_sys(bad[i], 0, 0, 0);
    CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_EPANIC);
    fpvm_mips64_vm_destroy(vm);
  }
}

static void test_syscall_mmap(void) {
  fpvm_mips64_vm *vm = mk_sys(5009, 0, 0x1001, 0);
  st(vm)->heap = FPVM_MIPS64_HEAP_START;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(th(vm)->regs[2], FPVM_MIPS64_HEAP_START);
  CHECK_EQ_U64(st(vm)->heap, FPVM_MIPS64_HEAP_START + 0x2000);
  fpvm_mips64_vm_destroy(vm);
  vm = mk_sys(5009, 0xc000000000ull, 0x1001, 0); /* hint honoured, heap unchanged */
  st(vm)->heap = 0x5000;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(th(vm)->regs[2], 0xc000000000ull);
  CHECK_EQ_U64(st(vm)->heap, 0x5000);
  fpvm_mips64_vm_destroy(vm);
  vm = mk_sys(5009, 0, 0x1000, 0); /* past HEAP_END */
  st(vm)->heap = FPVM_MIPS64_HEAP_END - 0x1000 + 8;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(th(vm)->regs[2], 22);
  CHECK_EQ_U64(th(vm)->regs[7], ~0ull);
  CHECK_EQ_U64(st(vm)->heap, FPVM_MIPS64_HEAP_END - 0x1000 + 8);
  fpvm_mips64_vm_destroy(vm);
  vm = mk_sys(5009, 0, ~0ull - 5, 0); /* rounding overflow */
  st(vm)->heap = FPVM_MIPS64_HEAP_START;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(th(vm)->regs[2], 22);
  fpvm_mips64_vm_destroy(vm);
}

static void test_syscall_exit_and_clone(void) {
  fpvm_mips64_vm *vm = mk_sys(5205, 0x103, 0, 0); /* exit_group */
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(st(vm)->exited, 1);
  CHECK_EQ_U64(st(vm)->exit_code, 3);
  CHECK_EQ_U64(th(vm)->pc, 0x100);
  uint64_t step = st(vm)->step;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK); /* exited: no-op */
  CHECK_EQ_U64(st(vm)->step, step);
  fpvm_mips64_vm_destroy(vm);

  vm = mk_sys(5055, 0x50F00, 0x7000, 0); /* clone, then the child exits: thread only */
  th(vm)->regs[9] = 99;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(fpvm_mips64_thread_count(st(vm)), 2);
  fpvm_mips64_thread *c = th(vm);
  CHECK_EQ_U64(c->id, 1);
  CHECK_EQ_U64(c->pc, 0x104);
  CHECK_EQ_U64(c->next_pc, 0x108);
  CHECK_EQ_U64(c->regs[29], 0x7000);
  CHECK_EQ_U64(c->regs[2], 0);
  CHECK_EQ_U64(c->regs[7], 0);
  CHECK_EQ_U64(c->regs[9], 99);
  CHECK_EQ_U64(st(vm)->left.v[0].regs[2], 1); /* parent got the child id */
  CHECK_EQ_U64(st(vm)->left.v[0].pc, 0x104);
  CHECK_EQ_U64(st(vm)->next_thread_id, 2);
  c->regs[2] = 5058; /* the child's next insn is the second syscall: exit(7) */
  c->regs[4] = 7;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(st(vm)->exited, 0);
  CHECK_EQ_U64(th(vm)->exited, 1);
  CHECK_EQ_U64(th(vm)->exit_code, 7);
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK); /* pop */
  CHECK_EQ_U64(fpvm_mips64_thread_count(st(vm)), 1);
  CHECK_EQ_U64(th(vm)->id, 0);
  fpvm_mips64_vm_destroy(vm);

  vm = mk_sys(5058, 9, 0, 0); /* exit of the last thread exits the VM */
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(st(vm)->exited, 1);
  CHECK_EQ_U64(st(vm)->exit_code, 9);
  fpvm_mips64_vm_destroy(vm);

  vm = mk_sys(5055, 0x50F01, 0x7000, 0); /* bad flags: VM exits with 2 */
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(st(vm)->exited, 1);
  CHECK_EQ_U64(st(vm)->exit_code, 2);
  CHECK_EQ_U64(fpvm_mips64_thread_count(st(vm)), 1);
  fpvm_mips64_vm_destroy(vm);
}

/* ---- host-facing I/O */
typedef struct {
  uint8_t out[2][256];
  size_t outn[2];
  uint8_t hints[8][64];
  size_t hintn[8];
  int nhints, gets;
  uint8_t key[32];
  const uint8_t *val;
  size_t len;
} host;

static void out_cb(void *ctx, int fd, const uint8_t *b, size_t n) {
  host *h = ctx;
  int i = fd == 2;
  if (h->outn[i] + n <= sizeof h->out[i]) memcpy(h->out[i] + h->outn[i], b, n);
  h->outn[i] += n;
}
static int hint_cb(void *ctx, const uint8_t *d, size_t n) {
  host *h = ctx;
  if (h->nhints < 8 && n <= 64) {
    memcpy(h->hints[h->nhints], d, n);
    h->hintn[h->nhints] = n;
  }
  h->nhints++;
  return FPK_OK;
}
static int get_cb(void *ctx, const uint8_t key[32], uint8_t **out, size_t *len) {
  host *h = ctx;
  h->gets++;
  if (memcmp(key, h->key, 32)) return FPK_ENOTFOUND;
  *out = malloc(h->len + 1);
  memcpy(*out, h->val, h->len);
  *len = h->len;
  return FPK_OK;
}

static void test_syscall_output_and_hints(void) {
  host h = {0};
  fpvm_oracle o = {.ctx = &h, .hint = hint_cb, .get = get_cb};
  fpvm_mips64_vm *vm = mk_sys(5001, 1, 0x2FFC, 8); /* stdout write across a page boundary */
  CHECK_EQ_U64(fpvm_mem_set_range(st(vm)->mem, 0x2FFC, "hello wo", 8), FPK_OK);
  fpvm_mips64_vm_set_output(vm, out_cb, &h);
  fpvm_mips64_vm_set_oracle(vm, &o);
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(th(vm)->regs[2], 8);
  CHECK_EQ_U64(h.outn[0], 8);
  CHECK(memcmp(h.out[0], "hello wo", 8) == 0);
  /* hints: "\0\0\0\3abc\0\0\0\2d" then "e": one hint now, the second after the next write */
  fpvm_mips64_thread *t = th(vm);
  CHECK_EQ_U64(fpvm_mem_set_range(st(vm)->mem, 0x5000, "\0\0\0\3abc\0\0\0\2d", 12), FPK_OK);
  CHECK_EQ_U64(fpvm_mem_set_range(st(vm)->mem, 0x6000, "e", 1), FPK_OK);
  fpvm_mips64_vm_memory_changed(vm);
  t->regs[2] = 5001;
  t->regs[4] = 4;
  t->regs[5] = 0x5000;
  t->regs[6] = 12;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(t->regs[2], 12);
  CHECK_EQ_U64(h.nhints, 1);
  CHECK_EQ_U64(h.hintn[0], 3);
  CHECK(memcmp(h.hints[0], "abc", 3) == 0);
  CHECK_EQ_U64(st(vm)->last_hint_len, 5);
  t->pc = 0x100;
  t->next_pc = 0x104;
  t->regs[2] = 5001;
  t->regs[5] = 0x6000;
  t->regs[6] = 1;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
  CHECK_EQ_U64(h.nhints, 2);
  CHECK_EQ_U64(h.hintn[1], 2);
  CHECK(memcmp(h.hints[1], "de", 2) == 0);
  CHECK_EQ_U64(st(vm)->last_hint_len, 0);
  fpvm_mips64_vm_destroy(vm);
}

static void test_syscall_preimage(void) {
  static const uint8_t data[] = "0123456789abcdefghij"; /* 20 bytes */
  host h = {0};
  h.key[0] = 2;
  h.key[31] = 0x42;
  h.val = data;
  h.len = 20;
  fpvm_oracle o = {.ctx = &h, .hint = hint_cb, .get = get_cb};
  /* key via fd 6: four 8-byte writes of the key bytes */
  fpvm_mips64_vm *vm = mk_sys(5001, 6, 0x3000, 8);
  fpvm_mips64_vm_set_oracle(vm, &o);
  CHECK_EQ_U64(fpvm_mem_set_range(st(vm)->mem, 0x3000, h.key, 32), FPK_OK);
  st(vm)->preimage_offset = 5;
  fpvm_mips64_thread *t = th(vm);
  for (int i = 0; i < 4; i++) {
    t->pc = 0x100;
    t->next_pc = 0x104;
    t->regs[2] = 5001;
    t->regs[5] = 0x3000 + 8 * (uint64_t)i;
    t->regs[6] = 100; /* truncated to 8 */
    CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
    CHECK_EQ_U64(t->regs[2], 8);
  }
  CHECK(memcmp(st(vm)->preimage_key, h.key, 32) == 0);
  CHECK_EQ_U64(st(vm)->preimage_offset, 0);
  /* read it all back through fd 5 in run mode, stopping after each read */
  uint8_t got[28];
  size_t gotn = 0;
  int reads = 0;
  fpvm_mem_write64(st(vm)->mem, 0x100, 0x0000000C00000000ull);
  fpvm_mips64_vm_memory_changed(vm);
  while (gotn < 28 && reads < 10) {
    t = th(vm);
    t->pc = 0x100;
    t->next_pc = 0x104;
    t->regs[2] = 5000;
    t->regs[4] = 5;
    t->regs[5] = 0x4000 + 3; /* misaligned: at most 5 bytes per read */
    t->regs[6] = 64;
    uint64_t done = 0;
    CHECK_EQ_U64(fpvm_mips64_run(vm, 5, true, &done), FPK_OK);
    CHECK_EQ_U64(done, 1);
    const fpvm_mips64_stats *ss = fpvm_mips64_vm_stats(vm);
    CHECK(ss->last_step_read_preimage);
    CHECK_EQ_U64(ss->last_preimage_offset, gotn);
    CHECK_EQ_U64(ss->last_preimage_len, 28);
    uint64_t n = t->regs[2];
    CHECK(n >= 1 && n <= 5);
    uint8_t w[8];
    fpk_put_be64(w, fpvm_mem_read64(st(vm)->mem, 0x4000));
    memcpy(got + gotn, w + 3, n);
    gotn += n;
    reads++;
  }
  CHECK_EQ_U64(gotn, 28);
  CHECK_EQ_U64(fpk_be64(got), 20);
  CHECK(memcmp(got + 8, data, 20) == 0);
  CHECK_EQ_U64(h.gets, 1); /* cached for the current key */
  CHECK_EQ_U64(fpvm_mips64_vm_stats(vm)->num_preimage_requests, 1);
  /* offset == 8 + len: panic */
  t->pc = 0x100;
  t->next_pc = 0x104;
  t->regs[2] = 5000;
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_EPANIC);
  fpvm_mips64_vm_destroy(vm);

  /* no oracle: a preimage read is a panic */
  vm = mk_sys(5000, 5, 0x4000, 8);
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_EPANIC);
  CHECK(strstr(fpvm_mips64_vm_panic_reason(vm), "oracle") != NULL);
  fpvm_mips64_vm_destroy(vm);
  /* unknown key: the oracle's error comes back */
  vm = mk_sys(5000, 5, 0x4000, 8);
  fpvm_mips64_vm_set_oracle(vm, &o);
  CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_ENOTFOUND);
  fpvm_mips64_vm_destroy(vm);
}

/* A preimage read that lands in a code page that was already executed: the new bytes must run. */
static void test_syscall_write_invalidates_code(void) {
  static const uint8_t insn[] = {0x24, 0x03, 0x00, 0x77}; /* addiu v1, zero, 0x77 */
  host h = {0};
  h.val = insn;
  h.len = 4;
  fpvm_oracle o = {.ctx = &h, .hint = hint_cb, .get = get_cb};
  fpvm_mips64_state *s = fpvm_mips64_state_create_empty();
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  /* 0x100: addiu v1,zero,0x11 ; 0x104: syscall ; 0x108: j 0x100 ; 0x10c: nop */
  fpvm_mem_write64(s->mem, 0x100, 0x240300110000000Cull);
  fpvm_mem_write64(s->mem, 0x108, 0x0800004000000000ull);
  t->pc = 0x100;
  t->next_pc = 0x104;
  t->regs[4] = 5;
  t->regs[5] = 0x100;
  t->regs[6] = 4;
  s->preimage_offset = 8; /* skip the length prefix */
  fpvm_mips64_vm *vm = fpvm_mips64_vm_create(s);
  fpvm_mips64_vm_set_oracle(vm, &o);
  t->regs[2] = 5000;
  uint64_t done;
  CHECK_EQ_U64(fpvm_mips64_run(vm, 2, false, &done), FPK_OK); /* addiu (cached), syscall read */
  t = th(vm);
  CHECK_EQ_U64(t->regs[3], 0x11);
  CHECK_EQ_U64(t->regs[2], 4);
  CHECK_EQ_U64(fpvm_mips64_run(vm, 3, false, &done), FPK_OK); /* j, nop, new insn */
  CHECK_EQ_U64(t->regs[3], 0x77);
  fpvm_mips64_vm_destroy(vm);
}

static void test_syscall_getrandom_positions(void) {
  for (uint64_t off = 0; off < 8; off++) {
    for (uint64_t len = 0; len <= 9; len++) {
      fpvm_mips64_vm *vm = mk_sys(5313, 0x4000 + off, len, 0);
      fpvm_mem_write64(st(vm)->mem, 0x4000, 0xAAAAAAAAAAAAAAAAull);
      st(vm)->step = 99; /* splitmix64(100) after the increment */
      CHECK_EQ_U64(fpvm_mips64_step(vm, NULL), FPK_OK);
      uint64_t n = len < 8 - off ? len : 8 - off;
      CHECK_EQ_U64(th(vm)->regs[2], n);
      uint64_t w = fpvm_mem_read64(st(vm)->mem, 0x4000), r = 0x23259b94f13cf544ull;
      for (unsigned b = 0; b < 8; b++) {
        unsigned sh = 56 - 8 * b;
        uint8_t gb = (uint8_t)(w >> sh), want = (b >= off && b < off + n) ? (uint8_t)(r >> sh) : 0xAA;
        CHECK_EQ_U64(gb, want);
      }
      fpvm_mips64_vm_destroy(vm);
    }
  }
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_syscall_tables);
  RUN(test_syscall_mmap);
  RUN(test_syscall_exit_and_clone);
  RUN(test_syscall_output_and_hints);
  RUN(test_syscall_preimage);
  RUN(test_syscall_write_invalidates_code);
  RUN(test_syscall_getrandom_positions);
  return fpk_test_main_end();
}
