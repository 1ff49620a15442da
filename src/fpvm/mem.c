/* Sparse merkleized memory (cannon.md §2): a page table of 4 KiB pages, a per-page cache of the 127
 * inner nodes above the page's 128 leaves, and a map of the inner nodes above pages keyed by
 * generalized index. Hashing is lazy: writes only collect dirty pages; fpvm_mem_root/proof rehash the
 * dirty pages and then the upper tree level by level, batching each level through
 * fpk_keccak256_nodes (multi-lane SIMD). Invariants are stated in fpkit/mem.h. */
#include "fpkit/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/keccak.h"

#define PAGE_BITS 52u /* depth of a page root below the memory root */
#define PAGE_HEIGHT 7u /* height of a page root above its leaves (128 leaves) */

struct fpvm_page_priv {
  /* Heap-ordered inner nodes of the page: node[1] = page root, children of k at 2k and 2k+1, node[64+i]
   * = keccak(leaf 2i ‖ leaf 2i+1). Exact whenever the page is not dirty. node[0] is unused. */
  uint8_t node[128][32];
  bool dirty;
};

/* One allocation per page, 64-byte aligned, never moved: page pointers stay valid until destroy. */
typedef struct page_block {
  fpvm_page pub;
  struct fpvm_page_priv priv;
} page_block;
#define PAGE_BLOCK_SIZE ((sizeof(page_block) + 63) & ~(size_t)63)

/* Page-table slot: the key sits next to the pointer so a probe never touches page memory. */
typedef struct tslot {
  uint64_t key; /* page index; meaningless when pg == NULL */
  fpvm_page *pg;
} tslot;

struct fpvm_mem_priv {
  tslot *tab;      /* open addressing, linear probing, keyed by page index */
  size_t tab_cap;  /* power of two */
  size_t count;
  fpvm_page **dirty; /* pages written since the last root/proof */
  size_t ndirty, dirty_cap;
  /* Cached inner nodes above the pages: key = generalized index (1 << depth) | prefix, depth < 52; a node
   * missing from the map is the root of an all-zero subtree. Keys and hashes live in separate arrays so
   * that probes (mostly misses, for the zero siblings of sparse pages) touch 8 bytes per slot, not 40. */
  uint64_t *upk;      /* open addressing, keyed by generalized index; 0 = empty slot */
  uint8_t (*uph)[32]; /* hash of the node in the same slot */
  size_t up_cap, up_count;
};

/* ---- zero hashes ---- */

static uint8_t zero_hash[FPVM_MEM_DEPTH + 1][32];
static pthread_once_t zero_once = PTHREAD_ONCE_INIT;

static void zero_init(void) {
  memset(zero_hash[0], 0, 32);
  for (unsigned h = 1; h <= FPVM_MEM_DEPTH; h++) fpk_keccak256_node(zero_hash[h], zero_hash[h - 1], zero_hash[h - 1]);
}

const uint8_t *fpvm_mem_zero_hash(unsigned h) {
  pthread_once(&zero_once, zero_init);
  return zero_hash[h <= FPVM_MEM_DEPTH ? h : FPVM_MEM_DEPTH];
}

/* ---- hash tables ---- */

static inline size_t slot_of(uint64_t key, size_t cap) {
  return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

static fpvm_page *tab_find(const struct fpvm_mem_priv *p, uint64_t pidx) {
  size_t mask = p->tab_cap - 1;
  for (size_t i = slot_of(pidx, p->tab_cap);; i = (i + 1) & mask) {
    const tslot *t = &p->tab[i];
    if (!t->pg || t->key == pidx) return t->pg;
  }
}

static void tab_insert_nogrow(tslot *tab, size_t cap, fpvm_page *pg) {
  size_t i = slot_of(pg->index, cap);
  while (tab[i].pg) i = (i + 1) & (cap - 1);
  tab[i].key = pg->index;
  tab[i].pg = pg;
}

static int tab_reserve(struct fpvm_mem_priv *p, size_t want) {
  if (2 * want <= p->tab_cap) return 0;
  size_t cap = p->tab_cap ? p->tab_cap : 64;
  while (2 * want > cap) cap *= 2;
  tslot *t = calloc(cap, sizeof *t);
  if (!t) return -1;
  for (size_t i = 0; i < p->tab_cap; i++)
    if (p->tab[i].pg) tab_insert_nogrow(t, cap, p->tab[i].pg);
  free(p->tab);
  p->tab = t;
  p->tab_cap = cap;
  return 0;
}

/* Hash cached for key, or NULL. */
static const uint8_t *up_find(const struct fpvm_mem_priv *p, uint64_t key) {
  if (!p->up_cap) return NULL;
  size_t mask = p->up_cap - 1;
  for (size_t i = slot_of(key, p->up_cap);; i = (i + 1) & mask) {
    uint64_t k = p->upk[i];
    if (k == key) return p->uph[i];
    if (!k) return NULL;
  }
}

static int up_reserve(struct fpvm_mem_priv *p, size_t want) {
  if (2 * want <= p->up_cap) return 0;
  size_t cap = p->up_cap ? p->up_cap : 256;
  while (2 * want > cap) cap *= 2;
  uint64_t *k = calloc(cap, sizeof *k);
  uint8_t(*h)[32] = malloc(cap * sizeof *h);
  if (!k || !h) {
    free(k);
    free(h);
    return -1;
  }
  for (size_t i = 0; i < p->up_cap; i++) {
    if (!p->upk[i]) continue;
    size_t j = slot_of(p->upk[i], cap);
    while (k[j]) j = (j + 1) & (cap - 1);
    k[j] = p->upk[i];
    memcpy(h[j], p->uph[i], 32);
  }
  free(p->upk);
  free(p->uph);
  p->upk = k;
  p->uph = h;
  p->up_cap = cap;
  return 0;
}

/* Insert or overwrite; room must have been reserved. */
static void up_put(struct fpvm_mem_priv *p, uint64_t key, const uint8_t h[32]) {
  size_t mask = p->up_cap - 1;
  size_t i = slot_of(key, p->up_cap);
  while (p->upk[i] && p->upk[i] != key) i = (i + 1) & mask;
  if (!p->upk[i]) {
    p->upk[i] = key;
    p->up_count++;
  }
  memcpy(p->uph[i], h, 32);
}

/* ---- create / destroy / clone ---- */

static void tlb_flush(fpvm_tlb_entry *t) {
  for (unsigned i = 0; i < FPVM_TLB_SIZE; i++) {
    t[i].tag = FPVM_TLB_NONE;
    t[i].page = NULL;
  }
}

fpvm_mem *fpvm_mem_create(void) {
  fpvm_mem *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->priv = calloc(1, sizeof *m->priv);
  if (!m->priv || tab_reserve(m->priv, 1)) {
    free(m->priv);
    free(m);
    return NULL;
  }
  tlb_flush(m->rtlb);
  tlb_flush(m->wtlb);
  return m;
}

void fpvm_mem_destroy(fpvm_mem *m) {
  if (!m) return;
  struct fpvm_mem_priv *p = m->priv;
  for (size_t i = 0; i < p->tab_cap; i++) {
    fpvm_page *pg = p->tab[i].pg;
    if (!pg) continue;
    if (pg->isa_cache && m->isa_free) m->isa_free(pg->isa_cache);
    free(pg); /* pg is the start of its page_block */
  }
  free(p->tab);
  free(p->dirty);
  free(p->upk);
  free(p->uph);
  free(p);
  free(m);
}

static page_block *block_alloc(void) { return aligned_alloc(64, PAGE_BLOCK_SIZE); }

static int dirty_push(struct fpvm_mem_priv *p, fpvm_page *pg) {
  if (p->ndirty == p->dirty_cap) {
    size_t cap = p->dirty_cap ? 2 * p->dirty_cap : 64;
    fpvm_page **d = realloc(p->dirty, cap * sizeof *d);
    if (!d) return -1;
    p->dirty = d;
    p->dirty_cap = cap;
  }
  p->dirty[p->ndirty++] = pg;
  return 0;
}

fpvm_mem *fpvm_mem_clone(const fpvm_mem *m) {
  fpvm_mem *c = fpvm_mem_create();
  if (!c) return NULL;
  struct fpvm_mem_priv *sp = m->priv, *cp = c->priv;
  c->isa_free = m->isa_free;
  if (tab_reserve(cp, sp->count)) goto oom;
  if (sp->up_cap) { /* same capacity, so every entry keeps its slot */
    cp->upk = malloc(sp->up_cap * sizeof *cp->upk);
    cp->uph = malloc(sp->up_cap * sizeof *cp->uph);
    if (!cp->upk || !cp->uph) goto oom; /* destroy frees whichever exists */
    memcpy(cp->upk, sp->upk, sp->up_cap * sizeof *sp->upk);
    memcpy(cp->uph, sp->uph, sp->up_cap * sizeof *sp->uph);
    cp->up_cap = sp->up_cap;
    cp->up_count = sp->up_count;
  }
  for (size_t i = 0; i < sp->tab_cap; i++) {
    const fpvm_page *src = sp->tab[i].pg;
    if (!src) continue;
    page_block *b = block_alloc();
    if (!b) goto oom;
    memcpy(b, src, sizeof *b);
    b->pub.priv = &b->priv;
    b->pub.isa_cache = NULL; /* the ISA layer's cache belongs to the original; the copy rebuilds its own */
    tab_insert_nogrow(cp->tab, cp->tab_cap, &b->pub);
    cp->count++;
    if (b->priv.dirty && dirty_push(cp, &b->pub)) goto oom;
  }
  return c;
oom:
  fpvm_mem_destroy(c);
  return NULL;
}

/* ---- page lookup ---- */

fpvm_page *fpvm_mem_rpage_slow(fpvm_mem *m, uint64_t pidx) {
  fpvm_page *pg = tab_find(m->priv, pidx);
  if (pg) { /* only real pages are cached: a missing page may be allocated later */
    fpvm_tlb_entry *e = &m->rtlb[pidx & (FPVM_TLB_SIZE - 1)];
    e->tag = pidx;
    e->page = pg;
  }
  return pg;
}

/* Page for writing, allocated if needed and marked dirty; no TLB update. NULL on OOM. */
static fpvm_page *page_for_write(fpvm_mem *m, uint64_t pidx) {
  struct fpvm_mem_priv *p = m->priv;
  fpvm_page *pg = tab_find(p, pidx);
  if (!pg) {
    if (tab_reserve(p, p->count + 1)) return NULL;
    page_block *b = block_alloc();
    if (!b) return NULL;
    memset(b, 0, sizeof *b);
    b->pub.index = pidx;
    b->pub.priv = &b->priv;
    pg = &b->pub;
    tab_insert_nogrow(p->tab, p->tab_cap, pg);
    p->count++;
  }
  if (!pg->priv->dirty) {
    if (dirty_push(p, pg)) return NULL;
    pg->priv->dirty = true;
  }
  return pg;
}

fpvm_page *fpvm_mem_wpage_slow(fpvm_mem *m, uint64_t pidx) {
  if (pidx >> PAGE_BITS) abort(); /* caller bug: page indices are addr >> 12 */
  fpvm_page *pg = page_for_write(m, pidx);
  if (!pg) abort(); /* documented: the write fast path has no error channel */
  fpvm_tlb_entry *e = &m->wtlb[pidx & (FPVM_TLB_SIZE - 1)];
  e->tag = pidx;
  e->page = pg;
  e = &m->rtlb[pidx & (FPVM_TLB_SIZE - 1)];
  e->tag = pidx;
  e->page = pg;
  return pg;
}

/* ---- ranges ---- */

int fpvm_mem_set_range(fpvm_mem *m, uint64_t addr, const void *src, size_t len) {
  if (len && (uint64_t)(len - 1) > UINT64_MAX - addr)
    return fpk_errf(FPK_ERANGE, "mem: set_range: [0x%llx, +0x%llx) wraps past 2^64", (unsigned long long)addr,
                    (unsigned long long)len);
  const uint8_t *s = src;
  while (len) {
    uint64_t off = addr & (FPVM_PAGE_SIZE - 1);
    size_t n = FPVM_PAGE_SIZE - off;
    if (n > len) n = len;
    fpvm_page *pg = page_for_write(m, addr >> FPVM_PAGE_SHIFT);
    if (!pg) return fpk_errf(FPK_ENOMEM, "mem: set_range: out of memory allocating a page");
    memcpy(pg->data + off, s, n);
    s += n;
    len -= n;
    addr += n; /* may become 0 exactly at the end of the space; the loop then ends */
  }
  return FPK_OK;
}

void fpvm_mem_read_range(fpvm_mem *m, uint64_t addr, void *dst, size_t len) {
  uint8_t *d = dst;
  while (len) {
    uint64_t off = addr & (FPVM_PAGE_SIZE - 1);
    size_t n = FPVM_PAGE_SIZE - off;
    if (n > len) n = len;
    fpvm_page *pg = fpvm_mem_rpage(m, addr >> FPVM_PAGE_SHIFT);
    if (pg)
      memcpy(d, pg->data + off, n);
    else
      memset(d, 0, n);
    d += n;
    len -= n;
    addr += n; /* wraps modulo 2^64 like the guest's address arithmetic */
  }
}

size_t fpvm_mem_page_count(const fpvm_mem *m) { return m->priv->count; }

static int cmp_page(const void *a, const void *b) {
  uint64_t x = (*(const fpvm_page *const *)a)->index, y = (*(const fpvm_page *const *)b)->index;
  return x < y ? -1 : x > y;
}

int fpvm_mem_foreach_page(const fpvm_mem *m, int (*fn)(void *ctx, const fpvm_page *p), void *ctx) {
  const struct fpvm_mem_priv *p = m->priv;
  if (!p->count) return 0;
  fpvm_page **v = malloc(p->count * sizeof *v);
  if (!v) return fpk_errf(FPK_ENOMEM, "mem: foreach_page: out of memory");
  size_t n = 0;
  for (size_t i = 0; i < p->tab_cap; i++)
    if (p->tab[i].pg) v[n++] = p->tab[i].pg;
  qsort(v, n, sizeof *v, cmp_page);
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) rc = fn(ctx, v[i]);
  free(v);
  return rc;
}

/* ---- merkleization ---- */

static bool page_is_zero(const fpvm_page *pg) {
  uint64_t acc = 0;
  for (size_t i = 0; i < FPVM_PAGE_SIZE; i += 8) {
    uint64_t w;
    memcpy(&w, pg->data + i, 8);
    acc |= w;
  }
  return acc == 0;
}

/* Recompute the lower 120 inner nodes of a page (levels of 64, 32, 16 and 8 nodes, one batched call
 * each); the top 7 are left to page_rehash_tops, which batches them across pages. Returns false for an
 * all-zero page, which is finished here without hashing (common after set_range of zeros: bss, stacks). */
static bool page_rehash_low(fpvm_page *pg) {
  uint8_t(*node)[32] = pg->priv->node;
  if (page_is_zero(pg)) {
    for (unsigned lvl = 0; lvl < PAGE_HEIGHT; lvl++)
      for (unsigned k = 1u << lvl; k < 2u << lvl; k++) memcpy(node[k], fpvm_mem_zero_hash(PAGE_HEIGHT - lvl), 32);
    return false;
  }
  fpk_keccak256_nodes(node[64], pg->data, 64);
  for (unsigned n = 32; n >= 8; n /= 2) fpk_keccak256_nodes(node[n], node[2 * n], n);
  return true;
}

/* Levels of 4, 2 and 1 nodes of npg pages, gathered so that each level is one multi-lane batch.
 * in needs 256 * npg bytes, out 128 * npg. */
static void page_rehash_tops(fpvm_page **pgs, size_t npg, uint8_t *in, uint8_t *out) {
  for (unsigned n = 4; n >= 1; n /= 2) {
    for (size_t j = 0; j < npg; j++) memcpy(in + 64 * n * j, pgs[j]->priv->node[2 * n], 64 * n);
    fpk_keccak256_nodes(out, in, n * npg);
    for (size_t j = 0; j < npg; j++) memcpy(pgs[j]->priv->node[n], out + 32 * n * j, 32 * n);
  }
}

/* Hash of the tree node at depth d (1 <= d <= 52) with the given prefix, from the caches. */
static const uint8_t *node_at(const struct fpvm_mem_priv *p, unsigned d, uint64_t prefix) {
  if (d == PAGE_BITS) {
    const fpvm_page *pg = tab_find(p, prefix);
    return pg ? pg->priv->node[1] : fpvm_mem_zero_hash(PAGE_HEIGHT);
  }
  const uint8_t *h = up_find(p, (1ull << d) | prefix);
  return h ? h : fpvm_mem_zero_hash(FPVM_MEM_DEPTH - d);
}

typedef struct dnode {
  uint64_t idx; /* prefix of a node recomputed in this pass */
  fpvm_page *pg; /* at the page level: its page */
} dnode;

static int cmp_dnode(const void *a, const void *b) {
  uint64_t x = ((const dnode *)a)->idx, y = ((const dnode *)b)->idx;
  return x < y ? -1 : x > y;
}

/* Bring every cache up to date and flush the write TLB, so that the next write to any page goes
 * through the slow path and marks it dirty again. */
static void flush(fpvm_mem *m) {
  struct fpvm_mem_priv *p = m->priv;
  tlb_flush(m->wtlb);
  size_t n = p->ndirty;
  if (!n) return;
  dnode *cur = malloc(n * sizeof *cur);
  uint8_t *in = malloc(256 * n), *hash = malloc(128 * n);
  if (!cur || !in || !hash) abort(); /* no error channel in root/proof */
  size_t nz = 0; /* non-zero pages, moved to the front of the dirty list */
  for (size_t i = 0; i < n; i++) {
    fpvm_page *pg = p->dirty[i];
    if (page_rehash_low(pg)) {
      p->dirty[i] = p->dirty[nz];
      p->dirty[nz++] = pg;
    }
    pg->priv->dirty = false;
    cur[i].idx = pg->index;
    cur[i].pg = pg;
  }
  page_rehash_tops(p->dirty, nz, in, hash);
  p->ndirty = 0;
  qsort(cur, n, sizeof *cur, cmp_dnode);
  for (size_t i = 0; i < n; i++) memcpy(hash + 32 * i, cur[i].pg->priv->node[1], 32);
  /* Level by level: the parents of the nodes recomputed at depth d+1 (sorted in cur, hashes in hash),
   * all hashed in one batch. A child not recomputed in this pass comes from the caches. */
  for (unsigned d = PAGE_BITS; d-- > 0;) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++, k++) {
      uint64_t c = cur[i].idx, q = c >> 1;
      uint8_t *dst = in + 64 * k;
      if (i + 1 < n && (cur[i + 1].idx >> 1) == q) { /* both children recomputed */
        memcpy(dst, hash + 32 * i, 64);
        i++;
      } else if (c & 1) {
        memcpy(dst, node_at(p, d + 1, c ^ 1), 32);
        memcpy(dst + 32, hash + 32 * i, 32);
      } else {
        memcpy(dst, hash + 32 * i, 32);
        memcpy(dst + 32, node_at(p, d + 1, c ^ 1), 32);
      }
      cur[k].idx = q; /* k <= i: in-place compaction keeps the list sorted */
    }
    n = k;
    fpk_keccak256_nodes(hash, in, n);
    if (up_reserve(p, p->up_count + n)) abort();
    for (size_t i = 0; i < n; i++) up_put(p, (1ull << d) | cur[i].idx, hash + 32 * i);
  }
  free(cur);
  free(in);
  free(hash);
}

void fpvm_mem_root(fpvm_mem *m, uint8_t out[32]) {
  flush(m);
  const uint8_t *h = up_find(m->priv, 1);
  memcpy(out, h ? h : fpvm_mem_zero_hash(FPVM_MEM_DEPTH), 32);
}

void fpvm_mem_proof(fpvm_mem *m, uint64_t addr, uint8_t out[FPVM_MEM_PROOF_SIZE]) {
  flush(m);
  const struct fpvm_mem_priv *p = m->priv;
  uint64_t pidx = addr >> FPVM_PAGE_SHIFT;
  unsigned leaf = (unsigned)(addr >> 5) & 127;
  const fpvm_page *pg = tab_find(p, pidx);
  uint8_t *o = out;
  if (pg) {
    memcpy(o, pg->data + 32 * leaf, 32);
    memcpy(o + 32, pg->data + 32 * (leaf ^ 1), 32);
    o += 64;
    for (unsigned k = (128 + leaf) >> 1; k > 1; k >>= 1, o += 32) memcpy(o, pg->priv->node[k ^ 1], 32);
  } else {
    memset(o, 0, 32);
    o += 32;
    for (unsigned h = 0; h < PAGE_HEIGHT; h++, o += 32) memcpy(o, fpvm_mem_zero_hash(h), 32);
  }
  for (unsigned d = PAGE_BITS; d >= 1; d--, o += 32) memcpy(o, node_at(p, d, (pidx >> (PAGE_BITS - d)) ^ 1), 32);
}

bool fpvm_mem_proof_check(const uint8_t root[32], uint64_t addr, const uint8_t proof[FPVM_MEM_PROOF_SIZE],
                          uint64_t *word) {
  uint8_t node[32];
  uint64_t path = addr >> 5;
  memcpy(node, proof, 32);
  for (unsigned i = 0; i < FPVM_MEM_DEPTH; i++) {
    const uint8_t *sib = proof + 32 * (i + 1);
    if ((path >> i) & 1)
      fpk_keccak256_node(node, sib, node);
    else
      fpk_keccak256_node(node, node, sib);
  }
  if (memcmp(node, root, 32) != 0) return false;
  if (word) *word = fpk_be64(proof + (addr & 24));
  return true;
}
