/* fpk.h's error functions inside the SDK (libpreimage's client reports through them). One thread, so
 * one static buffer. */
#include "fpkit/fpp.h"

static char errbuf[256];

static const char *const names[] = {
    "FPK_OK: success",          "FPK_EINVAL: invalid argument",
    "FPK_ENOMEM: out of memory", "FPK_EIO: I/O error",
    "FPK_EFORMAT: malformed input", "FPK_ETRUNC: input truncated",
    "FPK_EVERSION: unsupported version", "FPK_ENOTFOUND: not found",
    "FPK_EPROOF: proof does not verify", "FPK_ERANGE: value out of range",
    "FPK_ECORRUPT: internal check failed", "FPK_EPANIC: VM panic",
    "FPK_ECLOSED: stream closed", "FPK_EVERIFY: preimage does not match its key",
    "FPK_EUNSUPPORTED: not supported",
};

const char *fpk_strerror(int code) {
  if (code > 0 || code <= FPK_ELAST || -code >= (int)(sizeof names / sizeof names[0])) return "FPK_E?: unknown error code";
  return names[-code];
}

const char *fpk_errmsg(void) { return errbuf; }

void fpk_errclear(void) { errbuf[0] = 0; }

int fpk_errf(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fpp_vsnprintf(errbuf, sizeof errbuf, fmt, ap);
  va_end(ap);
  return code;
}
