/* op-program's disk layouts, byte for byte:
 *   directory: <root>/<hex[0:4]>/<hex[4:64]>.txt     file: <root>/0x<hex[0:64]>.txt
 * hex = lowercase key; the file holds the lowercase hex of the value (no 0x, no newline). Puts write a temp
 * file "0x<hex>.txt.XXXXXX" in the root and rename it into place, so a reader never sees half a value and a
 * killed writer leaves at most a stray temp file. <root>/kvformat holds "directory" or "file" (no newline). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fpkit/hex.h"
#include "host/store.h"

typedef struct {
  fph_store base;
  fph_layout layout;
  char *root;
} dir_store;

static const char *layout_name(fph_layout l) { return l == FPH_LAYOUT_FILE ? "file" : "directory"; }

static int is_lower_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
  return 1;
}

int fph_dir_name_key(fph_layout layout, const char *dir, const char *name, uint8_t key[32]) {
  char hex[65];
  size_t nl = strlen(name);
  if (layout == FPH_LAYOUT_FILE) {
    if (nl != 70 || name[0] != '0' || name[1] != 'x' || strcmp(name + 66, ".txt") != 0 || !is_lower_hex(name + 2, 64))
      return FPK_EFORMAT;
    memcpy(hex, name + 2, 64);
  } else {
    if (!dir || strlen(dir) != 4 || !is_lower_hex(dir, 4) || nl != 64 || strcmp(name + 60, ".txt") != 0 ||
        !is_lower_hex(name, 60))
      return FPK_EFORMAT;
    memcpy(hex, dir, 4);
    memcpy(hex + 4, name, 60);
  }
  return fpk_hex_decode(key, 32, hex, 64) == 32 ? FPK_OK : FPK_EFORMAT;
}

int fph_dir_value_decode(const char *text, size_t n, uint8_t **val, size_t *len) {
  /* Go's hex.DecodeString: no prefix, even length, either case. */
  if (n % 2) return fpk_errf(FPK_EFORMAT, "store value: odd number of hex digits (%zu)", n);
  if (n >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    return fpk_errf(FPK_EFORMAT, "store value: unexpected 0x prefix");
  uint8_t *buf = malloc(n / 2 ? n / 2 : 1);
  if (!buf) return fpk_errf(FPK_ENOMEM, "store value: %zu bytes", n / 2);
  long r = fpk_hex_decode(buf, n / 2, text, n);
  if (r < 0) {
    free(buf);
    return fpk_errf(FPK_EFORMAT, "store value: not hex");
  }
  *val = buf;
  *len = (size_t)r;
  return FPK_OK;
}

static void entry_path(const dir_store *d, const uint8_t key[32], char *out, size_t cap) {
  char hex[65];
  fpk_hex_encode(hex, key, 32);
  if (d->layout == FPH_LAYOUT_FILE)
    snprintf(out, cap, "%s/0x%s.txt", d->root, hex);
  else
    snprintf(out, cap, "%s/%.4s/%s.txt", d->root, hex, hex + 4);
}

static int read_file(const char *path, char **text, size_t *n) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return FPK_ENOTFOUND;
    return fpk_errf(FPK_EIO, "%s: open: %s", path, strerror(errno));
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return fpk_errf(FPK_EIO, "%s: stat: %s", path, strerror(errno));
  }
  size_t cap = (size_t)st.st_size + 1, used = 0;
  char *buf = malloc(cap);
  if (!buf) {
    close(fd);
    return fpk_errf(FPK_ENOMEM, "%s: %zu bytes", path, cap);
  }
  for (;;) {
    if (used == cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        close(fd);
        return fpk_errf(FPK_ENOMEM, "%s: %zu bytes", path, cap * 2);
      }
      buf = nb;
      cap *= 2;
    }
    ssize_t r = read(fd, buf + used, cap - used);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int e = errno;
      free(buf);
      close(fd);
      return fpk_errf(FPK_EIO, "%s: read: %s", path, strerror(e));
    }
    if (r == 0) break;
    used += (size_t)r;
  }
  close(fd);
  *text = buf;
  *n = used;
  return FPK_OK;
}

static int d_get(fph_store *s, const uint8_t key[32], uint8_t **val, size_t *len) {
  dir_store *d = (dir_store *)s;
  char path[4096];
  entry_path(d, key, path, sizeof path);
  char *text;
  size_t n;
  int rc = read_file(path, &text, &n);
  if (rc != FPK_OK) return rc;
  rc = fph_dir_value_decode(text, n, val, len);
  free(text);
  if (rc != FPK_OK) return fph_errctx(rc, "%s", path);
  return FPK_OK;
}

static int d_has(fph_store *s, const uint8_t key[32]) {
  char path[4096];
  entry_path((dir_store *)s, key, path, sizeof path);
  return access(path, F_OK) == 0 ? 1 : errno == ENOENT ? 0 : fpk_errf(FPK_EIO, "%s: %s", path, strerror(errno));
}

static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int d_put(fph_store *s, const uint8_t key[32], const uint8_t *val, size_t len) {
  dir_store *d = (dir_store *)s;
  char hex[65], tmp[4096], path[4096];
  fpk_hex_encode(hex, key, 32);
  snprintf(tmp, sizeof tmp, "%s/0x%s.txt.XXXXXX", d->root, hex);
  int fd = mkstemp(tmp);
  if (fd < 0 && errno == ENOENT && mkdir(d->root, 0700) == 0) fd = mkstemp(tmp); /* root deleted under us */
  if (fd < 0) return fpk_errf(FPK_EIO, "%s: create temp: %s", tmp, strerror(errno));
  char *text = malloc(2 * len + 1);
  if (!text) {
    close(fd);
    unlink(tmp);
    return fpk_errf(FPK_ENOMEM, "dir store: put of %zu bytes", len);
  }
  fpk_hex_encode(text, val, len);
  int bad = write_all(fd, text, 2 * len);
  int e = errno;
  free(text);
  if (close(fd) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  if (bad) {
    unlink(tmp);
    return fpk_errf(FPK_EIO, "%s: write: %s", tmp, strerror(e));
  }
  if (d->layout == FPH_LAYOUT_DIRECTORY) {
    snprintf(path, sizeof path, "%s/%.4s", d->root, hex);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
      e = errno;
      unlink(tmp);
      return fpk_errf(FPK_EIO, "%s: mkdir: %s", path, strerror(e));
    }
  }
  entry_path(d, key, path, sizeof path);
  if (rename(tmp, path) != 0) {
    e = errno;
    unlink(tmp);
    return fpk_errf(FPK_EIO, "%s: rename: %s", path, strerror(e));
  }
  return FPK_OK;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sorted names of a directory, so iteration (and therefore export and import order) is reproducible. */
static int list_dir(const char *path, char ***names, size_t *count) {
  DIR *dh = opendir(path);
  if (!dh) return fpk_errf(FPK_EIO, "%s: opendir: %s", path, strerror(errno));
  size_t n = 0, cap = 64;
  char **v = malloc(cap * sizeof *v);
  struct dirent *de;
  int ok = v != NULL;
  while (ok && (de = readdir(dh))) {
    if (de->d_name[0] == '.') continue;
    if (n == cap) {
      char **nv = realloc(v, cap * 2 * sizeof *v);
      if (!nv) {
        ok = 0;
        break;
      }
      v = nv;
      cap *= 2;
    }
    if (!(v[n] = strdup(de->d_name))) {
      ok = 0;
      break;
    }
    n++;
  }
  closedir(dh);
  if (!ok) {
    for (size_t i = 0; v && i < n; i++) free(v[i]);
    free(v);
    return fpk_errf(FPK_ENOMEM, "%s: listing", path);
  }
  qsort(v, n, sizeof *v, cmp_str);
  *names = v;
  *count = n;
  return FPK_OK;
}

static void free_names(char **v, size_t n) {
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* Visit every entry file in one directory (root for the file layout, a 4-hex subdirectory otherwise);
 * names that are not entries (kvformat, temp files) are skipped. */
static int iter_files(dir_store *d, const char *sub, fph_iter_fn fn, void *arg) {
  char dpath[4096];
  if (sub)
    snprintf(dpath, sizeof dpath, "%s/%s", d->root, sub);
  else
    snprintf(dpath, sizeof dpath, "%s", d->root);
  char **names;
  size_t n;
  int rc = list_dir(dpath, &names, &n);
  if (rc != FPK_OK) return rc;
  for (size_t i = 0; i < n && rc == FPK_OK; i++) {
    uint8_t key[32];
    if (fph_dir_name_key(d->layout, sub, names[i], key) != FPK_OK) continue;
    uint8_t *val;
    size_t len;
    rc = d_get(&d->base, key, &val, &len);
    if (rc == FPK_ENOTFOUND) { /* removed while we listed */
      rc = FPK_OK;
      continue;
    }
    if (rc != FPK_OK) break;
    rc = fn(arg, key, val, len);
    free(val);
  }
  free_names(names, n);
  return rc;
}

static int d_iterate(fph_store *s, fph_iter_fn fn, void *arg) {
  dir_store *d = (dir_store *)s;
  if (d->layout == FPH_LAYOUT_FILE) return iter_files(d, NULL, fn, arg);
  char **names;
  size_t n;
  int rc = list_dir(d->root, &names, &n);
  if (rc != FPK_OK) return rc;
  for (size_t i = 0; i < n && rc == FPK_OK; i++) {
    if (strlen(names[i]) != 4 || !is_lower_hex(names[i], 4)) continue;
    rc = iter_files(d, names[i], fn, arg);
  }
  free_names(names, n);
  return rc;
}

static int d_close(fph_store *s) {
  dir_store *d = (dir_store *)s;
  free(d->root);
  free(d);
  return FPK_OK;
}

static const fph_store_ops dir_ops = {"dir", d_get, d_put, d_has, d_iterate, NULL, NULL, d_close};
static const fph_store_ops file_ops = {"file", d_get, d_put, d_has, d_iterate, NULL, NULL, d_close};

int fph_kvformat_read(const char *path, fph_layout *layout) {
  char mpath[4096], *text;
  size_t n;
  snprintf(mpath, sizeof mpath, "%s/kvformat", path);
  int rc = read_file(mpath, &text, &n);
  if (rc != FPK_OK) return rc;
  if (n == 9 && !memcmp(text, "directory", 9))
    *layout = FPH_LAYOUT_DIRECTORY;
  else if (n == 4 && !memcmp(text, "file", 4))
    *layout = FPH_LAYOUT_FILE;
  else if (n == 6 && !memcmp(text, "pebble", 6))
    rc = fpk_errf(FPK_EUNSUPPORTED, "%s: pebble stores are not supported (export with op-program first)", mpath);
  else
    rc = fpk_errf(FPK_EFORMAT, "%s: unknown format '%.*s'", mpath, (int)(n > 32 ? 32 : n), text);
  free(text);
  return rc;
}

static int mkdir_p(const char *path) {
  char buf[4096];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf) return fpk_errf(FPK_EINVAL, "store path '%s': bad length", path);
  memcpy(buf, path, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] != '/' && buf[i] != 0) continue;
    char c = buf[i];
    buf[i] = 0;
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return fpk_errf(FPK_EIO, "%s: mkdir: %s", buf, strerror(errno));
    buf[i] = c;
  }
  return FPK_OK;
}

int fph_store_dir_open(fph_store **out, const char *path, fph_layout layout) {
  int rc = mkdir_p(path);
  if (rc != FPK_OK) return rc;
  fph_layout have;
  rc = fph_kvformat_read(path, &have);
  if (rc == FPK_ENOTFOUND) {
    char mpath[4096];
    snprintf(mpath, sizeof mpath, "%s/kvformat", path);
    int fd = open(mpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const char *name = layout_name(layout);
    if (fd < 0 || write_all(fd, name, strlen(name)) != 0) {
      int e = errno;
      if (fd >= 0) close(fd);
      return fpk_errf(FPK_EIO, "%s: write: %s", mpath, strerror(e));
    }
    close(fd);
  } else if (rc != FPK_OK) {
    return rc;
  } else if (have != layout) {
    return fpk_errf(FPK_EFORMAT, "%s: kvformat says '%s', not '%s' (use disk:%s to follow the marker)", path,
                    layout_name(have), layout_name(layout), path);
  }
  dir_store *d = calloc(1, sizeof *d);
  if (!d || !(d->root = strdup(path))) {
    free(d);
    return fpk_errf(FPK_ENOMEM, "dir store: open");
  }
  d->layout = layout;
  d->base.ops = layout == FPH_LAYOUT_FILE ? &file_ops : &dir_ops;
  *out = &d->base;
  return FPK_OK;
}
