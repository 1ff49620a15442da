/* libfpvm memory: the cannon.md §8.2 vectors, and a differential test against a naive recursive
 * merkle tree kept inside this file (random writes interleaved with root/proof calls, so stale caches
 * and a write TLB that outlives a root both show up as mismatches). */
#include "fpkit/mem.h"

#include "fpkit/keccak.h"
#include "test.h"

/* ---- naive reference: a few pages, every hash recomputed from scratch with the one-shot sponge ---- */

#define REF_MAX 32
typedef struct {
  uint64_t idx[REF_MAX];
  uint8_t data[REF_MAX][FPVM_PAGE_SIZE];
  int n;
} ref_mem;

static uint8_t refz[60][32];

static void ref_zero_init(void) {
  uint8_t buf[64];
  memset(refz[0], 0, 32);
  for (int h = 1; h < 60; h++) {
    memcpy(buf, refz[h - 1], 32);
    memcpy(buf + 32, refz[h - 1], 32);
    fpk_keccak256(refz[h], buf, 64);
  }
}

static uint8_t *ref_page(ref_mem *r, uint64_t pidx, int create) {
  for (int i = 0; i < r->n; i++)
    if (r->idx[i] == pidx) return r->data[i];
  if (!create) return NULL;
  if (r->n == REF_MAX) abort();
  r->idx[r->n] = pidx;
  memset(r->data[r->n], 0, FPVM_PAGE_SIZE);
  return r->data[r->n++];
}

/* Node at depth d (0 = root, 59 = leaf) whose path is the top d address bits = prefix. */
static void ref_node(ref_mem *r, unsigned d, uint64_t prefix, uint8_t out[32]) {
  if (d >= 52) {
    uint8_t *pg = ref_page(r, prefix >> (d - 52), 0);
    if (!pg) {
      memcpy(out, refz[59 - d], 32);
      return;
    }
    if (d == 59) {
      memcpy(out, pg + 32 * (prefix & 127), 32);
      return;
    }
  } else {
    int any = 0;
    for (int i = 0; i < r->n && !any; i++) any = (r->idx[i] >> (52 - d)) == prefix;
    if (!any) {
      memcpy(out, refz[59 - d], 32);
      return;
    }
  }
  uint8_t buf[64];
  ref_node(r, d + 1, prefix << 1, buf);
  ref_node(r, d + 1, (prefix << 1) | 1, buf + 32);
  fpk_keccak256(out, buf, 64);
}

static void ref_root(ref_mem *r, uint8_t out[32]) { ref_node(r, 0, 0, out); }

static void ref_proof(ref_mem *r, uint64_t addr, uint8_t out[FPVM_MEM_PROOF_SIZE]) {
  ref_node(r, 59, addr >> 5, out);
  for (unsigned d = 59, i = 1; d >= 1; d--, i++) ref_node(r, d, (addr >> (64 - d)) ^ 1, out + 32 * i);
}

static void ref_write64(ref_mem *r, uint64_t addr, uint64_t v) {
  fpk_put_be64(ref_page(r, addr >> 12, 1) + (addr & 0xff8), v);
}

static uint64_t rng = 99;
static uint64_t rnd(void) {
  uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* ---- vectors ---- */

static void test_zero_hashes(void) {
  CHECK_HEX(fpvm_mem_zero_hash(0), 32, "0000000000000000000000000000000000000000000000000000000000000000");
  CHECK_HEX(fpvm_mem_zero_hash(1), 32, "ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5");
  CHECK_HEX(fpvm_mem_zero_hash(2), 32, "b4c11951957c6f8f642c4af61cd6b24640fec6dc7fc607ee8206a99e92410d30");
  CHECK_HEX(fpvm_mem_zero_hash(3), 32, "21ddb9a356815c3fac1026b6dec5df3124afbadb485c9ba5a3e3398a04b7ba85");
  CHECK_HEX(fpvm_mem_zero_hash(4), 32, "e58769b32a1beaf1ea27375a44095a0d1fb664ce2dd358e7fcbfb78c26a19344");
  CHECK_HEX(fpvm_mem_zero_hash(7), 32, "ffd70157e48063fc33c97a050f7f640233bf646cc98d9524c6b92bcf3ab56f83");
  CHECK_HEX(fpvm_mem_zero_hash(52), 32, "307317849eccd90c0c7b98870b9317c15a5959dcfb84c76dcc908c4fe6ba9212");
  CHECK_HEX(fpvm_mem_zero_hash(58), 32, "40bbe913c226c34c9fbe4389dd728984257a816892b3cae3e43191dd291f0eb5");
  CHECK_HEX(fpvm_mem_zero_hash(59), 32, "14af5385bcbb1e4738bbae8106046e6e2fca42875aa5c000c582587742bcc748");
  for (int h = 0; h < 60; h++) CHECK(memcmp(fpvm_mem_zero_hash((unsigned)h), refz[h], 32) == 0);
  fpvm_mem *m = fpvm_mem_create();
  uint8_t root[32];
  fpvm_mem_root(m, root);
  CHECK_HEX(root, 32, "14af5385bcbb1e4738bbae8106046e6e2fca42875aa5c000c582587742bcc748");
  fpvm_mem_destroy(m);
}

static void test_vectors_v2(void) {
  fpvm_mem *m = fpvm_mem_create();
  uint8_t root[32], proof[FPVM_MEM_PROOF_SIZE], want[FPVM_MEM_PROOF_SIZE];
  fpvm_mem_write64(m, 0x100, 0x1122334455667788ull);
  fpvm_mem_root(m, root);
  CHECK_HEX(root, 32, "f280a7b07d9ed54cfe8bb606a6cdbe97919deb4fa38a10bf0c1d9a51667def1b");
  fpvm_mem_proof(m, 0x100, proof);
  memset(want, 0, sizeof want);
  fpk_put_be64(want, 0x1122334455667788ull);
  for (int i = 0; i < 59; i++) memcpy(want + 32 * (i + 1), refz[i], 32);
  CHECK(memcmp(proof, want, sizeof want) == 0);
  uint64_t w = 0;
  CHECK(fpvm_mem_proof_check(root, 0x100, proof, &w));
  CHECK_EQ_U64(w, 0x1122334455667788ull);
  CHECK(fpvm_mem_proof_check(root, 0x108, proof, &w) && w == 0); /* same leaf, next word */
  CHECK(!fpvm_mem_proof_check(root, 0x120, proof, &w)); /* wrong path: other leaf */
  proof[32 * 30] ^= 1;
  CHECK(!fpvm_mem_proof_check(root, 0x100, proof, &w));
  fpvm_mem_destroy(m);

  m = fpvm_mem_create();
  fpvm_mem_write64(m, 0x7FFFFFFFF000ull, 1);
  fpvm_mem_write64(m, 0xFFFFFFFFFFFFFFF8ull, 0xdeadbeefull);
  fpvm_mem_root(m, root);
  CHECK_HEX(root, 32, "134595e062c9746593f813afbb738daa4a628c172137f1d5c5580cefc770ee83");
  fpvm_mem_proof(m, 0xFFFFFFFFFFFFFFF8ull, proof);
  CHECK(fpvm_mem_proof_check(root, 0xFFFFFFFFFFFFFFF8ull, proof, &w));
  CHECK_EQ_U64(w, 0xdeadbeefull);
  fpvm_mem_proof(m, 0x7FFFFFFFF000ull, proof);
  CHECK(fpvm_mem_proof_check(root, 0x7FFFFFFFF000ull, proof, &w));
  CHECK_EQ_U64(w, 1);
  CHECK_EQ_U64(fpvm_mem_page_count(m), 2);
  fpvm_mem_destroy(m);
}

/* ---- differential ---- */

static const uint64_t test_pages[] = {
    0, 1, 2, 0x100, /* 0x100 shares TLB slot 0 with page 0 */
    0x7FFFFFFFFull, 0x80000000000ull, 0x8000000000000ull, 0xFFFFFFFFFFFFFull, 0xFFFFFFFFFFEFFull, 0x123456789ull};
#define NPAGES (sizeof test_pages / sizeof test_pages[0])

static uint64_t rnd_addr(void) {
  return (test_pages[rnd() % NPAGES] << 12) | (rnd() & 0xfff);
}

static int diff_failures;
static void diff_check(const char *what, int ok, int op) {
  if (!ok && diff_failures++ < 5) fprintf(stderr, "  differential: %s mismatch at op %d\n", what, op);
  CHECK(ok);
}

static void test_differential(void) {
  static ref_mem r; /* large: keep it off the stack */
  r.n = 0;
  fpvm_mem *m = fpvm_mem_create();
  fpvm_mem *snap = NULL;
  uint8_t snap_root[32];
  uint8_t a[32], b[32], pa[FPVM_MEM_PROOF_SIZE], pb[FPVM_MEM_PROOF_SIZE];
  for (int op = 0; op < 1500; op++) {
    unsigned k = (unsigned)(rnd() % 100);
    if (k < 60) { /* word write through the inline TLB path */
      uint64_t addr = rnd_addr(), v = rnd();
      if (rnd() % 4 == 0) v = 0;
      fpvm_mem_write64(m, addr, v);
      ref_write64(&r, addr, v);
    } else if (k < 70) { /* a range, possibly across a page boundary */
      uint8_t buf[200];
      uint64_t addr = rnd_addr();
      size_t len = (size_t)(rnd() % sizeof buf);
      if (len && addr + len - 1 < addr) continue; /* would wrap: tested separately */
      for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)rnd();
      if (fpvm_mem_set_range(m, addr, buf, len) != FPK_OK) diff_check("set_range rc", 0, op);
      for (size_t i = 0; i < len; i++) ref_page(&r, (addr + i) >> 12, 1)[(addr + i) & 0xfff] = buf[i];
    } else if (k < 80) { /* reads */
      uint64_t addr = rnd_addr();
      uint8_t *pg = ref_page(&r, addr >> 12, 0);
      uint64_t want = pg ? fpk_be64(pg + (addr & 0xff8)) : 0;
      diff_check("read64", fpvm_mem_read64(m, addr) == want, op);
    } else if (k < 88) {
      fpvm_mem_root(m, a);
      ref_root(&r, b);
      diff_check("root", memcmp(a, b, 32) == 0, op);
    } else if (k < 96) {
      uint64_t addr = rnd_addr() & ~7ull;
      if (rnd() % 5 == 0) addr = (rnd() << 3); /* anywhere, mostly unallocated */
      fpvm_mem_proof(m, addr, pa);
      ref_proof(&r, addr, pb);
      diff_check("proof", memcmp(pa, pb, sizeof pa) == 0, op);
      ref_root(&r, b);
      uint64_t w = 1, want;
      uint8_t *pg = ref_page(&r, addr >> 12, 0);
      want = pg ? fpk_be64(pg + (addr & 0xff8)) : 0;
      diff_check("proof_check", fpvm_mem_proof_check(b, addr, pa, &w) && w == want, op);
    } else if (k < 98) { /* snapshot: must keep its root while the original moves on */
      if (snap) {
        fpvm_mem_root(snap, a);
        diff_check("clone root stable", memcmp(a, snap_root, 32) == 0, op);
        fpvm_mem_destroy(snap);
      }
      snap = fpvm_mem_clone(m);
      CHECK(snap != NULL);
      ref_root(&r, snap_root);
      fpvm_mem_root(snap, a);
      diff_check("clone root", memcmp(a, snap_root, 32) == 0, op);
    } else { /* page count = pages ever written */
      diff_check("page count", fpvm_mem_page_count(m) == (size_t)r.n, op);
    }
  }
  fpvm_mem_root(m, a);
  ref_root(&r, b);
  diff_check("final root", memcmp(a, b, 32) == 0, -1);
  if (snap) {
    fpvm_mem_root(snap, a);
    diff_check("final clone root", memcmp(a, snap_root, 32) == 0, -1);
  }
  fpvm_mem_destroy(snap);
  fpvm_mem_destroy(m);
}

/* A write right after a root, to a page still in the write TLB from before, must change the root. */
static void test_tlb_dirty_after_root(void) {
  fpvm_mem *m = fpvm_mem_create();
  uint8_t r1[32], r2[32], r3[32];
  fpvm_mem_write64(m, 0x1000, 5);
  fpvm_mem_root(m, r1);
  fpvm_mem_write64(m, 0x1008, 6); /* same page: would be a write-TLB hit without the flush */
  fpvm_mem_root(m, r2);
  CHECK(memcmp(r1, r2, 32) != 0);
  fpvm_mem_write64(m, 0x1008, 0);
  fpvm_mem_root(m, r3);
  CHECK(memcmp(r1, r3, 32) == 0);
  uint8_t proof[FPVM_MEM_PROOF_SIZE];
  fpvm_mem_proof(m, 0x1000, proof);
  fpvm_mem_write64(m, 0x1000, 7); /* after a proof, too */
  fpvm_mem_root(m, r3);
  CHECK(memcmp(r1, r3, 32) != 0);
  fpvm_mem_destroy(m);
}

static void test_zero_pages(void) {
  fpvm_mem *m = fpvm_mem_create();
  static uint8_t zero[5 * FPVM_PAGE_SIZE];
  uint8_t root[32];
  CHECK(fpvm_mem_set_range(m, 0x10000 + 0x800, zero, sizeof zero) == FPK_OK); /* touches 6 pages */
  fpvm_mem_write64(m, 0xFFFFFFFFFFFFF000ull, 0);
  CHECK_EQ_U64(fpvm_mem_page_count(m), 7);
  fpvm_mem_root(m, root);
  CHECK(memcmp(root, fpvm_mem_zero_hash(59), 32) == 0);
  /* non-zero then zero again: the page root must return to Z[7] */
  fpvm_mem_write64(m, 0x10800, 1);
  fpvm_mem_root(m, root);
  CHECK(memcmp(root, fpvm_mem_zero_hash(59), 32) != 0);
  fpvm_mem_write64(m, 0x10800, 0);
  fpvm_mem_root(m, root);
  CHECK(memcmp(root, fpvm_mem_zero_hash(59), 32) == 0);
  uint8_t proof[FPVM_MEM_PROOF_SIZE];
  fpvm_mem_proof(m, 0x10800, proof);
  for (int i = 0; i < 59; i++) CHECK(memcmp(proof + 32 * (i + 1), fpvm_mem_zero_hash((unsigned)i), 32) == 0);
  fpvm_mem_destroy(m);
}

typedef struct {
  uint64_t idx[64];
  int n;
  int stop_at;
} visit_ctx;

static int visit(void *ctx, const fpvm_page *p) {
  visit_ctx *v = ctx;
  if (v->n < 64) v->idx[v->n] = p->index;
  v->n++;
  return v->n == v->stop_at ? 42 : 0;
}

static void test_iteration(void) {
  fpvm_mem *m = fpvm_mem_create();
  visit_ctx v = {.n = 0, .stop_at = -1};
  CHECK(fpvm_mem_foreach_page(m, visit, &v) == 0 && v.n == 0);
  /* 40 distinct pages in scrambled order, many sharing TLB slots and forcing table growth */
  for (uint64_t i = 0; i < 40; i++) {
    uint64_t pidx = ((i * 37) % 40) * 0x100 + (i % 3 ? 0xFFFFFFFFF0000ull : 0);
    fpvm_mem_write64(m, pidx << 12, i + 1);
    fpvm_mem_write64(m, (pidx << 12) + 8, i + 1); /* second write: no new page */
  }
  CHECK_EQ_U64(fpvm_mem_page_count(m), 40);
  CHECK(fpvm_mem_foreach_page(m, visit, &v) == 0);
  CHECK(v.n == 40);
  int sorted = 1;
  for (int i = 1; i < 40; i++) sorted &= v.idx[i - 1] < v.idx[i];
  CHECK(sorted);
  visit_ctx s = {.n = 0, .stop_at = 3};
  CHECK(fpvm_mem_foreach_page(m, visit, &s) == 42 && s.n == 3);
  CHECK(s.idx[0] == v.idx[0] && s.idx[2] == v.idx[2]);
  /* reads never allocate */
  CHECK_EQ_U64(fpvm_mem_read64(m, 0x5555555000ull), 0);
  uint8_t buf[16], proof[FPVM_MEM_PROOF_SIZE];
  fpvm_mem_read_range(m, 0x6666666ff8ull, buf, sizeof buf);
  fpvm_mem_proof(m, 0x7777777000ull, proof);
  CHECK_EQ_U64(fpvm_mem_page_count(m), 40);
  fpvm_mem_destroy(m);
}

static int isa_frees;
static void count_free(void *p) {
  isa_frees++;
  free(p);
}

static void test_clone(void) {
  fpvm_mem *m = fpvm_mem_create();
  m->isa_free = count_free;
  uint8_t r0[32], r1[32], r2[32];
  fpvm_mem_write64(m, 0x2000, 0xabcdef);
  fpvm_mem_write64(m, 0x9000, 0x1234); /* dirty at clone time: the copy must still hash it */
  fpvm_mem_wpage(m, 0x2)->isa_cache = malloc(8);
  fpvm_mem *c = fpvm_mem_clone(m);
  CHECK(c != NULL);
  CHECK(fpvm_mem_rpage(c, 0x2) != fpvm_mem_rpage(m, 0x2));
  CHECK(fpvm_mem_rpage(c, 0x2)->isa_cache == NULL);
  CHECK_EQ_U64(fpvm_mem_read64(c, 0x2000), 0xabcdef);
  fpvm_mem_root(m, r0);
  fpvm_mem_root(c, r1);
  CHECK(memcmp(r0, r1, 32) == 0);
  fpvm_mem_write64(m, 0x2000, 1);
  fpvm_mem_write64(m, 0x3000, 1);
  fpvm_mem_root(c, r2);
  CHECK(memcmp(r1, r2, 32) == 0);
  CHECK_EQ_U64(fpvm_mem_read64(c, 0x2000), 0xabcdef);
  CHECK_EQ_U64(fpvm_mem_page_count(c), 2);
  fpvm_mem_write64(c, 0x2000, 1);
  fpvm_mem_write64(c, 0x3000, 1);
  fpvm_mem_root(c, r1);
  fpvm_mem_root(m, r0);
  CHECK(memcmp(r0, r1, 32) == 0);
  fpvm_mem_destroy(c);
  CHECK(isa_frees == 0);
  fpvm_mem_destroy(m);
  CHECK(isa_frees == 1);
}

static void test_set_range(void) {
  fpvm_mem *m = fpvm_mem_create();
  uint8_t buf[0x2100], back[0x2100];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 13 + 1);
  CHECK(fpvm_mem_set_range(m, 0x4ff0, buf, sizeof buf) == FPK_OK); /* pages 4..7 */
  CHECK_EQ_U64(fpvm_mem_page_count(m), 4);
  fpvm_mem_read_range(m, 0x4ff0, back, sizeof back);
  CHECK(memcmp(buf, back, sizeof buf) == 0);
  CHECK_EQ_U64(fpvm_mem_read64(m, 0x4ff8), fpk_be64(buf + 8));
  CHECK_EQ_U64(fpvm_mem_read64(m, 0x5000), fpk_be64(buf + 16));
  /* unallocated neighbours read as zero */
  fpvm_mem_read_range(m, 0x3ff8, back, 16);
  CHECK_EQ_U64(fpk_be64(back), 0);
  CHECK_EQ_U64(fpk_be64(back + 8), 0);
  /* zero length: nothing allocated */
  CHECK(fpvm_mem_set_range(m, 0x100000, buf, 0) == FPK_OK);
  CHECK_EQ_U64(fpvm_mem_page_count(m), 4);
  /* ending exactly at 2^64 is fine; one more byte wraps and fails without side effects */
  CHECK(fpvm_mem_set_range(m, 0xFFFFFFFFFFFFFFF0ull, buf, 16) == FPK_OK);
  CHECK_EQ_U64(fpvm_mem_page_count(m), 5);
  CHECK_EQ_U64(fpvm_mem_read64(m, 0xFFFFFFFFFFFFFFF8ull), fpk_be64(buf + 8));
  CHECK(fpvm_mem_set_range(m, 0xFFFFFFFFFFFFFFF0ull, buf, 17) == FPK_ERANGE);
  CHECK(fpk_errmsg()[0] != 0);
  CHECK(fpvm_mem_set_range(m, 0xFFFFFFFFFFFFF000ull - 8, buf, 0x2000) == FPK_ERANGE);
  CHECK_EQ_U64(fpvm_mem_page_count(m), 5);
  CHECK_EQ_U64(fpvm_mem_read64(m, 0xFFFFFFFFFFFFEFF8ull), 0);
  /* read_range wraps around the top like guest address arithmetic */
  fpvm_mem_read_range(m, 0xFFFFFFFFFFFFFFF8ull, back, 16);
  CHECK_EQ_U64(fpk_be64(back), fpk_be64(buf + 8));
  CHECK_EQ_U64(fpk_be64(back + 8), 0);
  /* zeros written by set_range still allocate (Cannon's SetMemoryRange) */
  static const uint8_t z[8];
  CHECK(fpvm_mem_set_range(m, 0x40000000, z, sizeof z) == FPK_OK);
  CHECK_EQ_U64(fpvm_mem_page_count(m), 6);
  /* the merkle root agrees with the word-level view */
  static ref_mem r;
  r.n = 0;
  for (size_t i = 0; i < sizeof buf; i++) ref_page(&r, (0x4ff0 + i) >> 12, 1)[(0x4ff0 + i) & 0xfff] = buf[i];
  for (size_t i = 0; i < 16; i++) ref_page(&r, (0xFFFFFFFFFFFFFFF0ull + i) >> 12, 1)[(0xFFFFFFFFFFFFFFF0ull + i) & 0xfff] = buf[i];
  uint8_t a[32], b[32];
  fpvm_mem_root(m, a);
  ref_root(&r, b);
  CHECK(memcmp(a, b, 32) == 0);
  fpvm_mem_destroy(m);
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  ref_zero_init();
  RUN(test_zero_hashes);
  RUN(test_vectors_v2);
  RUN(test_tlb_dirty_after_root);
  RUN(test_differential);
  RUN(test_zero_pages);
  RUN(test_iteration);
  RUN(test_clone);
  RUN(test_set_range);
  return fpk_test_main_end();
}
