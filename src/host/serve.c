/* The serve loop: whichever stream has a message next gets handled, like the two goroutines of the Go host,
 * without threads. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "host/oracle.h"

static int on_hint(fph_oracle *o, pre_server *s) {
  char *hint;
  size_t len;
  int rc = pre_server_read_hint(s, &hint, &len);
  if (rc != FPK_OK) return rc;
  int hrc = fph_oracle_hint(o, hint, len);
  free(hint);
  char msg[512];
  snprintf(msg, sizeof msg, "%s", fpk_errmsg());
  /* The client is blocked on the ack: send it even when handling failed, then report the failure. */
  rc = pre_server_ack(s);
  if (hrc != FPK_OK) return fpk_errf(hrc, "%s", msg);
  return rc;
}

static int on_key(fph_oracle *o, pre_server *s) {
  uint8_t key[32], *val;
  size_t len;
  int rc = pre_server_read_key(s, key);
  if (rc != FPK_OK) return rc;
  if ((rc = fph_oracle_get(o, key, &val, &len)) != FPK_OK) return rc;
  rc = pre_server_write(s, val, len);
  free(val);
  return rc;
}

int fph_serve(fph_oracle *o, pre_server *s, volatile int *stop) {
  /* A stream closed at a message boundary is done; keep serving the other until it closes too, so a client
   * that drops its hint fd early still gets its preimages. */
  int open[2] = {1, 1};
  while (open[0] || open[1]) {
    if (stop && *stop) return fpk_errf(FPK_ECLOSED, "interrupted by a signal");
    struct pollfd p[2] = {{open[0] ? s->hint_r : -1, POLLIN, 0}, {open[1] ? s->pre_r : -1, POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return fpk_errf(FPK_EIO, "poll: %s", strerror(errno));
    }
    for (int i = 0; i < 2; i++) {
      if (p[i].revents & POLLNVAL) return fpk_errf(FPK_EIO, "fd %d is not open", p[i].fd);
      if (!p[i].revents) continue;
      int rc = i == 0 ? on_hint(o, s) : on_key(o, s);
      if (rc == FPK_ECLOSED && !(stop && *stop)) {
        open[i] = 0;
        continue;
      }
      if (rc != FPK_OK) return rc;
    }
  }
  return FPK_OK;
}
