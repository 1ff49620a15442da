/* A preimage host as a child process, wired the way Cannon wires it (cannon.md §7):
 *   child fd 3  reads the hints we write        child fd 4  writes the 1-byte hint acks
 *   child fd 5  reads the 32-byte keys we write  child fd 6  writes `u64 BE len ‖ data` replies
 * plus NO_COLOR=1 ahead of our environment (an inherited NO_COLOR wins, as with Go's exec) and stdin
 * from /dev/null.
 *
 * Waiting on the pipes never gives up while the host is alive (as Cannon's 15 s poll loop), but a
 * host that exits, or closes its end, turns the pending call into an error within milliseconds.
 * Ownership: one fpvm_oracle_proc_start, one fpvm_oracle_proc_close. Threads: the oracle calls belong
 * to one thread; the output callback runs on a private pump thread. Writing to a dead host must not
 * kill us: start sets SIGPIPE to ignored if it still had its default action (the host gets the
 * default action back). */
#ifndef FPVM_ORACLE_PROC_H
#define FPVM_ORACLE_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fpkit/fpvm.h"

/* One chunk of host output; stream 1 = stdout, 2 = stderr. Runs on the pump thread. */
typedef void (*fpvm_proc_output_fn)(void *ctx, int stream, const uint8_t *buf, size_t len);
/* Shutdown progress (level 0 info, 1 warn), for the caller's log. Runs on the closing thread. */
typedef void (*fpvm_proc_log_fn)(void *ctx, int level, const char *msg);

typedef struct {
  char *const *argv;          /* NULL-terminated; argv[0] is looked up in PATH unless it has a '/' */
  fpvm_proc_output_fn output; /* NULL: the host writes straight to our stdout/stderr */
  fpvm_proc_log_fn log;       /* NULL: silent */
  void *ctx;                  /* for output and log */
  unsigned exit_grace_ms;     /* close: wait this long for a voluntary exit before closing the pipes */
  unsigned close_wait_ms;     /* close: then this long after closing the pipes, and again after SIGINT */
} fpvm_oracle_proc_opts;

typedef struct fpvm_oracle_proc fpvm_oracle_proc;

/* Zeroes o, sets argv and Cannon's timings: 1 s grace, 30 s per later stage. */
void fpvm_oracle_proc_opts_init(fpvm_oracle_proc_opts *o, char *const *argv);

/* Spawns the host. FPK_EIO when it cannot be started (message names the program and the reason). */
FPK_NODISCARD int fpvm_oracle_proc_start(fpvm_oracle_proc **out, const fpvm_oracle_proc_opts *o);

/* The oracle interface backed by this process (valid until close). Errors: FPK_ECLOSED when the
 * host exited or closed its end ("pre-image server exited with code N: ..."), FPK_ENOMEM, FPK_EIO. */
fpvm_oracle fpvm_oracle_proc_oracle(fpvm_oracle_proc *p);

/* True once the host has exited; *code = exit status, or 128+signal. Does not block. */
bool fpvm_oracle_proc_exited(fpvm_oracle_proc *p, int *code);

/* Shutdown in Cannon's order: wait exit_grace_ms; close our pipe ends; wait close_wait_ms; SIGINT;
 * wait close_wait_ms; SIGKILL. Then reaps, stops the output pump, frees p (NULL ok).
 * FPK_OK when the host exited with status 0, else FPK_EIO with "exit status N" / "signal: name". */
FPK_NODISCARD int fpvm_oracle_proc_close(fpvm_oracle_proc *p);

#endif
