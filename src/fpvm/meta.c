/* meta.json: the symbol table Cannon writes next to a state (cannon.md §6.7). Written by hand so the
 * bytes match Go's encoding/json with two-space indent (field order name, start, size; HTML-safe
 * escaping; trailing blank line); read with jansson. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/sbuf.h"
#include "fpkit/fpvm.h"

/* Length of a valid UTF-8 sequence at s (0 if invalid), as Go's utf8.DecodeRuneInString decides. */
static size_t utf8_len(const unsigned char *s, uint32_t *cp) {
  unsigned c = s[0];
  if (c < 0x80) return *cp = c, 1;
  size_t n;
  uint32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) n = 2, v = c & 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, v = c & 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, v = c & 0x07, min = 0x10000;
  else return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

/* Go's encoding/json string escaping with HTML escaping on (the Encoder default). */
static void sb_json_str(fpk_sbuf *b, const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  char tmp[8];
  fpk_sbuf_put(b, "\"", 1);
  while (*s) {
    unsigned c = *s;
    if (c >= 0x80) {
      uint32_t cp;
      size_t n = utf8_len(s, &cp);
      if (!n) {
        fpk_sbuf_str(b, "\\ufffd");
        s++;
      } else if (cp == 0x2028 || cp == 0x2029) {
        snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp);
        fpk_sbuf_str(b, tmp);
        s += n;
      } else {
        fpk_sbuf_put(b, (const char *)s, n);
        s += n;
      }
      continue;
    }
    switch (c) {
    case '"': fpk_sbuf_str(b, "\\\""); break;
    case '\\': fpk_sbuf_str(b, "\\\\"); break;
    case '\n': fpk_sbuf_str(b, "\\n"); break;
    case '\r': fpk_sbuf_str(b, "\\r"); break;
    case '\t': fpk_sbuf_str(b, "\\t"); break;
    case '\b': fpk_sbuf_str(b, "\\b"); break;
    case '\f': fpk_sbuf_str(b, "\\f"); break;
    case '<':
    case '>':
    case '&':
      snprintf(tmp, sizeof tmp, "\\u%04x", c);
      fpk_sbuf_str(b, tmp);
      break;
    default:
      if (c < 0x20) {
        snprintf(tmp, sizeof tmp, "\\u%04x", c);
        fpk_sbuf_str(b, tmp);
      } else {
        fpk_sbuf_put(b, (const char *)s, 1);
      }
    }
    s++;
  }
  fpk_sbuf_put(b, "\"", 1);
}

int fpvm_meta_write_json(const fpvm_meta *m, const char *path) {
  if (!path || !*path) return FPK_OK; /* "" = no metadata, as Cannon */
  fpk_sbuf b = {0};
  if (m->n == 0) {
    fpk_sbuf_str(&b, "{\n  \"symbols\": []\n}\n\n");
  } else {
    fpk_sbuf_str(&b, "{\n  \"symbols\": [\n");
    char num[64];
    for (size_t i = 0; i < m->n; i++) {
      fpk_sbuf_str(&b, "    {\n      \"name\": ");
      sb_json_str(&b, m->syms[i].name ? m->syms[i].name : "");
      snprintf(num, sizeof num, ",\n      \"start\": %llu,\n      \"size\": %llu\n    }",
               (unsigned long long)m->syms[i].value, (unsigned long long)m->syms[i].size);
      fpk_sbuf_str(&b, num);
      fpk_sbuf_str(&b, i + 1 < m->n ? ",\n" : "\n");
    }
    fpk_sbuf_str(&b, "  ]\n}\n\n");
  }
  if (b.oom) {
    free(b.p);
    return fpk_errf(FPK_ENOMEM, "%s: out of memory", path);
  }
  int rc = fpvm_write_file(path, b.p, b.n);
  free(b.p);
  return rc;
}

static int get_u64(json_t *j, uint64_t *out) {
  if (!json_is_integer(j)) return -1;
  json_int_t v = json_integer_value(j);
  if (v < 0) return -1;
  *out = (uint64_t)v;
  return 0;
}

int fpvm_meta_read_json(fpvm_meta *m, const char *path) {
  memset(m, 0, sizeof *m);
  uint8_t *buf;
  size_t len;
  int rc = fpvm_read_file(path, &buf, &len);
  if (rc) return rc;
  json_error_t err;
  json_t *doc = json_loadb((const char *)buf, len, JSON_ALLOW_NUL, &err);
  free(buf);
  if (!doc) return fpk_errf(FPK_EFORMAT, "%s: line %d: %s", path, err.line, err.text);
  json_t *arr = json_object_get(doc, "symbols");
  if (!json_is_object(doc) || !(json_is_array(arr) || json_is_null(arr) || !arr)) {
    json_decref(doc);
    return fpk_errf(FPK_EFORMAT, "%s: field symbols: not an array", path);
  }
  size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
  m->syms = calloc(n ? n : 1, sizeof *m->syms);
  if (!m->syms) {
    json_decref(doc);
    return fpk_errf(FPK_ENOMEM, "%s: out of memory", path);
  }
  for (size_t i = 0; i < n; i++) {
    json_t *e = json_array_get(arr, i), *nm = json_object_get(e, "name");
    fpvm_elf_sym *s = &m->syms[i];
    /* huge uint64 values do not fit jansson's signed integers; the reader rejects them */
    if (!json_is_object(e) || !json_is_string(nm) || get_u64(json_object_get(e, "start"), &s->value) ||
        get_u64(json_object_get(e, "size"), &s->size)) {
      m->n = i;
      fpvm_meta_free(m);
      json_decref(doc);
      return fpk_errf(FPK_EFORMAT, "%s: field symbols[%zu]: needs name (string), start and size (integers)", path, i);
    }
    s->name = strdup(json_string_value(nm));
    if (!s->name) {
      m->n = i;
      fpvm_meta_free(m);
      json_decref(doc);
      return fpk_errf(FPK_ENOMEM, "%s: out of memory", path);
    }
  }
  m->n = n;
  json_decref(doc);
  return FPK_OK;
}

const char *fpvm_meta_lookup(const fpvm_meta *m, uint64_t addr) {
  if (!m || m->n == 0) return "!unknown";
  /* first symbol with start > addr (binary search, as sort.Search) */
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->syms[mid].value > addr) hi = mid;
    else lo = mid + 1;
  }
  if (lo == 0) return "!start";
  const fpvm_elf_sym *s = &m->syms[lo - 1];
  if (s->value + s->size < addr) return "!gap";
  return s->name ? s->name : "";
}

void fpvm_meta_free(fpvm_meta *m) {
  if (!m) return;
  fpvm_syms_free(m->syms, m->n);
  m->syms = NULL;
  m->n = 0;
}
