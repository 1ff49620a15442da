/* run_mkstate KIND OUT: writes a hand-assembled MIPS64 state for the `fpvm run` CLI tests (no cross
 * compiler needed).
 *   loop      counts down from 65536 (about 196k steps), writes "hello\n" to stdout, exits 0
 *   preimage  writes a 32-byte key to fd 6, reads its preimage (31 bytes incl. length) from fd 5 in
 *             8-byte reads, sends the hint "hello" on fd 4, prints the preimage data, exits 0
 *   panic     a few steps, then an invalid instruction
 *   calls     main (0x10000) jal f; f (0x10010) jal g, then exits; g (0x10030) jr $ra: for --debug
 *   bench PAGES ITERS64K   (benchmarks) fills PAGES pages from 0x2000000 up with non-zero words (4 steps
 *             per word), then counts down ITERS64K * 65536 times (3 steps each), exits 0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpkit/mips64.h"

#define BASE 0x10000ull

enum { ZERO = 0, V0 = 2, A0 = 4, A1 = 5, A2 = 6, T0 = 8, S0 = 16 };
enum { SYS_READ = 5000, SYS_WRITE = 5001, SYS_EXIT_GROUP = 5205 };

static uint32_t prog[64];
static unsigned np;

static void emit(uint32_t insn) { prog[np++] = insn; }
static void daddiu(unsigned rt, unsigned rs, int imm) { emit(0x19u << 26 | rs << 21 | rt << 16 | (uint16_t)imm); }
static void lui(unsigned rt, unsigned imm) { emit(0x0Fu << 26 | rt << 16 | (uint16_t)imm); }
static void ori(unsigned rt, unsigned rs, unsigned imm) { emit(0x0Du << 26 | rs << 21 | rt << 16 | (uint16_t)imm); }
/* bne back to instruction index `target` (branch sits at np; offset relative to the delay slot) */
static void bne_to(unsigned rs, unsigned rt, unsigned target) {
  int off = (int)target - (int)(np + 1);
  emit(0x05u << 26 | rs << 21 | rt << 16 | (uint16_t)off);
  emit(0); /* delay slot: nop */
}
static void syscall_(void) { emit(0x0C); }
static void li_addr(unsigned rt, uint64_t addr) { /* addr < 2^31 */
  lui(rt, (unsigned)(addr >> 16));
  ori(rt, rt, (unsigned)(addr & 0xffff));
}
static void sd(unsigned rt, unsigned base, int off) { emit(0x3Fu << 26 | base << 21 | rt << 16 | (uint16_t)off); }
static void sys3(int num, int fd, uint64_t buf, int len) {
  daddiu(V0, ZERO, num);
  daddiu(A0, ZERO, fd);
  li_addr(A1, buf);
  daddiu(A2, ZERO, len);
  syscall_();
}
static void exit0(void) {
  daddiu(V0, ZERO, SYS_EXIT_GROUP);
  daddiu(A0, ZERO, 0);
  syscall_();
}

int main(int argc, char **argv) {
  if (argc != 3 && !(argc == 5 && !strcmp(argv[1], "bench"))) {
    fprintf(stderr, "usage: run_mkstate loop|preimage|panic OUT | run_mkstate bench OUT PAGES ITERS64K\n");
    return 2;
  }
  const char *kind = argv[1];
  uint8_t data[0x500];
  memset(data, 0, sizeof data);
  np = 0;
  if (!strcmp(kind, "loop")) {
    lui(T0, 1); /* 65536 */
    unsigned top = np;
    daddiu(T0, T0, -1);
    bne_to(T0, ZERO, top);
    sys3(SYS_WRITE, 1, BASE + 0x100, 6);
    exit0();
    memcpy(data + 0x100, "hello\n", 6);
  } else if (!strcmp(kind, "preimage")) {
    li_addr(A1, BASE + 0x200); /* the key, 8 bytes per write */
    daddiu(S0, ZERO, 4);
    unsigned w = np;
    daddiu(V0, ZERO, SYS_WRITE);
    daddiu(A0, ZERO, 6);
    daddiu(A2, ZERO, 8);
    syscall_();
    daddiu(S0, S0, -1);
    daddiu(A1, A1, 8);
    bne_to(S0, ZERO, w);
    li_addr(A1, BASE + 0x300); /* u64 length ‖ data, 8 bytes per read */
    daddiu(S0, ZERO, 4);
    unsigned r = np;
    daddiu(V0, ZERO, SYS_READ);
    daddiu(A0, ZERO, 5);
    daddiu(A2, ZERO, 8);
    syscall_();
    daddiu(S0, S0, -1);
    daddiu(A1, A1, 8);
    bne_to(S0, ZERO, r);
    sys3(SYS_WRITE, 4, BASE + 0x400, 9); /* hint: u32 5 ‖ "hello" */
    sys3(SYS_WRITE, 1, BASE + 0x308, 23);
    exit0();
    data[0x200] = 0x01; /* a local key: the verifier takes its data as given */
    memset(data + 0x201, 0xab, 31);
    memcpy(data + 0x400, "\0\0\0\5hello", 9);
  } else if (!strcmp(kind, "panic")) {
    daddiu(T0, ZERO, 1);
    daddiu(T0, T0, 1);
    emit(0x48000000u); /* COP2: not in the ISA */
  } else if (!strcmp(kind, "calls")) {
    emit(0x03u << 26 | (uint32_t)((BASE + 0x10) >> 2 & 0x3FFFFFF)); /* main: jal f */
    emit(0);
    while (np < 4) emit(0);
    emit(0x03u << 26 | (uint32_t)((BASE + 0x30) >> 2 & 0x3FFFFFF)); /* f: jal g */
    emit(0);
    exit0();
    while (np < 12) emit(0);
    emit(31u << 21 | 8); /* g: jr $ra */
    emit(0);
  } else if (!strcmp(kind, "bench")) {
    unsigned long pages = strtoul(argv[3], NULL, 0), iters = strtoul(argv[4], NULL, 0);
    if (pages == 0 || pages > 0x3fffff || iters == 0 || iters > 0x7fff) {
      fprintf(stderr, "run_mkstate: bench wants 1 <= PAGES < 2^22 and 1 <= ITERS64K < 32768\n");
      return 2;
    }
    li_addr(T0, pages * 512); /* words */
    lui(9, 0x200); /* $t1 = 0x2000000 */
    unsigned fill = np;
    sd(T0, 9, 0);
    daddiu(9, 9, 8);
    daddiu(T0, T0, -1);
    bne_to(T0, ZERO, fill);
    lui(T0, (unsigned)iters);
    unsigned top = np;
    daddiu(T0, T0, -1);
    bne_to(T0, ZERO, top);
    exit0();
  } else {
    fprintf(stderr, "run_mkstate: unknown kind %s\n", kind);
    return 2;
  }
  for (unsigned i = 0; i < np; i++) {
    data[4 * i] = (uint8_t)(prog[i] >> 24);
    data[4 * i + 1] = (uint8_t)(prog[i] >> 16);
    data[4 * i + 2] = (uint8_t)(prog[i] >> 8);
    data[4 * i + 3] = (uint8_t)prog[i];
  }
  fpvm_mips64_state *s = fpvm_mips64_state_create_initial(BASE, FPVM_MIPS64_HEAP_START);
  if (!s || fpvm_mem_set_range(s->mem, BASE, data, sizeof data) != FPK_OK ||
      fpvm_mips64_state_write_file(s, argv[2]) != FPK_OK) {
    fprintf(stderr, "run_mkstate: %s\n", fpk_errmsg());
    fpvm_mips64_state_destroy(s);
    return 1;
  }
  fpvm_mips64_state_destroy(s);
  return 0;
}
