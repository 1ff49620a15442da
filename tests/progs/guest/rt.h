/* Freestanding runtime for the MIPS64 test guests: raw n64 syscalls, a few string helpers and a small
 * buffered printf. No libc, no libgcc (Debian's libgcc is built for MIPS64r2, which Cannon lacks). */
#ifndef RT_H
#define RT_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;
typedef signed char i8;
typedef short i16;
typedef int i32;
typedef long i64;
typedef unsigned long usize;

#define SYS_read 5000
#define SYS_write 5001
#define SYS_mmap 5009
#define SYS_mprotect 5010
#define SYS_munmap 5011
#define SYS_brk 5012
#define SYS_sched_yield 5023
#define SYS_nanosleep 5034
#define SYS_getpid 5038
#define SYS_clone 5055
#define SYS_exit 5058
#define SYS_fcntl 5070
#define SYS_gettid 5178
#define SYS_futex 5194
#define SYS_exit_group 5205
#define SYS_clock_gettime 5222
#define SYS_eventfd2 5284
#define SYS_getrandom 5313

#define RT_EBADF 9
#define RT_EAGAIN 11
#define RT_EINVAL 22

/* Returns the result, or -errno when the kernel/VM set the error flag in $a3. */
long rt_syscall6(long n, long a, long b, long c, long d, long e, long f);
static inline long rt_sys0(long n) { return rt_syscall6(n, 0, 0, 0, 0, 0, 0); }
static inline long rt_sys1(long n, long a) { return rt_syscall6(n, a, 0, 0, 0, 0, 0); }
static inline long rt_sys2(long n, long a, long b) { return rt_syscall6(n, a, b, 0, 0, 0, 0); }
static inline long rt_sys3(long n, long a, long b, long c) { return rt_syscall6(n, a, b, c, 0, 0, 0); }

long rt_write(int fd, const void *buf, usize n);   /* loops until all is written */
long rt_read(int fd, void *buf, usize n);          /* one call */
long rt_read_full(int fd, void *buf, usize n);     /* loops; returns bytes read (short on EOF) */
void *rt_mmap(void *hint, usize len);              /* anonymous RW; (void *)-errno on error */
long rt_futex_wait(volatile u32 *addr, u32 val);
long rt_futex_wake(volatile u32 *addr, int n);
__attribute__((noreturn)) void rt_exit_group(int code);
__attribute__((noreturn)) void rt_exit_thread(int code);
long rt_clone(unsigned long flags, void *stack_top, long (*fn)(void *), void *arg);
#define RT_CLONE_THREAD_FLAGS 0x50F00ul

void *memcpy(void *d, const void *s, usize n);
void *memset(void *d, int c, usize n);
void *memmove(void *d, const void *s, usize n);
int memcmp(const void *a, const void *b, usize n);
usize rt_strlen(const char *s);

/* printf subset: %d %i %u %x %X %c %s %p %%, flags '0' '-', width, length l/ll (z treated as l).
 * stdout is buffered (flushed on newline-free overflow, rt_flush and exit); stderr is not. */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_flush(void);

extern int rt_argc;
extern char **rt_argv, **rt_envp;

int main(int argc, char **argv, char **envp);

/* A value the compiler cannot see through (keeps the arithmetic tests from folding to constants). */
#define RT_OPAQUE(x) ({ __typeof__((x) + 0) rt_o_ = (x); __asm__("" : "+r"(rt_o_)); rt_o_; })

#endif
