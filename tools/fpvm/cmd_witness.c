/* fpvm witness: state file → 188-byte witness + hash, printed as `cannon witness` prints it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fpkit/hex.h"
#include "fpkit/mips64.h"

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && memcmp(s + a - b, suf, b) == 0;
}

/* Plain write with mode 0755 through the umask, like Go's os.WriteFile (no gzip, not atomic). */
static int write_raw(const char *path, const uint8_t *buf, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  if (fd < 0) return fpk_errf(FPK_EIO, "%s", strerror(errno));
  while (len) {
    ssize_t w = write(fd, buf, len);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      int e = errno;
      close(fd);
      return fpk_errf(FPK_EIO, "%s", strerror(e));
    }
    buf += w;
    len -= (size_t)w;
  }
  if (close(fd) != 0) return fpk_errf(FPK_EIO, "%s", strerror(errno));
  return FPK_OK;
}

int fpvm_cli_witness(int argc, char **argv) {
  fpvm_cli_flag flags[] = {
      {.name = "input", .required = true, .usage = "path of input binary state"},
      {.name = "output", .usage = "path to write binary witness"},
  };
  fpvm_cli_cmd cmd = {.name = "witness",
                      .usage = "Convert a Cannon state into a binary witness and print its hash",
                      .flags = flags,
                      .nflags = 2};
  if (!fpvm_cli_parse(&cmd, argc, argv)) return cmd.exit_code;
  const char *in = fpvm_cli_str(&cmd, "input"), *out = fpvm_cli_str(&cmd, "output");
  /* Cannon takes any other name for a JSON state of version 0, which it no longer supports */
  if (strcmp(in, "-") && !ends_with(in, ".bin") && !ends_with(in, ".bin.gz"))
    return fpvm_cli_error("invalid input state (%s): unsupported state file name: use .bin or .bin.gz", in);
  fpvm_mips64_state *s = NULL;
  int rc = fpvm_mips64_state_read_file(&s, in);
  if (rc) return fpvm_cli_error("invalid input state (%s): %s", in, fpk_errmsg());
  uint8_t w[FPVM_MIPS64_WITNESS_SIZE], h[32];
  fpvm_mips64_state_witness(s, w);
  fpvm_mips64_witness_hash(w, h);
  if (*out && (rc = write_raw(out, w, sizeof w)) != FPK_OK) {
    fpvm_mips64_state_destroy(s);
    return fpvm_cli_error("writing output to %s: %s", out, fpk_errmsg());
  }
  char hh[65], wh[2 * FPVM_MIPS64_WITNESS_SIZE + 1];
  fpk_hex_encode(hh, h, 32);
  fpk_hex_encode(wh, w, sizeof w);
  printf("{\n  \"stateVersion\": %d,\n  \"witnessHash\": \"0x%s\",\n  \"witness\": \"0x%s\",\n  \"step\": %llu,\n"
         "  \"exited\": %s,\n  \"exitCode\": %u\n}\n\n",
         FPVM_MIPS64_STATE_VERSION, hh, wh, (unsigned long long)s->step, s->exited ? "true" : "false",
         (unsigned)s->exit_code);
  fpvm_mips64_state_destroy(s);
  if (fflush(stdout) != 0) return fpvm_cli_error("failed to write response: %s", strerror(errno));
  return 0;
}
