/* One-step differential fuzzing: engine proof step vs the independent verifier.
 * The input builds a pre-state around the instruction at pc (0x1000): a few words biased to valid
 * encodings (syscalls with plausible numbers in $v0, LL/SC, branches and jumps, loads/stores whose
 * base registers point into a data page), random registers, sometimes a second thread and an exited
 * thread, an LL reservation, scheduler counters near the quantum, and a preimage key/offset that an
 * in-memory oracle can answer (keccak/sha256 keys of a fixed text, local keys). The step is proved
 * once by fpvm_mips64_step and replayed by fpvm_mips64_verify_step. Aborts when they disagree: an
 * engine panic must be a verifier rejection, an engine step must verify to the same post hash and
 * the same post witness. Host errors (a key the oracle does not know) end the input quietly. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/keccak.h"
#include "fpkit/mips64.h"
#include "fuzz_input.h"

#define CODE 0x1000ull
#define DATA 0x2000ull
#define NCODE 8

static const char TEXT[] = "fpkit diff_step fuzz preimage: a fixed text the oracle serves for its hash keys";

static void keys(uint8_t k2[32], uint8_t k4[32]) {
  fpk_keccak256(k2, TEXT, sizeof TEXT - 1);
  k2[0] = 2;
  fpk_sha256(k4, TEXT, sizeof TEXT - 1);
  k4[0] = 4;
}

/* keccak and sha256 keys of TEXT → TEXT; local keys (type 1) → key[31] % 33 bytes derived from the
 * key (local data is at most 32 bytes); anything else is unknown. */
static int orc_get(void *ctx, const uint8_t key[32], uint8_t **out, size_t *len) {
  (void)ctx;
  uint8_t k2[32], k4[32];
  keys(k2, k4);
  if (!memcmp(key, k2, 32) || !memcmp(key, k4, 32)) {
    *out = malloc(sizeof TEXT - 1);
    if (!*out) return FPK_ENOMEM;
    memcpy(*out, TEXT, sizeof TEXT - 1);
    *len = sizeof TEXT - 1;
    return FPK_OK;
  }
  if (key[0] != 1) return FPK_ENOTFOUND;
  size_t n = key[31] % 33u;
  *out = malloc(n ? n : 1);
  if (!*out) return FPK_ENOMEM;
  for (size_t i = 0; i < n; i++) (*out)[i] = (uint8_t)(key[i + 1 < 32 ? i + 1 : 0] ^ (uint8_t)i);
  *len = n;
  return FPK_OK;
}

static int orc_hint(void *ctx, const uint8_t *d, size_t n) {
  (void)ctx, (void)d, (void)n;
  return FPK_OK;
}

static const uint16_t SYSCALLS[] = {5000, 5001, 5002, 5003, 5009, 5011, 5012, 5023, 5034, 5038, 5055, 5058,
                                    5070, 5178, 5194, 5205, 5222, 5284, 5313, 5247, 5010, 5999};
static const uint8_t SPECIAL_FN[] = {0x00, 0x02, 0x03, 0x04, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0F, 0x10,
                                     0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D,
                                     0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B,
                                     0x2C, 0x2D, 0x2E, 0x2F, 0x38, 0x3A, 0x3B, 0x3C, 0x3E, 0x3F, 0x01, 0x05};
static const uint8_t IMM_OP[] = {0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B,
                                 0x0C, 0x0D, 0x0E, 0x0F, 0x18, 0x19, 0x02, 0x03};
static const uint8_t MEM_OP[] = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A,
                                 0x2B, 0x2C, 0x2D, 0x2E, 0x37, 0x3F, 0x1A, 0x1B, 0x31, 0x35, 0x2F};
static const uint8_t RMW_OP[] = {0x30, 0x34, 0x38, 0x3C};
static const uint8_t SPECIAL2_FN[] = {0x02, 0x20, 0x21, 0x24, 0x25, 0x00, 0x3F};

static uint32_t r3(src *in) { return (uint32_t)take(in, 1) & 31u; }

static uint32_t gen_insn(src *in) {
  uint32_t sel = (uint32_t)take(in, 1);
  uint32_t rs = r3(in), rt = r3(in), rd = r3(in);
  switch (sel % 10) {
    case 0: return (uint32_t)take(in, 4);
    case 1:
    case 2: return 0x0000000Cu; /* syscall */
    case 3: return rs << 21 | rt << 16 | rd << 11 | r3(in) << 6 | SPECIAL_FN[take(in, 1) % sizeof SPECIAL_FN];
    case 4: {
      uint32_t op = IMM_OP[take(in, 1) % sizeof IMM_OP];
      if (op == 0x02 || op == 0x03) return op << 26 | ((uint32_t)take(in, 4) & 0x3FFFFFFu);
      return op << 26 | rs << 21 | rt << 16 | (uint32_t)(take(in, 1) % 16) * 4; /* short forward branches */
    }
    case 5:
    case 6: /* loads/stores: base registers are mostly data pointers (see gen_regs) */
      return (uint32_t)MEM_OP[take(in, 1) % sizeof MEM_OP] << 26 | rs << 21 | rt << 16 |
             ((uint32_t)(take(in, 1) % 64 - 32) & 0xFFFFu);
    case 7: return (uint32_t)RMW_OP[take(in, 1) % sizeof RMW_OP] << 26 | rs << 21 | rt << 16 | (uint32_t)(take(in, 1) % 4) * 4;
    case 8: /* regimm: bltz, bgez, bltzal, bgezal (and a few invalid rt) */
      return 0x01u << 26 | rs << 21 | (uint32_t)((const uint8_t[]){0, 1, 16, 17, 2, 3})[take(in, 1) % 6] << 16 |
             (uint32_t)(take(in, 1) % 8) * 4;
    default: return 0x1Cu << 26 | rs << 21 | rt << 16 | rd << 11 | SPECIAL2_FN[take(in, 1) % sizeof SPECIAL2_FN];
  }
}

static uint64_t gen_reg(src *in) {
  switch (take(in, 1) % 6) {
    case 0: return take(in, 8);
    case 1: return DATA + take(in, 1) * 8;             /* aligned data pointer */
    case 2: return DATA + take(in, 2) % 0x800;         /* any data pointer */
    case 3: return take(in, 1) % 8;                     /* fds, small counts */
    case 4: return (uint64_t)(int64_t)(int8_t)take(in, 1); /* small signed */
    default: return CODE + take(in, 1) % (4 * NCODE);  /* into the code */
  }
}

static int build(fpvm_mips64_state **out, const uint8_t *data, size_t size) {
  src in = {data, size};
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(CODE, FPVM_MIPS64_HEAP_START + take(&in, 1) * 0x1000);
  if (!s) return FPK_ENOMEM;
  uint8_t code[4 * NCODE];
  unsigned n = 1 + (unsigned)take(&in, 1) % NCODE;
  for (unsigned i = 0; i < NCODE; i++) {
    uint32_t w = i < n ? gen_insn(&in) : 0;
    code[4 * i] = (uint8_t)(w >> 24), code[4 * i + 1] = (uint8_t)(w >> 16);
    code[4 * i + 2] = (uint8_t)(w >> 8), code[4 * i + 3] = (uint8_t)w;
  }
  int rc = fpvm_mem_set_range(s->mem, CODE, code, sizeof code);
  if (rc) goto fail;
  for (unsigned i = 0, nw = (unsigned)take(&in, 1) % 16; i < nw; i++)
    fpvm_mem_write64(s->mem, DATA + 8 * (take(&in, 1) % 256), take(&in, 8));

  fpvm_mips64_thread *t = fpvm_mips64_active_thread(s);
  for (unsigned r = 1; r < 32; r++) t->regs[r] = gen_reg(&in);
  uint64_t v0 = take(&in, 1);
  if (v0 % 4 != 0) t->regs[2] = SYSCALLS[v0 % (sizeof SYSCALLS / sizeof SYSCALLS[0])];
  uint64_t fl = take(&in, 1);
  if (fl & 1) t->regs[5] = 0x50F00;            /* Go's clone flags */
  if (fl & 2) t->regs[4] = 3 + take(&in, 1) % 4; /* fd 3..6 in a0 for read/write */
  if (fl & 4) t->lo = take(&in, 8), t->hi = take(&in, 8);
  if (fl & 8) t->next_pc = CODE + 4 * (take(&in, 1) % NCODE); /* as if in a delay slot */
  if (fl & 16) t->pc = CODE + take(&in, 1) % (4 * NCODE);      /* sometimes unaligned */
  t->id = take(&in, 1) % 3;
  s->next_thread_id = 3 + take(&in, 1) % 4;

  uint64_t sch = take(&in, 1);
  s->steps_since_switch = sch & 1 ? FPVM_MIPS64_SCHED_QUANTUM - take(&in, 1) % 3 : take(&in, 2);
  s->step = take(&in, 4);
  if (sch & 2) { /* a second thread */
    fpvm_mips64_thread t2 = *t;
    t2.id = t->id + 1;
    t2.pc = CODE + 4 * (take(&in, 1) % NCODE);
    t2.next_pc = t2.pc + 4;
    t2.exited = (sch & 4) ? 1 : 0;
    t2.exit_code = (uint8_t)take(&in, 1);
    fpvm_mips64_stack *other = (sch & 8) ? &s->left : &s->right;
    if (other == &s->left) { /* below the active thread: keep that one on top */
      fpvm_mips64_thread top = *t;
      s->left.n = 0;
      if ((rc = fpvm_mips64_stack_push(&s->left, &t2)) || (rc = fpvm_mips64_stack_push(&s->left, &top))) goto fail;
    } else if ((rc = fpvm_mips64_stack_push(other, &t2))) {
      goto fail;
    }
    t = fpvm_mips64_active_thread(s);
  }
  if (sch & 16) { /* the active thread on the right stack instead */
    fpvm_mips64_stack tmp = s->left;
    s->left = s->right;
    s->right = tmp;
    s->traverse_right = 1;
    t = fpvm_mips64_active_thread(s);
    if (!t) { /* nothing was on the right: put it back */
      s->right = s->left;
      s->left = tmp;
      s->traverse_right = 0;
    }
  }
  t = fpvm_mips64_active_thread(s);
  if (sch & 32) t->exited = 1, t->exit_code = (uint8_t)take(&in, 1);

  uint64_t ll = take(&in, 1);
  s->ll_status = (uint8_t)(ll % 3);
  if (s->ll_status) {
    s->ll_address = (ll & 4) ? t->regs[take(&in, 1) % 32] + (take(&in, 1) % 4) * 4 : DATA + take(&in, 1) * 8;
    s->ll_owner = (ll & 8) ? take(&in, 1) % 3 : t->id;
  }

  uint64_t pk = take(&in, 1);
  uint8_t k2[32], k4[32];
  keys(k2, k4);
  switch (pk % 4) {
    case 0: memcpy(s->preimage_key, k2, 32); break;
    case 1: memcpy(s->preimage_key, k4, 32); break;
    case 2:
      for (int i = 0; i < 32; i++) s->preimage_key[i] = (uint8_t)take(&in, 1);
      s->preimage_key[0] = 1;
      break;
    default:
      for (int i = 0; i < 32; i++) s->preimage_key[i] = (uint8_t)take(&in, 1);
      break;
  }
  s->preimage_offset = (pk & 4) ? take(&in, 8) : take(&in, 1) % (sizeof TEXT + 12);
  if (pk & 8) s->exited = 1, s->exit_code = (uint8_t)take(&in, 1);
  *out = s;
  return FPK_OK;
fail:
  fpvm_mips64_state_destroy(s);
  return rc;
}

static void fail(const char *what, const fpvm_mips64_proof *p, const char *reason) {
  fprintf(stderr, "fuzz_diff_step: %s (verifier: %s)\n", what, reason);
  fprintf(stderr, "pre witness: ");
  for (size_t i = 0; i < FPVM_MIPS64_WITNESS_SIZE; i++) fprintf(stderr, "%02x", p->state_data[i]);
  fputc('\n', stderr);
  abort();
}

/* After an engine panic the proof has no slot-1 proof and no oracle data, so a verifier rejection
 * could just be a missing proof. Supply what an honest prover would: the memory proof of the word the
 * instruction touches (load/store/LL/SC effective address, or the buffer of a read/write syscall)
 * and the oracle's answer for the pre-state key at the pre-state offset. Then the verifier has to
 * reject on the instruction's own merits. */
static void panic_inputs(fpvm_mips64_state *pre, fpvm_mips64_proof *p, fpvm_mips64_verify_oracle *vo,
                         uint8_t **val) {
  fpvm_mips64_thread *t = fpvm_mips64_active_thread(pre);
  if (!t || t->exited || (t->pc & 3)) return;
  uint32_t insn = fpvm_mem_read32(pre->mem, t->pc);
  uint32_t op = insn >> 26;
  uint64_t addr;
  if (insn == 0x0000000Cu)
    addr = t->regs[5];
  else if (op >= 0x20 || op == 0x1A || op == 0x1B)
    addr = t->regs[(insn >> 21) & 31] + (uint64_t)(int64_t)(int16_t)(insn & 0xFFFF);
  else
    return;
  fpvm_mem_proof(pre->mem, addr & ~7ull, p->proof_data + FPVM_MIPS64_THREAD_SIZE + 32 + FPVM_MEM_PROOF_SIZE);
  uint8_t *d = NULL;
  size_t n = 0;
  if (insn == 0x0000000Cu && orc_get(NULL, pre->preimage_key, &d, &n) == FPK_OK) {
    *val = malloc(n + 8);
    if (*val) {
      fpk_put_be64(*val, n);
      memcpy(*val + 8, d, n);
      vo->present = true;
      memcpy(vo->key, pre->preimage_key, 32);
      vo->value = *val;
      vo->value_len = n + 8;
      vo->offset = pre->preimage_offset;
    }
  }
  free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fpvm_mips64_state *s = NULL;
  if (build(&s, data, size) != FPK_OK) return 0;
  fpvm_mips64_state *pre_state = fpvm_mips64_state_clone(s);
  if (!pre_state) abort();
  fpvm_mips64_vm *vm = fpvm_mips64_vm_create(s);
  fpvm_mips64_proof *p = calloc(1, sizeof *p);
  if (!vm || !p) abort();
  fpvm_oracle orc = {.ctx = NULL, .hint = orc_hint, .get = orc_get};
  fpvm_mips64_vm_set_oracle(vm, &orc);
  fpvm_mips64_vm_set_output(vm, NULL, NULL);

  int rc = fpvm_mips64_step(vm, p);
  if (rc == FPK_OK || rc == FPK_EPANIC) {
    uint8_t pre_hash[32];
    fpvm_mips64_witness_hash(p->state_data, pre_hash);
    if (memcmp(pre_hash, p->pre_hash, 32) != 0) fail("engine pre hash is not the hash of its witness", p, "-");
    fpvm_mips64_verify_oracle vo = {0};
    uint8_t *pval = NULL;
    if (rc == FPK_EPANIC) panic_inputs(pre_state, p, &vo, &pval);
    if (p->has_oracle) fpvm_mips64_proof_oracle(p, &vo);
    uint8_t vpost[32], vwit[FPVM_MIPS64_WITNESS_SIZE], ewit[FPVM_MIPS64_WITNESS_SIZE];
    char reason[256] = "";
    int vrc = fpvm_mips64_verify_step(p->state_data, sizeof p->state_data, p->proof_data, sizeof p->proof_data, &vo,
                                      vpost, vwit, reason, sizeof reason);
    if (rc == FPK_EPANIC) {
      if (vrc == FPK_OK) fail(fpvm_mips64_vm_panic_reason(vm), p, "accepted");
      /* with honest proofs supplied the rejection must be about the step, not about the proofs */
      if (strstr(reason, "InvalidMemoryProof") || strstr(reason, "InvalidSecondMemoryProof") ||
          strstr(reason, "invalid thread witness"))
        fail(fpvm_mips64_vm_panic_reason(vm), p, reason);
      if (getenv("FUZZ_DIFF_STEP_VERBOSE")) fprintf(stderr, "panic: %s; verifier: %s\n", fpvm_mips64_vm_panic_reason(vm), reason);
    } else {
      if (vrc != FPK_OK) fail("engine stepped, verifier rejected", p, reason);
      if (memcmp(vpost, p->post_hash, 32) != 0) fail("post hashes differ", p, "accepted");
      fpvm_mips64_state_witness(fpvm_mips64_vm_state(vm), ewit);
      if (memcmp(vwit, ewit, sizeof ewit) != 0) fail("post witnesses differ", p, "accepted");
    }
    free(pval);
  }
  fpvm_mips64_state_destroy(pre_state);
  fpvm_mips64_proof_clear(p);
  free(p);
  fpvm_mips64_vm_destroy(vm);
  return 0;
}
