/* Fails on purpose: output on both streams, then exit_group(42). The harness expects exit code 42. */
#include "rt.h"

int main(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  rt_printf("exit42: stdout before exit\n");
  rt_eprintf("exit42: stderr before exit\n");
  rt_printf("exit42: exiting with 42\n");
  return 42;
}
