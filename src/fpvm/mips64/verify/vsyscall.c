/* Syscalls as MIPS64.sol handleSyscall and MIPS64Syscalls.sol implement them. Results go to
 * $v0 (r2) and $a3 (r7); an error is $v0 = errno, $a3 = all ones. Handlers that end the step in
 * their own way (clone, exit_group, exit, the yields) return directly; every other one falls
 * through to the common epilogue: write v0/v1, advance the pc, re-hash the active thread. */
#include <string.h>

#include "vm.h"
#include "voracle.h"

#define ERR ~0ull
#define EBADF 0x9u
#define EINVAL 0x16u
#define EAGAIN 0xBu
#define FD_EVENTFD 100u
#define HEAP_END 0x0000600000000000ull
#define PROGRAM_BREAK 0x0000400000000000ull
#define CLONE_FLAGS 0x50F00u
#define HZ 10000000ull

static void set_result(vm_thread *t, uint64_t v0, uint64_t v1) {
  t->regs[2] = v0;
  t->regs[7] = v1;
  vm_advance_pc(t);
}

static void sys_mmap(vm_state *s, uint64_t a0, uint64_t a1, uint64_t *v0, uint64_t *v1) {
  uint64_t sz = a1;
  if (sz & 4095) sz += 4096 - (sz & 4095);
  if (a0 != 0) {
    *v0 = a0;
    return;
  }
  uint64_t heap = s->heap, next = heap + sz;
  if (next > HEAP_END || next < heap || sz < a1) {
    *v0 = EINVAL;
    *v1 = ERR;
    return;
  }
  *v0 = heap;
  s->heap = next;
}

static int sys_clone(vm_ctx *c, uint64_t flags, uint64_t stack) {
  vm_state *s = &c->st;
  vm_thread *t = &c->th;
  if (flags != CLONE_FLAGS) { /* the VM exits with the panic status; the thread is left as it was */
    s->exited = 1;
    s->exit_code = 2;
    return FPK_OK;
  }
  vm_thread child = *t;
  child.id = s->next_thread_id;
  child.exit_code = 0;
  child.exited = 0;
  child.pc = t->next_pc;
  child.next_pc = t->next_pc + 4;
  child.regs[29] = stack;
  child.regs[2] = 0;
  child.regs[7] = 0;
  uint64_t id = s->next_thread_id;
  s->next_thread_id++;
  set_result(t, id, 0);
  int rc = vm_update_current_thread_root(c);
  if (rc) return rc;
  vm_push_thread(c, &child);
  return FPK_OK;
}

static int sys_yield(vm_ctx *c) {
  set_result(&c->th, 0, 0);
  return vm_preempt_thread(c);
}

/* Copy dat[0..n) into bytes [al, al+n) of the big-endian word. */
static uint64_t put_bytes(uint64_t word, unsigned al, const uint8_t *dat, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    unsigned sh = 8 * (7 - (al + i));
    word = (word & ~(0xFFull << sh)) | ((uint64_t)dat[i] << sh);
  }
  return word;
}

static int read_preimage(vm_ctx *c, uint64_t a1, uint64_t a2, uint64_t *v0) {
  vm_state *s = &c->st;
  uint64_t ea = a1 & ~7ull, mem;
  int rc = vm_mem_read(c, s->mem_root, ea, 1, &mem);
  if (rc) return rc;
  uint8_t dat[32];
  uint64_t n;
  rc = vm_oracle_read(c, s->preimage_key, s->preimage_offset, dat, &n);
  if (rc) return rc;
  unsigned al = (unsigned)(a1 & 7);
  if (n > 8u - al) n = 8u - al;
  if (n > a2) n = a2;
  rc = vm_mem_write(c, ea, 1, put_bytes(mem, al, dat, (unsigned)n), s->mem_root);
  if (rc) return rc;
  vm_mem_updated(c, ea);
  s->preimage_offset += n;
  *v0 = n;
  return FPK_OK;
}

static int sys_read(vm_ctx *c, uint64_t fd, uint64_t a1, uint64_t a2, uint64_t *v0, uint64_t *v1) {
  switch (fd) {
  case 0: return FPK_OK;                          /* stdin: nothing */
  case 5: return read_preimage(c, a1, a2, v0);    /* preimage response */
  case 3: *v0 = a2; return FPK_OK;                /* hint response: pretend all was read */
  case FD_EVENTFD: *v0 = EAGAIN; *v1 = ERR; return FPK_OK;
  default: *v0 = EBADF; *v1 = ERR; return FPK_OK;
  }
}

/* The key takes the n bytes of the word from byte al on, shifted in from the right. */
static int write_preimage_key(vm_ctx *c, uint64_t a1, uint64_t a2, uint64_t *v0) {
  vm_state *s = &c->st;
  uint64_t mem;
  int rc = vm_mem_read(c, s->mem_root, a1 & ~7ull, 1, &mem);
  if (rc) return rc;
  unsigned al = (unsigned)(a1 & 7);
  unsigned n = a2 < 8u - al ? (unsigned)a2 : 8u - al;
  uint8_t word[8], key[32];
  fpk_put_be64(word, mem);
  memcpy(key, s->preimage_key + n, 32 - n);
  memcpy(key + 32 - n, word + al, n);
  memcpy(s->preimage_key, key, 32);
  s->preimage_offset = 0;
  *v0 = n;
  return FPK_OK;
}

static int sys_write(vm_ctx *c, uint64_t fd, uint64_t a1, uint64_t a2, uint64_t *v0, uint64_t *v1) {
  switch (fd) {
  case 1: case 2: case 4: *v0 = a2; return FPK_OK; /* stdout, stderr, hints: all written */
  case 6: return write_preimage_key(c, a1, a2, v0);
  case FD_EVENTFD: *v0 = EAGAIN; *v1 = ERR; return FPK_OK;
  default: *v0 = EBADF; *v1 = ERR; return FPK_OK;
  }
}

static void sys_fcntl(uint64_t fd, uint64_t cmd, uint64_t *v0, uint64_t *v1) {
  if (cmd == 1) { /* F_GETFD */
    if (fd > 6) {
      *v0 = EBADF;
      *v1 = ERR;
    }
  } else if (cmd == 3) { /* F_GETFL */
    if (fd == 0 || fd == 3 || fd == 5) {
      *v0 = 0;
    } else if (fd == 1 || fd == 2 || fd == 4 || fd == 6) {
      *v0 = 1;
    } else {
      *v0 = EBADF;
      *v1 = ERR;
    }
  } else {
    *v0 = EINVAL;
    *v1 = ERR;
  }
}

/* Two words: seconds at a1 & ~7 (slot 1, against the pre-state root), nanoseconds 8 bytes on
 * (slot 2, against the root after the first write). */
static int sys_clock_gettime(vm_ctx *c, uint64_t clk, uint64_t a1, uint64_t *v0, uint64_t *v1) {
  vm_state *s = &c->st;
  if (clk != 0 && clk != 1) {
    *v0 = EINVAL;
    *v1 = ERR;
    return FPK_OK;
  }
  uint64_t secs = 0, nsecs = 0;
  if (clk == 1) {
    secs = s->step / HZ;
    nsecs = (s->step % HZ) * (1000000000ull / HZ);
  }
  uint64_t ea = a1 & ~7ull;
  bool ok;
  int rc = vm_mem_valid(c, s->mem_root, ea, 1, &ok);
  if (rc) return rc;
  if (!ok) return vm_revert(c, "InvalidMemoryProof()");
  rc = vm_mem_write(c, ea, 1, secs, s->mem_root);
  if (rc) return rc;
  vm_mem_updated(c, ea);
  rc = vm_mem_valid(c, s->mem_root, ea + 8, 2, &ok);
  if (rc) return rc;
  if (!ok) return vm_revert(c, "InvalidSecondMemoryProof()");
  rc = vm_mem_write(c, ea + 8, 2, nsecs, s->mem_root);
  if (rc) return rc;
  vm_mem_updated(c, ea + 8);
  return FPK_OK;
}

static uint64_t splitmix64(uint64_t seed) {
  uint64_t z = seed + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Bytes [i, i+n) of the word take the same byte positions of splitmix64(step). */
static int sys_getrandom(vm_ctx *c, uint64_t a0, uint64_t a1, uint64_t *v0) {
  vm_state *s = &c->st;
  uint64_t ea = a0 & ~7ull, mem;
  int rc = vm_mem_read(c, s->mem_root, ea, 1, &mem);
  if (rc) return rc;
  uint64_t rnd = splitmix64(s->step);
  unsigned i = (unsigned)(a0 - ea);
  uint64_t n = a1 < 8u - i ? a1 : 8u - i;
  uint64_t mask = n == 0 ? 0 : (n >= 8 ? ~0ull : ((1ull << (8 * n)) - 1) << (8 * (8 - n)));
  mask >>= 8 * i;
  rc = vm_mem_write(c, ea, 1, (mem & ~mask) | (rnd & mask), s->mem_root);
  if (rc) return rc;
  vm_mem_updated(c, ea);
  *v0 = n;
  return FPK_OK;
}

static bool is_noop(uint64_t nr) {
  static const uint16_t noops[] = {5011, 5010, 5196, 5027, 5014, 5129, 5013, 5297, 5003, 5016, 5004,
                                   5005, 5247, 5087, 5257, 5015, 5285, 5287, 5208, 5272, 5061, 5100,
                                   5102, 5026, 5225, 5036, 5216, 5217, 5220, 5095, 5008};
  for (size_t k = 0; k < sizeof noops / sizeof noops[0]; k++)
    if (nr == noops[k]) return true;
  return false;
}

int vm_exec_syscall(vm_ctx *c) {
  vm_state *s = &c->st;
  vm_thread *t = &c->th;
  uint64_t nr = t->regs[2], a0 = t->regs[4], a1 = t->regs[5], a2 = t->regs[6];
  uint64_t v0 = 0, v1 = 0;
  int rc = FPK_OK;
  bool last;

  switch (nr) {
  case 5009: sys_mmap(s, a0, a1, &v0, &v1); break; /* mmap */
  case 5012: v0 = PROGRAM_BREAK; break;            /* brk */
  case 5055: return sys_clone(c, a0, a1);          /* clone */
  case 5205:                                       /* exit_group */
    s->exited = 1;
    s->exit_code = (uint8_t)a0;
    return vm_update_current_thread_root(c);
  case 5000: rc = sys_read(c, a0, a1, a2, &v0, &v1); break;  /* read */
  case 5001: rc = sys_write(c, a0, a1, a2, &v0, &v1); break; /* write */
  case 5070: sys_fcntl(a0, a1, &v0, &v1); break;             /* fcntl */
  case 5178: v0 = t->id; break;                              /* gettid */
  case 5058:                                                 /* exit */
    t->exited = 1;
    t->exit_code = (uint8_t)a0;
    rc = vm_last_thread_remaining(c, &last);
    if (rc) return rc;
    if (last) {
      s->exited = 1;
      s->exit_code = (uint8_t)a0;
    }
    return vm_update_current_thread_root(c);
  case 5194: /* futex */
    if (a1 == 128) { /* FUTEX_WAIT_PRIVATE: sleep only while the 32-bit value still matches */
      uint64_t ea = a0 & ~3ull, word;
      rc = vm_mem_read(c, s->mem_root, ea & ~7ull, 1, &word);
      if (rc) return rc;
      if ((uint32_t)vm_select_subword(ea, word, 4, false) != (uint32_t)a2) {
        v0 = EAGAIN;
        v1 = ERR;
        break;
      }
      return sys_yield(c);
    }
    if (a1 == 129) return sys_yield(c); /* FUTEX_WAKE_PRIVATE */
    v0 = EINVAL;
    v1 = ERR;
    break;
  case 5023: case 5034: return sys_yield(c); /* sched_yield, nanosleep */
  case 5002: v0 = EBADF; v1 = ERR; break;   /* open */
  case 5222: rc = sys_clock_gettime(c, a0, a1, &v0, &v1); break;
  case 5038: break; /* getpid = 0 */
  case 5313: rc = sys_getrandom(c, a0, a1, &v0); break;
  case 5284: /* eventfd2: only the non-blocking kind */
    if (a1 & 0x80)
      v0 = FD_EVENTFD;
    else {
      v0 = EINVAL;
      v1 = ERR;
    }
    break;
  default:
    if (!is_noop(nr)) return vm_revert(c, "MIPS64: unimplemented syscall");
    break;
  }
  if (rc) return rc;
  set_result(t, v0, v1);
  return vm_update_current_thread_root(c);
}
