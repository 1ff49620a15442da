/* The SDK heap: power-of-two blocks carved from a region by a bump pointer, freed blocks kept on one
 * list per size class. Every block starts with a 16-byte header holding its class, so free() needs no
 * size and user pointers stay 16-byte aligned. Deterministic (no addresses from the OS beyond the
 * region bases), O(1) per call, and wasteful by at most 2x — fine for a VM whose pages appear on touch.
 * When the region runs out, the grow hook (start-up installs an mmap) supplies a new one; the rest of
 * the old region is abandoned. */
#include "fpkit/fpp.h"

enum { HDR = 16, MIN_CLASS = 5, MAX_CLASS = 62 };

typedef struct block {
  uint64_t cls;       /* size class: block size = 1 << cls (header included) */
  uint64_t magic;     /* catches frees of pointers the heap never returned */
  struct block *next; /* only while free: overlaps the payload */
} block;

#define HEAP_MAGIC 0x6670705f68656170ull /* "fpp_heap" */

static uint8_t *heap_base, *heap_next, *heap_end;
static block *free_lists[MAX_CLASS + 1];
static void *(*grow_fn)(size_t need, size_t *got);

void fpp_heap_set_grow(void *(*grow)(size_t need, size_t *got)) { grow_fn = grow; }

static size_t used_before; /* bytes handed out from abandoned regions */

static void set_region(void *base, size_t size) {
  uintptr_t b = ((uintptr_t)base + 15) & ~(uintptr_t)15;
  heap_base = heap_next = (uint8_t *)b;
  heap_end = (uint8_t *)base + size;
  if ((uintptr_t)heap_end < b) heap_end = heap_next;
}

void fpp_heap_init(void *base, size_t size) {
  set_region(base, size);
  used_before = 0;
  for (int i = 0; i <= MAX_CLASS; i++) free_lists[i] = NULL;
}

size_t fpp_heap_used(void) { return used_before + (size_t)(heap_next - heap_base); }

static bool grow(size_t sz) {
  size_t got = 0;
  void *p = grow_fn ? grow_fn(sz + 16, &got) : NULL;
  if (!p || got < sz + 16) return false;
  used_before += (size_t)(heap_next - heap_base);
  set_region(p, got);
  return true;
}

static int class_for(size_t n) {
  if (n > ((size_t)1 << (MAX_CLASS - 1)) - HDR) return -1;
  size_t need = n + HDR;
  int c = MIN_CLASS;
  while (((size_t)1 << c) < need) c++;
  return c;
}

void *fpp_malloc(size_t n) {
  int c = class_for(n);
  if (c < 0) return NULL;
  block *b = free_lists[c];
  if (b) {
    free_lists[c] = b->next;
  } else {
    size_t sz = (size_t)1 << c;
    if ((size_t)(heap_end - heap_next) < sz && !grow(sz)) return NULL;
    b = (block *)(void *)heap_next;
    heap_next += sz;
    b->cls = (uint64_t)c;
  }
  b->magic = HEAP_MAGIC;
  return (uint8_t *)b + HDR;
}

static block *block_of(void *p) {
  block *b = (block *)(void *)((uint8_t *)p - HDR);
  if (((uintptr_t)p & 15) || b->magic != HEAP_MAGIC || b->cls < MIN_CLASS || b->cls > MAX_CLASS)
    fpp_panic("heap: free/realloc of a pointer the heap did not return (or a double free)");
  return b;
}

void fpp_free(void *p) {
  if (!p) return;
  block *b = block_of(p);
  b->magic = 0;
  b->next = free_lists[b->cls];
  free_lists[b->cls] = b;
}

void *fpp_calloc(size_t n, size_t size) {
  if (size && n > (size_t)-1 / size) return NULL;
  void *p = fpp_malloc(n * size);
  if (p) fpp_memset(p, 0, n * size);
  return p;
}

void *fpp_realloc(void *p, size_t n) {
  if (!p) return fpp_malloc(n);
  block *b = block_of(p);
  size_t cap = ((size_t)1 << b->cls) - HDR;
  if (n <= cap) return p;
  void *q = fpp_malloc(n);
  if (!q) return NULL;
  fpp_memcpy(q, p, cap);
  fpp_free(p);
  return q;
}

void *fpp_xmalloc(size_t n) {
  void *p = fpp_malloc(n);
  if (!p) fpp_panic("heap: out of memory allocating %zu bytes", n);
  return p;
}
