/* Threads through raw clone(0x50F00) (the only flags Cannon accepts), LL/SC atomics from the __atomic
 * builtins (ll/sc and lld/scd), futex wait/wake as the join, and thread exit through SYS_exit. */
#include "rt.h"

#define NTHREADS 3
#define ITERS 3000
#define STACK_SIZE 65536

static volatile u32 counter32;
static volatile u64 counter64;
static volatile u32 done_count;
static volatile u32 go_flag;
static volatile u64 tids[NTHREADS];
static u8 stacks[NTHREADS][STACK_SIZE] __attribute__((aligned(16)));

static long worker(void *arg) {
  long idx = (long)arg;
  tids[idx] = (u64)rt_sys0(SYS_gettid);
  /* Wait for the start signal so the increments really interleave. */
  while (__atomic_load_n(&go_flag, __ATOMIC_ACQUIRE) == 0) rt_futex_wait(&go_flag, 0);
  for (int i = 0; i < ITERS; i++) {
    __atomic_fetch_add(&counter32, 1, __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&counter64, (u64)(idx + 1) << 32 | 1, __ATOMIC_SEQ_CST);
    if ((i & 255) == 0) rt_sys0(SYS_sched_yield);
  }
  __atomic_fetch_add(&done_count, 1, __ATOMIC_SEQ_CST);
  rt_futex_wake(&done_count, 1);
  return 0;
}

int main(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  int failures = 0;
  long main_tid = rt_sys0(SYS_gettid);
  for (long i = 0; i < NTHREADS; i++) {
    long r = rt_clone(RT_CLONE_THREAD_FLAGS, stacks[i] + STACK_SIZE, worker, (void *)i);
    rt_printf("clone %ld: %s\n", i, r > 0 ? "ok" : "FAILED");
    if (r <= 0) failures++;
  }
  /* A futex wait whose value does not match must fail with EAGAIN on both sides. */
  long r = rt_futex_wait(&go_flag, 12345);
  rt_printf("futex wait mismatch -> %ld\n", r);
  if (r != -RT_EAGAIN) failures++;
  r = rt_syscall6(SYS_futex, (long)&go_flag, 99, 0, 0, 0, 0);
  rt_printf("futex bad op -> %s\n", r < 0 ? "error" : "success");

  __atomic_store_n(&go_flag, 1, __ATOMIC_RELEASE);
  rt_futex_wake(&go_flag, NTHREADS);

  u32 seen;
  while ((seen = __atomic_load_n(&done_count, __ATOMIC_ACQUIRE)) != NTHREADS) rt_futex_wait(&done_count, seen);

  rt_printf("counter32 %u\n", counter32);
  rt_printf("counter64 %016lx\n", counter64);
  u64 want64 = 0;
  for (int i = 0; i < NTHREADS; i++) want64 += ((u64)(i + 1) << 32 | 1) * ITERS;
  if (counter32 != NTHREADS * ITERS || counter64 != want64) failures++;

  int distinct = 1;
  for (int i = 0; i < NTHREADS; i++) {
    if (tids[i] == (u64)main_tid) distinct = 0;
    for (int j = 0; j < i; j++)
      if (tids[i] == tids[j]) distinct = 0;
  }
  rt_printf("thread ids distinct: %s\n", distinct ? "yes" : "NO");
  if (!distinct) failures++;

  /* Compare-and-swap loop (ll/sc with a failure path). */
  u64 cas = 5;
  u64 expected = 5;
  int ok1 = __atomic_compare_exchange_n(&cas, &expected, 9, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  expected = 5;
  int ok2 = __atomic_compare_exchange_n(&cas, &expected, 11, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  rt_printf("cas %d %d value %lu expected %lu\n", ok1, ok2, cas, expected);
  if (!ok1 || ok2 || cas != 9 || expected != 9) failures++;
  u32 x = 0xf0;
  u32 old = __atomic_exchange_n(&x, 0x0f, __ATOMIC_SEQ_CST);
  __atomic_fetch_or(&x, 0x100, __ATOMIC_SEQ_CST);
  __atomic_fetch_and(&x, 0x10f, __ATOMIC_SEQ_CST);
  rt_printf("xchg old %x now %x\n", old, x);

  rt_printf("threads: %s (%d failures)\n", failures ? "FAIL" : "ok", failures);
  return failures ? 1 : 0;
}
