/* --exec: start a native client with fds 3..6 wired to us (the child reads 3/5, writes 4/6). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host/oracle.h"

int fph_spawn_client(pre_server *s, char *const argv[], int *pid) {
  /* p[0]: ack (us -> child fd 3)  p[1]: hint (child fd 4 -> us)
   * p[2]: data (us -> child fd 5) p[3]: key (child fd 6 -> us) */
  int p[4][2];
  for (int i = 0; i < 4; i++) {
    if (pipe2(p[i], O_CLOEXEC) != 0) {
      int e = errno;
      for (int j = 0; j < i; j++) close(p[j][0]), close(p[j][1]);
      return fpk_errf(FPK_EIO, "exec: pipe: %s", strerror(e));
    }
  }
  int child_end[4] = {p[0][0], p[1][1], p[2][0], p[3][1]};
  pid_t c = fork();
  if (c < 0) {
    int e = errno;
    for (int j = 0; j < 4; j++) close(p[j][0]), close(p[j][1]);
    return fpk_errf(FPK_EIO, "exec: fork: %s", strerror(e));
  }
  if (c == 0) {
    /* Move the ends above 6 first so no dup2 below clobbers one still needed. */
    int high[4];
    for (int i = 0; i < 4; i++) high[i] = fcntl(child_end[i], F_DUPFD_CLOEXEC, 10);
    for (int i = 0; i < 4; i++)
      if (high[i] < 0 || dup2(high[i], 3 + i) < 0) _exit(127); /* dup2 clears CLOEXEC on 3..6 */
    execvp(argv[0], argv);
    fprintf(stderr, "fphost: error: exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  for (int i = 0; i < 4; i++) close(child_end[i]);
  s->hint_r = p[1][0];
  s->hint_w = p[0][1];
  s->pre_r = p[3][0];
  s->pre_w = p[2][1];
  *pid = c;
  return FPK_OK;
}
