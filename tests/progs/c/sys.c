/* Syscalls whose results differ between Linux and Cannon by design (getrandom, clock_gettime,
 * eventfd2, fcntl, ...): only properties that must hold on both are printed. Also prints argc/argv/envp,
 * which the test harness makes equal (qemu -0 op-program, env -i GODEBUG=memprofilerate=0). */
#include "rt.h"

static int failures;

static void expect(const char *what, int ok) {
  rt_printf("%-44s %s\n", what, ok ? "yes" : "NO");
  if (!ok) failures++;
}

struct ts {
  i64 sec, nsec;
};

int main(int argc, char **argv, char **envp) {
  rt_printf("argc %d\n", argc);
  for (int i = 0; i < argc; i++) rt_printf("argv[%d] %s\n", i, argv[i]);
  for (int i = 0; envp[i]; i++) rt_printf("envp[%d] %s\n", i, envp[i]);

  u8 rnd[16] __attribute__((aligned(8)));
  memset(rnd, 0, sizeof rnd);
  long n = rt_sys3(SYS_getrandom, (long)rnd, 16, 0);
  expect("getrandom(16, aligned) returns 1..16", n >= 1 && n <= 16);
  n = rt_sys3(SYS_getrandom, (long)(rnd + 3), 4, 0);
  expect("getrandom(4, unaligned) returns 1..4", n >= 1 && n <= 4);
  u64 acc = 0;
  int iters = 0;
  while (acc == 0 && iters < 16) { /* some call must produce a non-zero byte */
    u64 w = 0;
    rt_sys3(SYS_getrandom, (long)&w, 8, 0);
    acc |= w;
    iters++;
  }
  expect("getrandom produces non-zero data", acc != 0);

  struct ts t1, t2;
  long r1 = rt_sys2(SYS_clock_gettime, 1, (long)&t1);
  volatile u64 spin = 0;
  for (int i = 0; i < 20000; i++) spin += (u64)i;
  long r2 = rt_sys2(SYS_clock_gettime, 1, (long)&t2);
  expect("clock_gettime(MONOTONIC) returns 0", r1 == 0 && r2 == 0);
  expect("monotonic nsec in range", t1.nsec >= 0 && t1.nsec < 1000000000 && t2.nsec >= 0 && t2.nsec < 1000000000);
  expect("monotonic time does not go backwards", t2.sec > t1.sec || (t2.sec == t1.sec && t2.nsec >= t1.nsec));
  expect("monotonic time advances", t2.sec > t1.sec || t2.nsec > t1.nsec);
  struct ts rt;
  expect("clock_gettime(REALTIME) returns 0", rt_sys2(SYS_clock_gettime, 0, (long)&rt) == 0);
  expect("clock_gettime(99) -> EINVAL", rt_sys2(SYS_clock_gettime, 99, (long)&rt) == -RT_EINVAL);

  long efd = rt_sys2(SYS_eventfd2, 0, 0x80 /* EFD_NONBLOCK */);
  expect("eventfd2(0, EFD_NONBLOCK) gives an fd", efd >= 0);
  u64 ev;
  expect("eventfd read -> EAGAIN", rt_sys3(SYS_read, efd, (long)&ev, 8) == -RT_EAGAIN);

  expect("fcntl(0, F_GETFD) == 0", rt_sys2(SYS_fcntl, 0, 1) == 0);
  expect("fcntl(1, F_GETFL) & O_ACCMODE == O_WRONLY", (rt_sys2(SYS_fcntl, 1, 3) & 3) == 1);
  expect("fcntl(2, F_GETFL) & O_ACCMODE == O_WRONLY", (rt_sys2(SYS_fcntl, 2, 3) & 3) == 1);
  expect("fcntl(77, F_GETFD) -> EBADF", rt_sys2(SYS_fcntl, 77, 1) == -RT_EBADF);
  char c;
  expect("read(stdin) -> 0 (EOF)", rt_sys3(SYS_read, 0, (long)&c, 1) == 0);
  expect("write(77) -> EBADF", rt_sys3(SYS_write, 77, (long)"x", 1) == -RT_EBADF);
  expect("write(1, 0 bytes) -> 0", rt_sys3(SYS_write, 1, (long)"", 0) == 0);
  expect("sched_yield -> 0", rt_sys0(SYS_sched_yield) == 0);
  struct ts zero = {0, 0};
  expect("nanosleep(0) -> 0", rt_sys2(SYS_nanosleep, (long)&zero, 0) == 0);
  expect("getpid >= 0", rt_sys0(SYS_getpid) >= 0);
  expect("gettid >= 0", rt_sys0(SYS_gettid) >= 0);
  expect("sigaltstack(NULL, NULL) -> 0", rt_sys2(5129, 0, 0) == 0);
  u64 set[2] = {0, 0}; /* MIPS has 128 signals: a 16-byte sigset */
  expect("rt_sigprocmask(SIG_BLOCK, empty) -> 0", rt_syscall6(5014, 1, (long)set, 0, 16, 0, 0) == 0);
  rt_eprintf("sys: a line on stderr\n");
  rt_printf("sys: %s (%d failures)\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
