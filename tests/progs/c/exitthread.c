/* The last thread leaves through SYS_exit (not exit_group): Linux ends the process with that code,
 * and Cannon sets the state's exit code when the exiting thread is the only one (cannon.md §5.2). A
 * helper thread exits first, with a different code that must not become the process's. */
#include "rt.h"

static volatile u32 helper_done;
static u8 stack[16384] __attribute__((aligned(16)));

static long helper(void *arg) {
  (void)arg;
  __atomic_store_n(&helper_done, 1, __ATOMIC_SEQ_CST);
  rt_futex_wake(&helper_done, 1);
  return 99; /* exits with 99: only this thread */
}

int main(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  long r = rt_clone(RT_CLONE_THREAD_FLAGS, stack + sizeof stack, helper, 0);
  rt_printf("exitthread: clone %s\n", r > 0 ? "ok" : "failed");
  while (__atomic_load_n(&helper_done, __ATOMIC_SEQ_CST) == 0) rt_futex_wait(&helper_done, 0);
  /* Give the helper time to finish its exit syscall: under qemu-user the thread that exits last
   * sets the process's exit code, and a flag written before SYS_exit cannot say when that happened
   * (clone flags must be Cannon's exact set, so no CLONE_CHILD_CLEARTID join). Sleeping ~100 ms makes
   * the race practically impossible; in the VM nanosleep is a yield, so the outputs stay identical. */
  struct {
    long sec, nsec;
  } ts = {0, 5 * 1000 * 1000};
  for (int i = 0; i < 20; i++) rt_sys2(SYS_nanosleep, (long)&ts, 0);
  rt_printf("exitthread: leaving with SYS_exit(7)\n");
  rt_flush();
  rt_exit_thread(7);
}
