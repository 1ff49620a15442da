/* Syscalls (cannon.md §5): file descriptors, preimage and hint I/O, threads, time, randomness.
 * Errors follow the deployed convention: $v0 = errno, $a3 = -1. */
#include <stdlib.h>
#include <string.h>

#include "fpvm/mips64/engine.h"
#include "fpvm/mips64/exec.h"

enum {
  SYS_READ = 5000, SYS_WRITE = 5001, SYS_OPEN = 5002, SYS_CLOSE = 5003, SYS_STAT = 5004, SYS_FSTAT = 5005,
  SYS_LSEEK = 5008, SYS_MMAP = 5009, SYS_MPROTECT = 5010, SYS_MUNMAP = 5011, SYS_BRK = 5012,
  SYS_RT_SIGACTION = 5013, SYS_RT_SIGPROCMASK = 5014, SYS_IOCTL = 5015, SYS_PREAD64 = 5016,
  SYS_SCHED_YIELD = 5023, SYS_MINCORE = 5026, SYS_MADVISE = 5027, SYS_NANOSLEEP = 5034, SYS_SETITIMER = 5036,
  SYS_GETPID = 5038, SYS_CLONE = 5055, SYS_EXIT = 5058, SYS_UNAME = 5061, SYS_FCNTL = 5070,
  SYS_READLINK = 5087, SYS_GETRLIMIT = 5095, SYS_GETUID = 5100, SYS_GETGID = 5102, SYS_SIGALTSTACK = 5129,
  SYS_GETTID = 5178, SYS_FUTEX = 5194, SYS_SCHED_GETAFFINITY = 5196, SYS_EXIT_GROUP = 5205,
  SYS_EPOLL_CTL = 5208, SYS_TIMER_CREATE = 5216, SYS_TIMER_SETTIME = 5217, SYS_TIMER_DELETE = 5220,
  SYS_CLOCK_GETTIME = 5222, SYS_TGKILL = 5225, SYS_OPENAT = 5247, SYS_READLINKAT = 5257,
  SYS_EPOLL_PWAIT = 5272, SYS_EVENTFD2 = 5284, SYS_EPOLL_CREATE1 = 5285, SYS_PIPE2 = 5287,
  SYS_PRLIMIT64 = 5297, SYS_GETRANDOM = 5313,
};

enum { FD_STDIN = 0, FD_STDOUT = 1, FD_STDERR = 2, FD_HINT_READ = 3, FD_HINT_WRITE = 4, FD_PRE_READ = 5,
       FD_PRE_WRITE = 6, FD_EVENTFD = 100 };
enum { E_BADF = 9, E_AGAIN = 11, E_INVAL = 22 };

#define CLONE_FLAGS 0x00050F00ull /* VM|FS|FILES|SIGHAND|SYSVSEM|THREAD: the only accepted set */
#define FUTEX_WAIT_PRIVATE 128
#define FUTEX_WAKE_PRIVATE 129
#define EFD_NONBLOCK 0x80
#define HZ 10000000ull
#define MAX_HINT_CHUNK (256u << 20) /* a bigger single hint write is treated as a host failure */

typedef struct {
  uint64_t v0, v1;
} sysret;

static inline sysret ok(uint64_t v) { return (sysret){v, 0}; }
static inline sysret err(uint64_t e) { return (sysret){e, ~(uint64_t)0}; }

static void finish(fpvm_mips64_thread *t, sysret r) {
  t->regs[2] = r.v0;
  t->regs[7] = r.v1;
  t->pc = t->next_pc;
  t->next_pc += 4;
}

/* Copy guest bytes [addr, addr+len) (wrapping like Go's word arithmetic) to the output callback. */
static void emit_output(fpvm_mips64_vm *vm, int fd, uint64_t addr, uint64_t len) {
  if (!vm->out_fn) return;
  uint8_t buf[FPVM_PAGE_SIZE];
  while (len) {
    uint64_t room = FPVM_PAGE_SIZE - (addr & (FPVM_PAGE_SIZE - 1));
    size_t n = (size_t)(len < room ? len : room);
    fpvm_mem_read_range(vm->mem, addr, buf, n);
    vm->out_fn(vm->out_ctx, fd, buf, n);
    addr += n;
    len -= n;
  }
}

static int read_guest(fpvm_mips64_vm *vm, uint64_t addr, uint8_t *dst, uint64_t len) {
  while (len) {
    uint64_t room = FPVM_PAGE_SIZE - (addr & (FPVM_PAGE_SIZE - 1));
    size_t n = (size_t)(len < room ? len : room);
    fpvm_mem_read_range(vm->mem, addr, dst, n);
    dst += n;
    addr += n;
    len -= n;
  }
  return FPK_OK;
}

/* write(4): buffer, then hand every complete u32-BE-framed hint to the host (cannon.md §5.5). */
static int hint_write(fpvm_mips64_vm *vm, uint64_t addr, uint64_t len) {
  fpvm_mips64_state *s = vm->s;
  if (len > MAX_HINT_CHUNK) return fpk_errf(FPK_ERANGE, "mips64: hint write of %llu bytes", (unsigned long long)len);
  size_t need = s->last_hint_len + (size_t)len;
  if (need > s->last_hint_cap) {
    size_t cap = s->last_hint_cap ? s->last_hint_cap : 64;
    while (cap < need) cap *= 2;
    uint8_t *nb = realloc(s->last_hint, cap);
    if (!nb) return fpk_errf(FPK_ENOMEM, "mips64: hint buffer: out of memory");
    s->last_hint = nb;
    s->last_hint_cap = cap;
  }
  /* A 0-byte write still runs the framing loop below (as Cannon does), but copies nothing: last_hint
   * may still be NULL then, and NULL + 0 is not defined in C. */
  if (len) read_guest(vm, addr, s->last_hint + s->last_hint_len, len);
  s->last_hint_len = need;
  size_t off = 0;
  while (s->last_hint_len - off >= 4) {
    uint64_t hl = fpk_be32(s->last_hint + off);
    if (hl > s->last_hint_len - off - 4) break;
    if (vm->has_oracle && vm->oracle.hint) {
      int rc = vm->oracle.hint(vm->oracle.ctx, s->last_hint + off + 4, (size_t)hl);
      if (rc) return rc;
    }
    off += 4 + (size_t)hl;
  }
  if (off) {
    memmove(s->last_hint, s->last_hint + off, s->last_hint_len - off);
    s->last_hint_len -= off;
  }
  return FPK_OK;
}

/* Make vm->pre_val the (u64 BE length ‖ data) of the current key. */
static int preimage_load(fpvm_mips64_vm *vm) {
  fpvm_mips64_state *s = vm->s;
  if (vm->pre_cached && memcmp(vm->pre_key, s->preimage_key, 32) == 0) return FPK_OK;
  if (!vm->has_oracle || !vm->oracle.get) return eng_panic(vm, "preimage read without a preimage oracle");
  uint8_t *data = NULL;
  size_t len = 0;
  int rc = vm->oracle.get(vm->oracle.ctx, s->preimage_key, &data, &len);
  if (rc) {
    free(data);
    return rc;
  }
  uint8_t *v = malloc(len + 8);
  if (!v) {
    free(data);
    return fpk_errf(FPK_ENOMEM, "mips64: preimage cache: out of memory");
  }
  fpk_put_be64(v, (uint64_t)len);
  if (len) memcpy(v + 8, data, len);
  free(data);
  free(vm->pre_val);
  vm->pre_val = v;
  vm->pre_len = len + 8;
  memcpy(vm->pre_key, s->preimage_key, 32);
  vm->pre_cached = true;
  vm->stats.num_preimage_requests++;
  vm->stats.total_preimage_size += len;
  return FPK_OK;
}

/* read(5): up to 8 bytes of the preimage into the word containing a1 (cannon.md §5.4). */
static int preimage_read(fpvm_mips64_vm *vm, uint64_t a1, uint64_t a2, sysret *r) {
  fpvm_mips64_state *s = vm->s;
  uint64_t ea = a1 & ~(uint64_t)7;
  unsigned al = (unsigned)(a1 & 7);
  eng_track(vm, ea);
  uint64_t word = eng_load64(vm, ea);
  int rc = preimage_load(vm);
  if (rc) return rc;
  uint64_t off = s->preimage_offset;
  if (off >= vm->pre_len)
    return eng_panic(vm, "preimage offset %llu out of bounds (length %zu)", (unsigned long long)off, vm->pre_len);
  uint64_t n = vm->pre_len - off;
  if (n > 32) n = 32;
  if (n > 8u - al) n = 8u - al;
  if (n > a2) n = a2;
  uint8_t b[8];
  fpk_put_be64(b, word);
  memcpy(b + al, vm->pre_val + off, (size_t)n);
  eng_store64(vm, ea, fpk_be64(b));
  s->preimage_offset = off + n;
  vm->pre_read_this_step = true;
  vm->pre_read_offset = off;
  vm->stats.last_step_read_preimage = true;
  memcpy(vm->stats.last_preimage_key, vm->pre_key, 32);
  vm->stats.last_preimage_offset = off;
  vm->stats.last_preimage_len = vm->pre_len;
  *r = ok(n);
  return FPK_OK;
}

/* write(6): shift up to 8 bytes of the word containing a1 into the key. */
static sysret preimage_write(fpvm_mips64_vm *vm, uint64_t a1, uint64_t a2) {
  fpvm_mips64_state *s = vm->s;
  uint64_t ea = a1 & ~(uint64_t)7;
  unsigned al = (unsigned)(a1 & 7);
  eng_track(vm, ea);
  uint8_t b[8];
  fpk_put_be64(b, eng_load64(vm, ea));
  uint64_t n = 8u - al;
  if (a2 < n) n = a2;
  memmove(s->preimage_key, s->preimage_key + n, 32 - (size_t)n);
  memcpy(s->preimage_key + 32 - n, b + al, (size_t)n);
  s->preimage_offset = 0;
  return ok(n);
}

static int sys_read(fpvm_mips64_vm *vm, uint64_t fd, uint64_t a1, uint64_t a2, sysret *r) {
  switch (fd) {
    case FD_STDIN: *r = ok(0); return FPK_OK;
    case FD_HINT_READ: *r = ok(a2); return FPK_OK; /* the host's ack is consumed by the engine itself */
    case FD_PRE_READ: return preimage_read(vm, a1, a2, r);
    case FD_EVENTFD: *r = err(E_AGAIN); return FPK_OK;
    default: *r = err(E_BADF); return FPK_OK;
  }
}

static int sys_write(fpvm_mips64_vm *vm, uint64_t fd, uint64_t a1, uint64_t a2, sysret *r) {
  switch (fd) {
    case FD_STDOUT:
    case FD_STDERR: emit_output(vm, (int)fd, a1, a2); *r = ok(a2); return FPK_OK;
    case FD_HINT_WRITE: *r = ok(a2); return hint_write(vm, a1, a2);
    case FD_PRE_WRITE: *r = preimage_write(vm, a1, a2); return FPK_OK;
    case FD_EVENTFD: *r = err(E_AGAIN); return FPK_OK;
    default: *r = err(E_BADF); return FPK_OK;
  }
}

static sysret sys_fcntl(uint64_t fd, uint64_t cmd) {
  if (cmd == 1) return fd <= FD_PRE_WRITE ? ok(0) : err(E_BADF); /* F_GETFD */
  if (cmd == 3) {                                                 /* F_GETFL */
    switch (fd) {
      case FD_STDIN: case FD_HINT_READ: case FD_PRE_READ: return ok(0); /* O_RDONLY */
      case FD_STDOUT: case FD_STDERR: case FD_HINT_WRITE: case FD_PRE_WRITE: return ok(1); /* O_WRONLY */
      default: return err(E_BADF);
    }
  }
  return err(E_INVAL);
}

static sysret sys_mmap(fpvm_mips64_state *s, uint64_t a0, uint64_t a1) {
  uint64_t sz = a1;
  if (sz & (FPVM_PAGE_SIZE - 1)) sz += FPVM_PAGE_SIZE - (sz & (FPVM_PAGE_SIZE - 1));
  if (a0 != 0) return ok(a0); /* hint honoured verbatim */
  uint64_t heap = s->heap, nh = heap + sz;
  if (nh > FPVM_MIPS64_HEAP_END || nh < heap || sz < a1) return err(E_INVAL);
  s->heap = nh;
  return ok(heap);
}

static void sys_clock_gettime(fpvm_mips64_vm *vm, uint64_t a1) {
  uint64_t step = vm->s->step;
  uint64_t secs = step / HZ, nsecs = (step % HZ) * (1000000000ull / HZ);
  uint64_t ea = a1 & ~(uint64_t)7;
  eng_track(vm, ea);
  eng_store64(vm, ea, secs);
  eng_track2(vm, ea + 8); /* proven against the root after the first write */
  eng_store64(vm, ea + 8, nsecs);
}
static void sys_clock_realtime(fpvm_mips64_vm *vm, uint64_t a1) {
  uint64_t ea = a1 & ~(uint64_t)7;
  eng_track(vm, ea);
  eng_store64(vm, ea, 0);
  eng_track2(vm, ea + 8);
  eng_store64(vm, ea + 8, 0);
}

/* getrandom: bytes of splitmix64(step) at the same positions of the one word (cannon.md §5.2). */
static sysret sys_getrandom(fpvm_mips64_vm *vm, uint64_t a0, uint64_t a1) {
  uint64_t ea = a0 & ~(uint64_t)7;
  unsigned i = (unsigned)(a0 & 7);
  uint64_t n = 8u - i;
  if (a1 < n) n = a1;
  uint64_t r = eng_splitmix64(vm->s->step);
  eng_track(vm, ea);
  uint64_t word = eng_load64(vm, ea);
  uint64_t mask;
  if (n == 0) mask = 0;
  else if (n == 8) mask = ~(uint64_t)0;
  else mask = ((((uint64_t)1 << (8 * n)) - 1) << (8 * (8 - n))) >> (8 * i);
  eng_store64(vm, ea, (word & ~mask) | (r & mask));
  return ok(n);
}

/* clone(2) with Go's fixed flag set (cannon.md §5.2). */
static int sys_clone(fpvm_mips64_vm *vm, fpvm_mips64_thread *t, uint64_t flags, uint64_t stack) {
  fpvm_mips64_state *s = vm->s;
  if (flags != CLONE_FLAGS) {
    s->exited = 1;
    s->exit_code = FPVM_STATUS_PANIC;
    return FPK_OK;
  }
  fpvm_mips64_thread child = *t;
  child.id = s->next_thread_id;
  child.exit_code = 0;
  child.exited = 0;
  child.pc = t->next_pc;
  child.next_pc = t->next_pc + 4;
  child.regs[29] = stack;
  child.regs[2] = 0;
  child.regs[7] = 0;
  s->next_thread_id++;
  finish(t, ok(child.id));
  return fpvm_mips64_push_thread(s, &child); /* t is stale after this */
}

static int yield(fpvm_mips64_vm *vm, fpvm_mips64_thread *t) {
  finish(t, ok(0));
  return fpvm_mips64_preempt(vm->s);
}

int eng_syscall(fpvm_mips64_vm *vm, fpvm_mips64_thread *t) {
  fpvm_mips64_state *s = vm->s;
  uint64_t nr = t->regs[2], a0 = t->regs[4], a1 = t->regs[5], a2 = t->regs[6];
  sysret r = ok(0);
  vm->stats.last_step_read_preimage = false;
  int rc;
  switch (nr) {
    case SYS_MMAP: r = sys_mmap(s, a0, a1); break;
    case SYS_BRK: r = ok(FPVM_MIPS64_BRK_START); break;
    case SYS_CLONE: return sys_clone(vm, t, a0, a1);
    case SYS_EXIT_GROUP:
      s->exited = 1;
      s->exit_code = (uint8_t)a0;
      return FPK_OK;
    case SYS_EXIT:
      t->exited = 1;
      t->exit_code = (uint8_t)a0;
      if (fpvm_mips64_thread_count(s) == 1) {
        s->exited = 1;
        s->exit_code = (uint8_t)a0;
      }
      return FPK_OK;
    case SYS_READ:
      rc = sys_read(vm, a0, a1, a2, &r);
      if (rc) return rc;
      break;
    case SYS_WRITE:
      rc = sys_write(vm, a0, a1, a2, &r);
      if (rc) return rc;
      break;
    case SYS_FCNTL: r = sys_fcntl(a0, a1); break;
    case SYS_GETTID: r = ok(t->id); break;
    case SYS_FUTEX:
      if (a1 == FUTEX_WAIT_PRIVATE) {
        uint64_t ea = a0 & ~(uint64_t)3;
        eng_track(vm, ea);
        uint32_t cur = (uint32_t)ex_select(ea, eng_load64(vm, ea), 4);
        if (cur != (uint32_t)a2) {
          r = err(E_AGAIN);
          break;
        }
        return yield(vm, t);
      }
      if (a1 == FUTEX_WAKE_PRIVATE) return yield(vm, t);
      r = err(E_INVAL);
      break;
    case SYS_SCHED_YIELD:
    case SYS_NANOSLEEP:
      return yield(vm, t);
    case SYS_OPEN: r = err(E_BADF); break;
    case SYS_CLOCK_GETTIME:
      if (a0 == 1) sys_clock_gettime(vm, a1);      /* CLOCK_MONOTONIC */
      else if (a0 == 0) sys_clock_realtime(vm, a1); /* CLOCK_REALTIME: the epoch */
      else r = err(E_INVAL);
      break;
    case SYS_GETPID: r = ok(0); break;
    case SYS_GETRANDOM: r = sys_getrandom(vm, a0, a1); break;
    case SYS_EVENTFD2: r = (a1 & EFD_NONBLOCK) ? ok(FD_EVENTFD) : err(E_INVAL); break;
    case SYS_MUNMAP: case SYS_MPROTECT: case SYS_SCHED_GETAFFINITY: case SYS_MADVISE:
    case SYS_RT_SIGPROCMASK: case SYS_SIGALTSTACK: case SYS_RT_SIGACTION: case SYS_PRLIMIT64:
    case SYS_CLOSE: case SYS_PREAD64: case SYS_STAT: case SYS_FSTAT: case SYS_OPENAT: case SYS_READLINK:
    case SYS_READLINKAT: case SYS_IOCTL: case SYS_EPOLL_CREATE1: case SYS_PIPE2: case SYS_EPOLL_CTL:
    case SYS_EPOLL_PWAIT: case SYS_UNAME: case SYS_GETUID: case SYS_GETGID: case SYS_MINCORE:
    case SYS_TGKILL: case SYS_SETITIMER: case SYS_TIMER_CREATE: case SYS_TIMER_SETTIME:
    case SYS_TIMER_DELETE: case SYS_GETRLIMIT: case SYS_LSEEK:
      break; /* accepted no-ops: v0 = 0, a3 = 0 */
    default: return eng_panic(vm, "unrecognized syscall: %llu", (unsigned long long)nr);
  }
  finish(t, r);
  return FPK_OK;
}
