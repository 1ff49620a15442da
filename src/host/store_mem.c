/* In-memory store: open addressing keyed by the key's bytes 1..8 (already a hash for every key type but
 * local, whose index sits at the end, so mix both ends). */
#include <stdlib.h>
#include <string.h>

#include "host/store.h"

typedef struct {
  uint8_t key[32];
  uint8_t *val; /* NULL marks an empty slot */
  size_t len;
} slot;

typedef struct {
  fph_store base;
  slot *slots;
  size_t cap, used; /* cap is a power of two */
} mem_store;

static uint64_t mix(const uint8_t key[32]) {
  uint64_t h = fpk_be64(key + 1) ^ (fpk_be64(key + 24) * 0x9e3779b97f4a7c15ull) ^ key[0];
  h ^= h >> 31;
  return h * 0xbf58476d1ce4e5b9ull;
}

static slot *find(mem_store *m, const uint8_t key[32]) {
  size_t i = (size_t)mix(key) & (m->cap - 1);
  while (m->slots[i].val && memcmp(m->slots[i].key, key, 32) != 0) i = (i + 1) & (m->cap - 1);
  return &m->slots[i];
}

static int grow(mem_store *m) {
  size_t ncap = m->cap * 2;
  slot *old = m->slots;
  size_t ocap = m->cap;
  m->slots = calloc(ncap, sizeof *m->slots);
  if (!m->slots) {
    m->slots = old;
    return fpk_errf(FPK_ENOMEM, "mem store: cannot grow to %zu slots", ncap);
  }
  m->cap = ncap;
  for (size_t i = 0; i < ocap; i++)
    if (old[i].val) *find(m, old[i].key) = old[i];
  free(old);
  return FPK_OK;
}

static int m_get(fph_store *s, const uint8_t key[32], uint8_t **val, size_t *len) {
  slot *e = find((mem_store *)s, key);
  if (!e->val) return FPK_ENOTFOUND;
  *val = malloc(e->len ? e->len : 1);
  if (!*val) return fpk_errf(FPK_ENOMEM, "mem store: get of %zu bytes", e->len);
  memcpy(*val, e->val, e->len);
  *len = e->len;
  return FPK_OK;
}

static int m_put(fph_store *s, const uint8_t key[32], const uint8_t *val, size_t len) {
  mem_store *m = (mem_store *)s;
  if ((m->used + 1) * 4 > m->cap * 3) {
    int rc = grow(m);
    if (rc != FPK_OK) return rc;
  }
  uint8_t *copy = malloc(len ? len : 1);
  if (!copy) return fpk_errf(FPK_ENOMEM, "mem store: put of %zu bytes", len);
  if (len) memcpy(copy, val, len);
  slot *e = find(m, key);
  if (e->val)
    free(e->val);
  else
    m->used++;
  memcpy(e->key, key, 32);
  e->val = copy;
  e->len = len;
  return FPK_OK;
}

static int m_has(fph_store *s, const uint8_t key[32]) { return find((mem_store *)s, key)->val != NULL; }

static int m_iterate(fph_store *s, fph_iter_fn fn, void *arg) {
  mem_store *m = (mem_store *)s;
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slots[i].val) continue;
    int rc = fn(arg, m->slots[i].key, m->slots[i].val, m->slots[i].len);
    if (rc != FPK_OK) return rc;
  }
  return FPK_OK;
}

static int m_close(fph_store *s) {
  mem_store *m = (mem_store *)s;
  for (size_t i = 0; i < m->cap; i++) free(m->slots[i].val);
  free(m->slots);
  free(m);
  return FPK_OK;
}

static const fph_store_ops mem_ops = {"mem", m_get, m_put, m_has, m_iterate, NULL, NULL, m_close};

int fph_store_mem_open(fph_store **out) {
  mem_store *m = calloc(1, sizeof *m);
  if (m) m->slots = calloc(64, sizeof *m->slots);
  if (!m || !m->slots) {
    free(m);
    return fpk_errf(FPK_ENOMEM, "mem store: open");
  }
  m->cap = 64;
  m->base.ops = &mem_ops;
  *out = &m->base;
  return FPK_OK;
}
