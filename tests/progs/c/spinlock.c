/* Three threads contend for a spinlock built on ll/sc (exchange) with no syscalls in the loop: under
 * the VM they only interleave through forced preemption after 100 000 steps (cannon.md §5.6), and a
 * preempted lock holder must keep its lock; other threads' stores must break a reservation. */
#include "rt.h"

#define NTHREADS 3
#define ITERS 20000

static volatile u32 lock;
static volatile u64 plain_counter; /* protected by lock, updated non-atomically */
static volatile u32 done_count;
static u8 stacks[NTHREADS][32768] __attribute__((aligned(16)));

static void spin_lock(void) {
  while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE) != 0)
    while (__atomic_load_n(&lock, __ATOMIC_RELAXED) != 0) {
    }
}

static void spin_unlock(void) { __atomic_store_n(&lock, 0, __ATOMIC_RELEASE); }

static long worker(void *arg) {
  long idx = (long)arg;
  for (int i = 0; i < ITERS; i++) {
    spin_lock();
    u64 v = plain_counter;
    u64 w = v;
    for (int k = 0; k < 5; k++) w = w * 3 % 1000003; /* widen the window between load and store */
    plain_counter = v + 1 + (w & 0); /* a lost update shows up in the final count */
    (void)idx;
    spin_unlock();
  }
  __atomic_fetch_add(&done_count, 1, __ATOMIC_SEQ_CST);
  rt_futex_wake(&done_count, 1);
  return 0;
}

int main(int argc, char **argv, char **envp) {
  (void)argc;
  (void)argv;
  (void)envp;
  for (long i = 0; i < NTHREADS; i++)
    if (rt_clone(RT_CLONE_THREAD_FLAGS, stacks[i] + sizeof stacks[i], worker, (void *)i) <= 0) {
      rt_printf("clone failed\n");
      return 1;
    }
  u32 seen;
  while ((seen = __atomic_load_n(&done_count, __ATOMIC_ACQUIRE)) != NTHREADS) rt_futex_wait(&done_count, seen);
  u64 c = plain_counter;
  rt_printf("spinlock: %d threads x %d critical sections, counter %lu\n", NTHREADS, ITERS, c);
  int ok = c == (u64)NTHREADS * ITERS;
  rt_printf("spinlock: %s\n", ok ? "ok" : "FAIL (lost updates)");
  return ok ? 0 : 1;
}
