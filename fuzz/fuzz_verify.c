/* Fuzz the independent verifier. Input byte 0 picks the mode:
 *  - odd: the rest is raw witness (188 bytes) + proof bytes, as an attacker would submit them;
 *  - even: the rest describes a thread, an instruction, state fields, data words and an optional
 *    preimage, and the harness builds a consistent witness and proof around them (a sparse memory
 *    tree holding the instruction word and the data words the step is likely to touch, the thread
 *    onion, the clock_gettime second proof), so steps get past the proof checks into the ISA.
 * Checked: no crash/UB, only the documented result codes, a reason for every failure, a post hash
 * that is keccak(post witness) with the right status byte, and the same answer twice. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/keccak.h"
#include "fpkit/mips64.h"
#include "fuzz_input.h"

#define W FPVM_MIPS64_WITNESS_SIZE
#define P FPVM_MIPS64_PROOF_SIZE
#define DEPTH 59

/* ---- a sparse memory of at most a few 32-byte leaves */
typedef struct {
  uint64_t idx[4]; /* leaf index = addr >> 5 */
  uint8_t leaf[4][32];
  int n;
} smem;

static uint8_t zero[DEPTH + 1][32];

static void zero_init(void) {
  static bool done;
  if (done) return;
  for (int h = 1; h <= DEPTH; h++) fpk_keccak256_node(zero[h], zero[h - 1], zero[h - 1]);
  done = true;
}

static void smem_put(smem *m, uint64_t addr, uint64_t word) {
  uint64_t idx = addr >> 5;
  int i = 0;
  while (i < m->n && m->idx[i] != idx) i++;
  if (i == m->n) {
    if (m->n == 4) return;
    m->idx[i] = idx;
    memset(m->leaf[i], 0, 32);
    m->n++;
  }
  fpk_put_be64(m->leaf[i] + (addr & 24), word);
}

/* Hash of the subtree of height h whose leaves have index >> h == prefix. */
static void subtree(const smem *m, int h, uint64_t prefix, uint8_t out[32]) {
  int hit = -1;
  for (int i = 0; i < m->n; i++)
    if ((h >= 64 ? 0 : m->idx[i] >> h) == prefix) hit = i;
  if (hit < 0) {
    memcpy(out, zero[h], 32);
    return;
  }
  if (h == 0) {
    memcpy(out, m->leaf[hit], 32);
    return;
  }
  uint8_t l[32], r[32];
  subtree(m, h - 1, prefix << 1, l);
  subtree(m, h - 1, (prefix << 1) | 1, r);
  fpk_keccak256_node(out, l, r);
}

static void smem_root(const smem *m, uint8_t out[32]) { subtree(m, DEPTH, 0, out); }

static void smem_proof(const smem *m, uint64_t addr, uint8_t *out) {
  uint64_t idx = addr >> 5;
  subtree(m, 0, idx, out);
  for (int h = 0; h < DEPTH; h++) subtree(m, h, (idx >> h) ^ 1, out + 32 * (h + 1));
}

static uint64_t sext16(uint32_t insn) { return (uint64_t)(int64_t)(int16_t)(insn & 0xFFFF); }

static void status_hash(const uint8_t *w, uint8_t out[32]) {
  fpk_keccak256(out, w, W);
  out[0] = w[98] ? (w[97] == 0 ? 0 : w[97] == 1 ? 1 : 2) : 3;
}

static void check(const uint8_t *state, const uint8_t *proof, size_t proof_len, const fpvm_mips64_verify_oracle *o) {
  uint8_t h1[32], w1[W], h2[32], w2[W];
  char r1[256], r2[256];
  int rc1 = fpvm_mips64_verify_step(state, W, proof, proof_len, o, h1, w1, r1, sizeof r1);
  int rc2 = fpvm_mips64_verify_step(state, W, proof, proof_len, o, h2, w2, r2, sizeof r2);
  if (rc1 != rc2) abort();
  if (rc1 == FPK_OK) {
    uint8_t h[32];
    status_hash(w1, h);
    if (memcmp(h, h1, 32) || memcmp(h1, h2, 32) || memcmp(w1, w2, W) || w1[98] > 1) abort();
  } else {
    if (rc1 != FPK_EPROOF && rc1 != FPK_EINVAL && rc1 != FPK_ENOTFOUND && rc1 != FPK_EVERIFY) abort();
    if (!r1[0] || strcmp(r1, r2)) abort();
  }
}

static void raw_mode(src *s) {
  uint8_t state[W];
  for (int i = 0; i < W; i++) state[i] = (uint8_t)take(s, 1);
  check(state, s->p, s->n, NULL);
}

/* The data address the step most likely proves in slot 1. */
static uint64_t data_addr(uint32_t insn, const uint64_t *regs) {
  if ((insn >> 26) == 0 && (insn & 0x3F) == 0x0C) {
    switch (regs[2]) {
    case 5194: return regs[4] & ~3ull;  /* futex */
    case 5313: return regs[4];          /* getrandom */
    default: return regs[5];            /* read, write, clock_gettime */
    }
  }
  return regs[(insn >> 21) & 31] + sext16(insn);
}

static void built_mode(src *s) {
  zero_init();
  uint8_t thread[FPVM_MIPS64_THREAD_SIZE];
  uint64_t regs[32];
  uint32_t insn = (uint32_t)take(s, 4);
  uint8_t flags = (uint8_t)take(s, 1);
  uint64_t pc = take(s, 3) << 2;
  if (flags & 1) pc |= take(s, 1) & 3; /* sometimes misaligned */
  uint64_t next_pc = (flags & 2) ? take(s, 4) : pc + 4;
  for (int i = 0; i < 32; i++) {
    uint8_t sel = (uint8_t)take(s, 1);
    regs[i] = sel < 0x40 ? sel : sel < 0x80 ? take(s, 2) : sel < 0xC0 ? take(s, 8) : (uint64_t)-(int64_t)(sel & 15);
  }
  /* often make it a syscall with a known number */
  if (flags & 4) {
    static const uint16_t nrs[] = {5009, 5012, 5055, 5205, 5000, 5001, 5070, 5178, 5058, 5194, 5023, 5034,
                                   5002, 5222, 5038, 5313, 5284, 5011, 5010, 5003, 4001, 5435};
    insn = 0x0000000C;
    regs[2] = nrs[take(s, 1) % (sizeof nrs / sizeof nrs[0])];
    if (flags & 8) regs[4] = take(s, 1) % 8; /* small fds / clocks */
    if (regs[2] == 5055 && (flags & 16)) regs[4] = 0x50F00;
  }
  fpk_put_be64(thread, take(s, 1));
  thread[8] = (uint8_t)take(s, 1);
  thread[9] = (flags & 32) ? (uint8_t)take(s, 1) : 0;
  fpk_put_be64(thread + 10, pc);
  fpk_put_be64(thread + 18, next_pc);
  fpk_put_be64(thread + 26, take(s, 8));
  fpk_put_be64(thread + 34, take(s, 8));
  for (int i = 0; i < 32; i++) fpk_put_be64(thread + 42 + 8 * i, regs[i]);

  smem m = {.n = 0};
  smem_put(&m, pc & ~7ull, (uint64_t)insn << ((pc & 4) ? 0 : 32) | take(s, 4) << ((pc & 4) ? 32 : 0));
  uint64_t da = data_addr(insn, regs) & ~7ull;
  smem_put(&m, da, take(s, 8));
  smem_put(&m, da + 8, take(s, 8));

  uint8_t state[W], proof[P];
  memset(state, 0, W);
  memset(proof, 0, P);
  smem_root(&m, state);
  uint8_t extra = (uint8_t)take(s, 1);
  fpk_put_be64(state + 64, take(s, 1));            /* preimage offset */
  fpk_put_be64(state + 72, (extra & 1) ? take(s, 8) : 0x100000000000ull);
  state[80] = (uint8_t)(take(s, 1) % 4);           /* LL status */
  fpk_put_be64(state + 81, (extra & 2) ? da + take(s, 1) % 8 : take(s, 2));
  fpk_put_be64(state + 89, take(s, 1));
  state[97] = (uint8_t)take(s, 1);
  state[98] = (extra & 4) ? (uint8_t)(take(s, 1) % 3) : 0;
  uint64_t step = take(s, 4);
  fpk_put_be64(state + 99, step);
  fpk_put_be64(state + 107, (extra & 8) ? 100000 - (take(s, 1) % 2) : take(s, 2));
  state[115] = (extra & 16) ? (uint8_t)take(s, 1) % 3 : 0;
  fpk_put_be64(state + 180, take(s, 1) + 1);

  /* thread onion: inner root empty or a random thread's root; the other stack likewise */
  uint8_t inner[32], th[32], other[32];
  memcpy(inner, zero[1], 32);
  if (extra & 32) {
    for (int i = 0; i < 32; i++) th[i] = (uint8_t)take(s, 1);
    fpk_keccak256_node(inner, zero[1], th);
  }
  memcpy(other, zero[1], 32);
  if (extra & 64) {
    for (int i = 0; i < 32; i++) th[i] = (uint8_t)take(s, 1);
    fpk_keccak256_node(other, zero[1], th);
  }
  fpk_keccak256(th, thread, sizeof thread);
  uint8_t active[32];
  fpk_keccak256_node(active, inner, th);
  bool right = state[115] != 0;
  memcpy(state + (right ? 148 : 116), active, 32);
  memcpy(state + (right ? 116 : 148), other, 32);

  memcpy(proof, thread, sizeof thread);
  memcpy(proof + FPVM_MIPS64_THREAD_SIZE, inner, 32);
  size_t slot0 = FPVM_MIPS64_THREAD_SIZE + 32;
  smem_proof(&m, pc & ~7ull, proof + slot0);
  smem_proof(&m, da, proof + slot0 + 1920);
  if (insn == 0x0000000C && regs[2] == 5222 && regs[4] <= 1) { /* second proof after the secs write */
    smem_put(&m, da, regs[4] == 1 ? (step + 1) / 10000000 : 0);
  }
  smem_proof(&m, da + 8, proof + slot0 + 2 * 1920);

  /* preimage: the rest of the input, under a keccak or local key that the state holds */
  fpvm_mips64_verify_oracle o = {0};
  uint8_t *value = NULL;
  if (extra & 128) {
    size_t len = s->n > 200 ? 200 : s->n;
    value = malloc(len + 8);
    if (!value) return;
    fpk_put_be64(value, len);
    memcpy(value + 8, s->p, len);
    o.present = true;
    if (len && (s->p[0] & 1)) {
      memset(o.key, 0, 32);
      o.key[0] = 1;
      o.key[31] = s->p[0];
    } else {
      fpk_keccak256(o.key, value + 8, len);
      o.key[0] = 2;
    }
    o.value = value;
    o.value_len = len + 8;
    o.offset = fpk_be64(state + 64) % (len + 10);
    fpk_put_be64(state + 64, o.offset);
    memcpy(state + 32, o.key, 32);
  }
  check(state, proof, P, &o);
  check(state, proof, (size_t)(flags >> 6) * 1000 + 300, &o); /* truncated proofs */
  free(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  src s = {data + 1, size - 1};
  if (data[0] & 1)
    raw_mode(&s);
  else
    built_mode(&s);
  return 0;
}
