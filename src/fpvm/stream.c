/* State-file byte streams: plain or gzip chosen by the file name, "-" for stdin/stdout, and atomic
 * replacement of the destination (temp file in the same directory, fsync, rename) so a crash never
 * leaves a half-written state where a good one was. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fpkit/fpvm.h"

struct fpvm_wstream {
  int fd;
  bool is_stdout, gz;
  char *dest, *temp;
  z_stream z;
  bool z_ready;
  uint8_t out[1 << 16];
};

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && memcmp(s + a - b, suf, b) == 0;
}

bool fpvm_path_is_gzip(const char *path) { return ends_with(path, ".gz"); }

static int write_all(int fd, const uint8_t *p, size_t n, const char *name) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return fpk_errf(FPK_EIO, "%s: write: %s", name, strerror(errno));
    }
    p += w;
    n -= (size_t)w;
  }
  return FPK_OK;
}

static void wstream_free(fpvm_wstream *w) {
  if (w->z_ready) deflateEnd(&w->z);
  free(w->dest);
  free(w->temp);
  free(w);
}

int fpvm_wstream_open_mode(fpvm_wstream **out, const char *path, unsigned mode) {
  *out = NULL;
  if (!path || !*path) return fpk_errf(FPK_EINVAL, "output: empty path");
  fpvm_wstream *w = calloc(1, sizeof *w);
  if (!w) return fpk_errf(FPK_ENOMEM, "%s: out of memory", path);
  w->fd = -1;
  if (strcmp(path, "-") == 0) {
    w->is_stdout = true; /* stdout is never compressed (as Cannon) */
    w->fd = STDOUT_FILENO;
  } else {
    w->gz = fpvm_path_is_gzip(path);
    w->dest = strdup(path);
    size_t n = strlen(path) + 16;
    w->temp = malloc(n);
    if (!w->dest || !w->temp) {
      wstream_free(w);
      return fpk_errf(FPK_ENOMEM, "%s: out of memory", path);
    }
    snprintf(w->temp, n, "%s.tmpXXXXXX", path);
    w->fd = mkstemp(w->temp);
    if (w->fd < 0) {
      int e = errno;
      free(w->temp);
      w->temp = NULL;
      wstream_free(w);
      return fpk_errf(FPK_EIO, "%s: create temp file: %s", path, strerror(e));
    }
    if (fchmod(w->fd, (mode_t)mode) != 0) {
      int e = errno;
      close(w->fd);
      unlink(w->temp);
      wstream_free(w);
      return fpk_errf(FPK_EIO, "%s: chmod: %s", path, strerror(e));
    }
  }
  if (w->gz) {
    /* windowBits 31 = gzip wrapper; header fields as Go's compress/gzip writes them (mtime 0, OS unknown).
     * Level 1: zlib's output never matches Go's deflate byte for byte anyway (only the decompressed
     * content is compared), and on state files it is about 10x cheaper than level 6 for a few % size. */
    if (deflateInit2(&w->z, Z_BEST_SPEED, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      close(w->fd);
      unlink(w->temp);
      wstream_free(w);
      return fpk_errf(FPK_ENOMEM, "%s: deflateInit failed", path);
    }
    w->z_ready = true;
    static gz_header hdr; /* zlib keeps a pointer; all-zero except os */
    hdr.os = 255;
    (void)deflateSetHeader(&w->z, &hdr);
  }
  *out = w;
  return FPK_OK;
}

int fpvm_wstream_open(fpvm_wstream **w, const char *path) { return fpvm_wstream_open_mode(w, path, 0755); }

static const char *wname(const fpvm_wstream *w) { return w->is_stdout ? "stdout" : w->dest; }

static int deflate_pump(fpvm_wstream *w, int flush) {
  int zr;
  do {
    w->z.next_out = w->out;
    w->z.avail_out = sizeof w->out;
    zr = deflate(&w->z, flush);
    if (zr == Z_STREAM_ERROR) return fpk_errf(FPK_EIO, "%s: deflate failed", wname(w));
    int rc = write_all(w->fd, w->out, sizeof w->out - w->z.avail_out, wname(w));
    if (rc) return rc;
  } while (w->z.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
  return FPK_OK;
}

int fpvm_wstream_write(fpvm_wstream *w, const void *buf, size_t len) {
  if (!w->gz) return write_all(w->fd, buf, len, wname(w));
  const uint8_t *p = buf;
  while (len) {
    uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;
    w->z.next_in = (Bytef *)(uintptr_t)p;
    w->z.avail_in = chunk;
    int rc = deflate_pump(w, Z_NO_FLUSH);
    if (rc) return rc;
    p += chunk;
    len -= chunk;
  }
  return FPK_OK;
}

void fpvm_wstream_abort(fpvm_wstream *w) {
  if (!w) return;
  if (!w->is_stdout) {
    if (w->fd >= 0) close(w->fd);
    if (w->temp) unlink(w->temp);
  }
  wstream_free(w);
}

int fpvm_wstream_close(fpvm_wstream *w) {
  int rc = FPK_OK;
  if (w->gz) {
    w->z.next_in = NULL;
    w->z.avail_in = 0;
    rc = deflate_pump(w, Z_FINISH);
  }
  if (w->is_stdout) {
    wstream_free(w);
    return rc;
  }
  if (!rc && fsync(w->fd) != 0) rc = fpk_errf(FPK_EIO, "%s: fsync: %s", w->dest, strerror(errno));
  if (close(w->fd) != 0 && !rc) rc = fpk_errf(FPK_EIO, "%s: close: %s", w->dest, strerror(errno));
  w->fd = -1;
  if (!rc && rename(w->temp, w->dest) != 0) rc = fpk_errf(FPK_EIO, "%s: rename: %s", w->dest, strerror(errno));
  if (rc) unlink(w->temp);
  wstream_free(w);
  return rc;
}

int fpvm_write_file_mode(const char *path, const void *buf, size_t len, unsigned mode) {
  fpvm_wstream *w;
  int rc = fpvm_wstream_open_mode(&w, path, mode);
  if (rc) return rc;
  rc = fpvm_wstream_write(w, buf, len);
  if (rc) {
    fpvm_wstream_abort(w);
    return rc;
  }
  return fpvm_wstream_close(w);
}

int fpvm_write_file(const char *path, const void *buf, size_t len) { return fpvm_write_file_mode(path, buf, len, 0755); }

/* ---- reading */

typedef struct {
  uint8_t *p;
  size_t n, cap;
} growbuf;

static int gb_reserve(growbuf *b, size_t extra, const char *name) {
  if (b->cap - b->n >= extra) return FPK_OK;
  size_t ncap = b->cap ? b->cap : 1 << 16;
  while (ncap - b->n < extra) {
    if (ncap > SIZE_MAX / 2) return fpk_errf(FPK_ENOMEM, "%s: file too large", name);
    ncap *= 2;
  }
  uint8_t *np = realloc(b->p, ncap);
  if (!np) return fpk_errf(FPK_ENOMEM, "%s: out of memory", name);
  b->p = np;
  b->cap = ncap;
  return FPK_OK;
}

static int read_fd_all(int fd, growbuf *b, const char *name) {
  for (;;) {
    int rc = gb_reserve(b, 1 << 16, name);
    if (rc) return rc;
    ssize_t r = read(fd, b->p + b->n, b->cap - b->n);
    if (r < 0) {
      if (errno == EINTR) continue;
      return fpk_errf(FPK_EIO, "%s: read: %s", name, strerror(errno));
    }
    if (r == 0) return FPK_OK;
    b->n += (size_t)r;
  }
}

static int gunzip(const uint8_t *in, size_t inlen, growbuf *out, const char *name) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 15 + 16) != Z_OK) return fpk_errf(FPK_ENOMEM, "%s: inflateInit failed", name);
  int rc = FPK_OK;
  size_t pos = 0;
  if (inlen == 0) {
    inflateEnd(&z);
    return fpk_errf(FPK_ETRUNC, "%s: gzip: empty file", name);
  }
  for (;;) {
    size_t chunk = inlen - pos > (1u << 30) ? (1u << 30) : inlen - pos;
    z.next_in = (Bytef *)(uintptr_t)(in + pos);
    z.avail_in = (uInt)chunk;
    if ((rc = gb_reserve(out, 1 << 16, name))) break;
    z.next_out = out->p + out->n;
    z.avail_out = (uInt)(out->cap - out->n > (1u << 30) ? (1u << 30) : out->cap - out->n);
    uInt before_out = z.avail_out;
    int zr = inflate(&z, Z_NO_FLUSH);
    out->n += before_out - z.avail_out;
    pos += chunk - z.avail_in;
    if (zr == Z_STREAM_END) {
      if (pos == inlen) break;
      /* another gzip member follows (Go's reader concatenates members) */
      if (inlen - pos < 2 || in[pos] != 0x1f || in[pos + 1] != 0x8b) {
        rc = fpk_errf(FPK_EFORMAT, "%s: gzip: invalid header after member", name);
        break;
      }
      inflateReset(&z);
      continue;
    }
    if (zr == Z_BUF_ERROR && pos == inlen && z.avail_out != 0) {
      rc = fpk_errf(FPK_ETRUNC, "%s: gzip: unexpected EOF", name);
      break;
    }
    if (zr != Z_OK && zr != Z_BUF_ERROR) {
      rc = fpk_errf(FPK_EFORMAT, "%s: gzip: %s", name, z.msg ? z.msg : "invalid data");
      break;
    }
  }
  inflateEnd(&z);
  return rc;
}

int fpvm_read_file(const char *path, uint8_t **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  if (!path || !*path) return fpk_errf(FPK_EINVAL, "input: empty path");
  bool is_stdin = strcmp(path, "-") == 0;
  const char *name = is_stdin ? "stdin" : path;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fpk_errf(FPK_EIO, "%s: open: %s", path, strerror(errno));
  growbuf raw = {0};
  int rc = read_fd_all(fd, &raw, name);
  if (!is_stdin) close(fd);
  if (rc) {
    free(raw.p);
    return rc;
  }
  /* stdin has no name: take gzip by its magic bytes */
  bool gz = is_stdin ? (raw.n >= 2 && raw.p[0] == 0x1f && raw.p[1] == 0x8b) : fpvm_path_is_gzip(path);
  if (!gz) {
    *buf = raw.p ? raw.p : malloc(1);
    *len = raw.n;
    return *buf ? FPK_OK : fpk_errf(FPK_ENOMEM, "%s: out of memory", name);
  }
  growbuf dec = {0};
  rc = gunzip(raw.p, raw.n, &dec, name);
  free(raw.p);
  if (rc) {
    free(dec.p);
    return rc;
  }
  *buf = dec.p ? dec.p : malloc(1);
  *len = dec.n;
  return *buf ? FPK_OK : fpk_errf(FPK_ENOMEM, "%s: out of memory", name);
}
