/* libfpvm paged, merkleized memory: the ISA-independent 2^64-byte big-endian address space.
 *
 * 4 KiB pages in a page table keyed by page index (addr >> 12). Leaves are raw 32-byte chunks; the
 * tree is a binary Keccak-256 tree of depth 59 (Cannon / Asterisc layout). Writes only mark pages
 * dirty; hashes are recomputed lazily when fpvm_mem_root() or fpvm_mem_proof() is called.
 *
 * Fast path: the inline accessors below go through two small direct-mapped TLBs (read, write). A
 * write-TLB hit means "page already dirty since the last root/proof"; root/proof flush the write TLB.
 * Determinism: nothing here depends on host byte order; words are big-endian in memory.
 *
 * Invariants (what keeps the lazy hashes correct):
 *  - every page in the write TLB is on the dirty list; only fpvm_mem_wpage_slow and the range
 *    functions put pages there, and they mark the page dirty first;
 *  - fpvm_mem_root/fpvm_mem_proof rehash every dirty page (its 127 inner nodes) and every cached node
 *    above it, clear the dirty list, then empty the write TLB, so the next write to any page takes the
 *    slow path and dirties it again;
 *  - hence a pointer from fpvm_mem_wpage may be written through only until the next root/proof call:
 *    after that, get it again from fpvm_mem_wpage (a pointer kept across a root/proof and written
 *    through would change memory without the hashes noticing);
 *  - the read TLB caches only allocated pages (pages are never freed or moved), so it needs no flush;
 *  - outside root/proof, cached hashes of dirty pages and of their ancestors are stale and never read. */
#ifndef FPKIT_MEM_H
#define FPKIT_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fpkit/fpk.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FPVM_PAGE_SHIFT 12
#define FPVM_PAGE_SIZE 4096u
#define FPVM_MEM_DEPTH 59
#define FPVM_MEM_PROOF_SIZE 1920 /* leaf + 59 siblings, bottom-up */
#define FPVM_TLB_BITS 8
#define FPVM_TLB_SIZE (1u << FPVM_TLB_BITS)
#define FPVM_TLB_NONE UINT64_MAX /* impossible page index: page indices are < 2^52 */

typedef struct fpvm_page {
  uint8_t data[FPVM_PAGE_SIZE]; /* first, so it is 64-byte aligned when the page is */
  uint64_t index;               /* addr >> 12 */
  void *isa_cache;              /* owned by the ISA layer (e.g. decoded instructions); see isa_free */
  /* the rest is private to mem.c */
  struct fpvm_page_priv *priv;
} fpvm_page;

typedef struct fpvm_tlb_entry {
  uint64_t tag;
  fpvm_page *page;
} fpvm_tlb_entry;

typedef struct fpvm_mem {
  fpvm_tlb_entry rtlb[FPVM_TLB_SIZE];
  fpvm_tlb_entry wtlb[FPVM_TLB_SIZE];
  /* Called on a page's isa_cache when the page is destroyed (may be NULL). */
  void (*isa_free)(void *isa_cache);
  struct fpvm_mem_priv *priv;
} fpvm_mem;

/* Returns NULL on allocation failure. Ownership: one fpvm_mem_destroy per create. */
fpvm_mem *fpvm_mem_create(void);
void fpvm_mem_destroy(fpvm_mem *m); /* NULL ok */
/* Deep copy (pages, dirty state and hash caches), for snapshots and differential tests. NULL on OOM.
 * The copy's pages start with isa_cache = NULL (the ISA layer's caches stay with the original). */
fpvm_mem *fpvm_mem_clone(const fpvm_mem *m);

/* Slow paths of the inline accessors (fill the TLBs). */
fpvm_page *fpvm_mem_rpage_slow(fpvm_mem *m, uint64_t pidx);           /* NULL if not allocated */
fpvm_page *fpvm_mem_wpage_slow(fpvm_mem *m, uint64_t pidx);           /* allocates; aborts on OOM */

/* Page for reading, or NULL when the page was never written (reads as zeros; no allocation). */
static inline fpvm_page *fpvm_mem_rpage(fpvm_mem *m, uint64_t pidx) {
  fpvm_tlb_entry *e = &m->rtlb[pidx & (FPVM_TLB_SIZE - 1)];
  if (FPK_LIKELY(e->tag == pidx)) return e->page;
  return fpvm_mem_rpage_slow(m, pidx);
}
/* Page for writing: allocates it (Cannon allocates on every write, even of an unchanged value)
 * and marks it dirty. The returned pointer stays valid until fpvm_mem_destroy. */
static inline fpvm_page *fpvm_mem_wpage(fpvm_mem *m, uint64_t pidx) {
  fpvm_tlb_entry *e = &m->wtlb[pidx & (FPVM_TLB_SIZE - 1)];
  if (FPK_LIKELY(e->tag == pidx)) return e->page;
  return fpvm_mem_wpage_slow(m, pidx);
}

/* Aligned 64-bit big-endian word at addr & ~7. */
static inline uint64_t fpvm_mem_read64(fpvm_mem *m, uint64_t addr) {
  fpvm_page *p = fpvm_mem_rpage(m, addr >> FPVM_PAGE_SHIFT);
  if (!p) return 0;
  return fpk_be64(p->data + (addr & (FPVM_PAGE_SIZE - 8)));
}
static inline void fpvm_mem_write64(fpvm_mem *m, uint64_t addr, uint64_t v) {
  fpvm_page *p = fpvm_mem_wpage(m, addr >> FPVM_PAGE_SHIFT);
  fpk_put_be64(p->data + (addr & (FPVM_PAGE_SIZE - 8)), v);
}
/* Aligned 32-bit big-endian word at addr & ~3. */
static inline uint32_t fpvm_mem_read32(fpvm_mem *m, uint64_t addr) {
  fpvm_page *p = fpvm_mem_rpage(m, addr >> FPVM_PAGE_SHIFT);
  if (!p) return 0;
  return fpk_be32(p->data + (addr & (FPVM_PAGE_SIZE - 4)));
}

/* Copy len bytes into memory at addr, allocating (and dirtying) every touched page even for zero
 * bytes (Cannon's SetMemoryRange). Fails with FPK_ERANGE if [addr, addr+len) wraps. */
FPK_NODISCARD int fpvm_mem_set_range(fpvm_mem *m, uint64_t addr, const void *src, size_t len);
/* Copy out len bytes (unallocated bytes read as zero; never allocates). */
void fpvm_mem_read_range(fpvm_mem *m, uint64_t addr, void *dst, size_t len);

size_t fpvm_mem_page_count(const fpvm_mem *m);
/* Visit allocated pages in ascending page-index order; stop early when fn returns non-zero (returned). */
int fpvm_mem_foreach_page(const fpvm_mem *m, int (*fn)(void *ctx, const fpvm_page *p), void *ctx);

/* Merkle root (rehashes dirty pages, patches the upper tree). Flushes the write TLB. */
void fpvm_mem_root(fpvm_mem *m, uint8_t out[32]);
/* Proof for the leaf containing addr: leaf (32) ‖ 59 siblings bottom-up. Flushes the write TLB. */
void fpvm_mem_proof(fpvm_mem *m, uint64_t addr, uint8_t out[FPVM_MEM_PROOF_SIZE]);
/* Z[h]: root of an all-zero subtree of height h (0 = a zero leaf), h in [0, 59]. */
const uint8_t *fpvm_mem_zero_hash(unsigned h);

/* Check a proof against a root; on success *word = the aligned 64-bit word at addr. Pure function
 * (used by tests; the verifier has its own). */
bool fpvm_mem_proof_check(const uint8_t root[32], uint64_t addr, const uint8_t proof[FPVM_MEM_PROOF_SIZE],
                          uint64_t *word);

#ifdef __cplusplus
}
#endif
#endif
