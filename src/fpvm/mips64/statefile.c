/* Cannon's binary state file, version 8 (cannon.md §1.6). The reader is stricter than Go's where Go
 * would accept a file its own writer never produces (unsorted/duplicate pages, page indices >= 2^52,
 * trailing bytes): such files are rejected with the offending field named. */
#include <stdlib.h>
#include <string.h>

#include "fpkit/mips64.h"

#define PAGE_REC (8u + FPVM_PAGE_SIZE)
#define FIXED_PART 92u

typedef struct {
  const uint8_t *p;
  size_t len, off;
  const char *name;
} reader;

static int need(reader *r, size_t n, const char *field) {
  if (r->len - r->off < n)
    return fpk_errf(FPK_ETRUNC, "%s: field %s: truncated (need %zu bytes at offset %zu, %zu left)", r->name, field, n,
                    r->off, r->len - r->off);
  return FPK_OK;
}

static int rd_u8(reader *r, const char *field, uint8_t *v) {
  int rc = need(r, 1, field);
  if (rc) return rc;
  *v = r->p[r->off++];
  return FPK_OK;
}

static int rd_u64(reader *r, const char *field, uint64_t *v) {
  int rc = need(r, 8, field);
  if (rc) return rc;
  *v = fpk_be64(r->p + r->off);
  r->off += 8;
  return FPK_OK;
}

static int rd_flag(reader *r, const char *field, uint8_t *v) {
  int rc = rd_u8(r, field, v);
  if (rc) return rc;
  if (*v > 1) return fpk_errf(FPK_EFORMAT, "%s: field %s: value %u is not 0 or 1", r->name, field, (unsigned)*v);
  return FPK_OK;
}

static int rd_stack(reader *r, const char *field, fpvm_mips64_stack *st) {
  uint64_t n;
  int rc = rd_u64(r, field, &n);
  if (rc) return rc;
  if (n > (r->len - r->off) / FPVM_MIPS64_THREAD_SIZE)
    return fpk_errf(FPK_ETRUNC, "%s: field %s: truncated (%llu threads do not fit in the %zu bytes left)", r->name, field,
                    (unsigned long long)n, r->len - r->off);
  for (uint64_t i = 0; i < n; i++) {
    fpvm_mips64_thread t;
    fpvm_mips64_thread_decode(&t, r->p + r->off);
    /* Go reads a thread's exited byte as a bool (non-zero = true) and writes it back as 1 */
    t.exited = t.exited ? 1 : 0;
    r->off += FPVM_MIPS64_THREAD_SIZE;
    if ((rc = fpvm_mips64_stack_push(st, &t))) return rc;
  }
  return FPK_OK;
}

int fpvm_mips64_state_decode(fpvm_mips64_state **out, const uint8_t *buf, size_t len, const char *name) {
  *out = NULL;
  if (!name) name = "state";
  reader r = {buf, len, 0, name};
  uint8_t version;
  int rc = rd_u8(&r, "version", &version);
  if (rc) return rc;
  if (version != FPVM_MIPS64_STATE_VERSION)
    return fpk_errf(FPK_EVERSION, "%s: field version: unsupported state version %u (only %u, %s)", name,
                    (unsigned)version, FPVM_MIPS64_STATE_VERSION, FPVM_MIPS64_TYPE_NAME);
  fpvm_mips64_state *s = fpvm_mips64_state_create_empty();
  if (!s) return fpk_errf(FPK_ENOMEM, "%s: out of memory", name);
  s->left.n = 0;

  uint64_t npages;
  if ((rc = rd_u64(&r, "pageCount", &npages))) goto fail;
  if (npages > (r.len - r.off) / PAGE_REC) {
    rc = fpk_errf(FPK_ETRUNC, "%s: field pageCount: truncated (%llu pages do not fit in the %zu bytes left)", name,
                  (unsigned long long)npages, r.len - r.off);
    goto fail;
  }
  uint64_t prev = 0;
  for (uint64_t i = 0; i < npages; i++) {
    uint64_t idx;
    if ((rc = rd_u64(&r, "pageIndex", &idx))) goto fail;
    if (idx >> (64 - FPVM_PAGE_SHIFT)) {
      rc = fpk_errf(FPK_ERANGE, "%s: field pageIndex: page %llu index 0x%llx is not below 2^52", name,
                    (unsigned long long)i, (unsigned long long)idx);
      goto fail;
    }
    if (i && idx <= prev) {
      rc = fpk_errf(FPK_EFORMAT, "%s: field pageIndex: page %llu index 0x%llx does not follow 0x%llx", name,
                    (unsigned long long)i, (unsigned long long)idx, (unsigned long long)prev);
      goto fail;
    }
    prev = idx;
    if ((rc = need(&r, FPVM_PAGE_SIZE, "pageData"))) goto fail;
    if ((rc = fpvm_mem_set_range(s->mem, idx << FPVM_PAGE_SHIFT, r.p + r.off, FPVM_PAGE_SIZE))) goto fail;
    r.off += FPVM_PAGE_SIZE;
  }

  uint64_t x;
  if ((rc = need(&r, 32, "preimageKey"))) goto fail;
  memcpy(s->preimage_key, r.p + r.off, 32);
  r.off += 32;
  if ((rc = rd_u64(&r, "preimageOffset", &s->preimage_offset))) goto fail;
  if ((rc = rd_u64(&r, "heap", &s->heap))) goto fail;
  if ((rc = rd_u8(&r, "llReservationStatus", &s->ll_status))) goto fail;
  if ((rc = rd_u64(&r, "llAddress", &s->ll_address))) goto fail;
  if ((rc = rd_u64(&r, "llOwnerThread", &s->ll_owner))) goto fail;
  if ((rc = rd_u8(&r, "exitCode", &s->exit_code))) goto fail;
  if ((rc = rd_flag(&r, "exited", &s->exited))) goto fail;
  if ((rc = rd_u64(&r, "step", &s->step))) goto fail;
  if ((rc = rd_u64(&r, "stepsSinceLastContextSwitch", &s->steps_since_switch))) goto fail;
  if ((rc = rd_flag(&r, "traverseRight", &s->traverse_right))) goto fail;
  if ((rc = rd_u64(&r, "nextThreadId", &x))) goto fail;
  s->next_thread_id = x;
  if ((rc = rd_stack(&r, "leftThreadStack", &s->left))) goto fail;
  if ((rc = rd_stack(&r, "rightThreadStack", &s->right))) goto fail;
  if ((rc = need(&r, 4, "lastHint"))) goto fail;
  uint32_t hl = fpk_be32(r.p + r.off);
  r.off += 4;
  if ((rc = need(&r, hl, "lastHint"))) goto fail;
  if (hl) {
    s->last_hint = malloc(hl);
    if (!s->last_hint) {
      rc = fpk_errf(FPK_ENOMEM, "%s: out of memory", name);
      goto fail;
    }
    memcpy(s->last_hint, r.p + r.off, hl);
    s->last_hint_len = s->last_hint_cap = hl;
    r.off += hl;
  }
  if (r.off != r.len) {
    rc = fpk_errf(FPK_EFORMAT, "%s: field lastHint: %zu unexpected bytes after the state", name, r.len - r.off);
    goto fail;
  }
  *out = s;
  return FPK_OK;
fail:
  fpvm_mips64_state_destroy(s);
  return rc;
}

typedef struct {
  uint8_t *p;
  size_t off;
} writer;

static int put_page(void *ctx, const fpvm_page *pg) {
  writer *w = ctx;
  fpk_put_be64(w->p + w->off, pg->index);
  memcpy(w->p + w->off + 8, pg->data, FPVM_PAGE_SIZE);
  w->off += PAGE_REC;
  return 0;
}

static void put_stack(writer *w, const fpvm_mips64_stack *st) {
  fpk_put_be64(w->p + w->off, st->n);
  w->off += 8;
  for (size_t i = 0; i < st->n; i++) {
    fpvm_mips64_thread_encode(&st->v[i], w->p + w->off);
    w->off += FPVM_MIPS64_THREAD_SIZE;
  }
}

int fpvm_mips64_state_encode(const fpvm_mips64_state *s, uint8_t **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  size_t npages = fpvm_mem_page_count(s->mem);
  if (s->last_hint_len > UINT32_MAX) return fpk_errf(FPK_ERANGE, "state: field lastHint: longer than 2^32-1 bytes");
  size_t nthreads = s->left.n + s->right.n;
  if (npages > (SIZE_MAX - (1u << 20)) / PAGE_REC || nthreads > (SIZE_MAX >> 20) ||
      s->last_hint_len > (SIZE_MAX >> 2))
    return fpk_errf(FPK_ENOMEM, "state: too large to encode");
  size_t total = 1 + 8 + npages * PAGE_REC + FIXED_PART + 16 + nthreads * FPVM_MIPS64_THREAD_SIZE + 4 +
                 s->last_hint_len;
  writer w = {malloc(total), 0};
  if (!w.p) return fpk_errf(FPK_ENOMEM, "state: out of memory (%zu bytes)", total);
  w.p[w.off++] = FPVM_MIPS64_STATE_VERSION;
  fpk_put_be64(w.p + w.off, npages);
  w.off += 8;
  (void)fpvm_mem_foreach_page(s->mem, put_page, &w);
  if (w.off != 9 + npages * PAGE_REC) {
    free(w.p);
    return fpk_errf(FPK_ECORRUPT, "state: page count changed while encoding");
  }
  memcpy(w.p + w.off, s->preimage_key, 32);
  w.off += 32;
  fpk_put_be64(w.p + w.off, s->preimage_offset);
  fpk_put_be64(w.p + w.off + 8, s->heap);
  w.p[w.off + 16] = s->ll_status;
  fpk_put_be64(w.p + w.off + 17, s->ll_address);
  fpk_put_be64(w.p + w.off + 25, s->ll_owner);
  w.p[w.off + 33] = s->exit_code;
  w.p[w.off + 34] = s->exited;
  fpk_put_be64(w.p + w.off + 35, s->step);
  fpk_put_be64(w.p + w.off + 43, s->steps_since_switch);
  w.p[w.off + 51] = s->traverse_right;
  fpk_put_be64(w.p + w.off + 52, s->next_thread_id);
  w.off += 60;
  put_stack(&w, &s->left);
  put_stack(&w, &s->right);
  fpk_put_be32(w.p + w.off, (uint32_t)s->last_hint_len);
  w.off += 4;
  if (s->last_hint_len) memcpy(w.p + w.off, s->last_hint, s->last_hint_len);
  w.off += s->last_hint_len;
  *buf = w.p;
  *len = w.off;
  return FPK_OK;
}

int fpvm_mips64_state_read_file(fpvm_mips64_state **out, const char *path) {
  *out = NULL;
  uint8_t *buf;
  size_t len;
  int rc = fpvm_read_file(path, &buf, &len);
  if (rc) return rc;
  rc = fpvm_mips64_state_decode(out, buf, len, strcmp(path, "-") ? path : "stdin");
  free(buf);
  return rc;
}

typedef struct {
  fpvm_wstream *w;
  int rc;
} page_sink;

static int stream_page(void *ctx, const fpvm_page *pg) {
  page_sink *ps = ctx;
  uint8_t idx[8];
  fpk_put_be64(idx, pg->index);
  if ((ps->rc = fpvm_wstream_write(ps->w, idx, 8)) || (ps->rc = fpvm_wstream_write(ps->w, pg->data, FPVM_PAGE_SIZE)))
    return 1;
  return 0;
}

/* Streams pages straight from memory so a large state is never held twice. */
int fpvm_mips64_state_write_file(const fpvm_mips64_state *s, const char *path) {
  if (s->last_hint_len > UINT32_MAX) return fpk_errf(FPK_ERANGE, "%s: field lastHint: longer than 2^32-1 bytes", path);
  /* everything after the pages is small: encode it via a page-less view of the state */
  fpvm_mem *empty = fpvm_mem_create();
  if (!empty) return fpk_errf(FPK_ENOMEM, "%s: out of memory", path);
  fpvm_mips64_state view = *s;
  view.mem = empty;
  uint8_t *tail = NULL;
  size_t tl = 0;
  int rc = fpvm_mips64_state_encode(&view, &tail, &tl);
  fpvm_mem_destroy(empty);
  if (rc) return rc;
  /* tail = version ‖ pageCount 0 ‖ fields...; splice the real page count and pages in between */
  fpvm_wstream *w = NULL;
  if ((rc = fpvm_wstream_open(&w, path))) {
    free(tail);
    return rc;
  }
  fpk_put_be64(tail + 1, fpvm_mem_page_count(s->mem));
  page_sink ps = {w, FPK_OK};
  if (!(rc = fpvm_wstream_write(w, tail, 9))) {
    (void)fpvm_mem_foreach_page(s->mem, stream_page, &ps);
    rc = ps.rc;
  }
  if (!rc) rc = fpvm_wstream_write(w, tail + 9, tl - 9);
  free(tail);
  if (rc) {
    fpvm_wstream_abort(w);
    return rc;
  }
  return fpvm_wstream_close(w);
}
