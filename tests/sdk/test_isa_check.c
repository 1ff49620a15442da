/* fpvm_mips64_insn_class against cannon.md §4.3, written out again here as plain lists: every primary
 * opcode, every SPECIAL/SPECIAL2 funct and every REGIMM rt, each with several rs/rt/rd/sa fillings. */
#include "test.h"

#include "fpvm/mips64/isa_check.h"

static const unsigned PRIMARY[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B,
                                   0x0C, 0x0D, 0x0E, 0x0F, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x20, 0x21, 0x22,
                                   0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E,
                                   0x30, 0x34, 0x37, 0x38, 0x3C, 0x3F};
static const unsigned SPECIAL[] = {0x00, 0x02, 0x03, 0x04, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0F,
                                   0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C,
                                   0x1D, 0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A,
                                   0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x38, 0x3A, 0x3B, 0x3C, 0x3E, 0x3F};
static const unsigned SPECIAL2[] = {0x02, 0x20, 0x21, 0x24, 0x25};
static const unsigned REGIMM[] = {0x00, 0x01, 0x10, 0x11};

static bool in(const unsigned *list, size_t n, unsigned v) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == v) return true;
  return false;
}
#define IN(list, v) in(list, sizeof list / sizeof list[0], v)

/* Fillings of the rs, rt, rd and sa fields with the rotate bits (rs bit 0, sa bit 0) kept clear. */
static const uint32_t FILL[] = {0x00000000, 0x03DFF780, 0x01084100, 0x02D6B580, 0x001F0000, 0x0000F800};

static void test_isa_check_table(void) {
  int bad = 0;
  for (unsigned op = 0; op < 64; op++)
    for (unsigned lo = 0; lo < 64; lo++)
      for (unsigned rt = 0; rt < 32; rt++)
        for (size_t f = 0; f < sizeof FILL / sizeof FILL[0]; f++) {
          uint32_t insn = (op << 26) | (FILL[f] & ~((31u << 16) | 0x3Fu)) | (rt << 16) | lo;
          fpvm_isa_class want;
          if (!IN(PRIMARY, op)) want = FPVM_ISA_INVALID;
          else if (op == 0x00) want = IN(SPECIAL, lo) ? FPVM_ISA_OK : FPVM_ISA_INVALID;
          else if (op == 0x1C) want = IN(SPECIAL2, lo) ? FPVM_ISA_OK : FPVM_ISA_INVALID;
          else if (op == 0x01) want = IN(REGIMM, rt) ? FPVM_ISA_OK : FPVM_ISA_DIVERGENT;
          else want = FPVM_ISA_OK;
          fpvm_isa_class got = fpvm_mips64_insn_class(insn);
          if (got != want) {
            if (bad < 10) fprintf(stderr, "  0x%08x (%s): got %d want %d\n", insn, fpvm_mips64_insn_name(insn), got, want);
            bad++;
          }
          if (fpvm_mips64_insn_valid(insn) != (want != FPVM_ISA_INVALID)) bad++;
          if (!fpvm_mips64_insn_name(insn) || !*fpvm_mips64_insn_name(insn)) bad++;
        }
  CHECK(bad == 0);
}

static void test_isa_check_rotates(void) {
  /* rotr $2,$3,5 = srl with rs=1; rotrv = srlv with sa=1; drotr/drotr32/drotrv likewise. */
  CHECK(fpvm_mips64_insn_class(0x00231142) == FPVM_ISA_DIVERGENT);
  CHECK(!strcmp(fpvm_mips64_insn_name(0x00231142), "rotr"));
  CHECK(fpvm_mips64_insn_class(0x00031142) == FPVM_ISA_OK); /* srl $2,$3,5 */
  CHECK(fpvm_mips64_insn_class(0x00641046) == FPVM_ISA_DIVERGENT);
  CHECK(!strcmp(fpvm_mips64_insn_name(0x00641046), "rotrv"));
  CHECK(fpvm_mips64_insn_class(0x0023117A) == FPVM_ISA_DIVERGENT); /* drotr */
  CHECK(fpvm_mips64_insn_class(0x0023117E) == FPVM_ISA_DIVERGENT); /* drotr32 */
  CHECK(fpvm_mips64_insn_class(0x00641056) == FPVM_ISA_DIVERGENT); /* drotrv */
}

static void test_isa_check_names(void) {
  CHECK(!strcmp(fpvm_mips64_insn_name(0x00000000), "nop"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0x0000000D), "break"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0x00000034), "teq"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0x7C0A5004), "ins"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0x7C021C20), "seb"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0x70A60000), "madd"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0x67BDFFF0), "daddiu"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0x04110001), "bgezal"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0x040C0000), "teqi"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0xCC000000), "pref"));
  CHECK(!strcmp(fpvm_mips64_insn_name(0x44000000), "cop1"));
  CHECK(fpvm_mips64_insn_class(0x0000000C) == FPVM_ISA_OK);      /* syscall */
  CHECK(fpvm_mips64_insn_class(0x0000000F) == FPVM_ISA_OK);      /* sync */
  CHECK(fpvm_mips64_insn_class(0x50000000) == FPVM_ISA_INVALID); /* beql */
}

static void test_isa_check_syscalls(void) {
  CHECK(fpvm_mips64_syscall_supported(5000) && fpvm_mips64_syscall_supported(5205));
  CHECK(fpvm_mips64_syscall_supported(5297) && fpvm_mips64_syscall_supported(5008)); /* no-ops */
  CHECK(!fpvm_mips64_syscall_supported(5062) && !fpvm_mips64_syscall_supported(0));
  uint64_t nr = 0;
  const uint32_t a[] = {0x24020fa0 /* li v0,4000 */, 0x00000000, 0x0000000c};
  CHECK(fpvm_mips64_syscall_number(a, 2, &nr) && nr == 4000);
  const uint32_t b[] = {0x64021389 /* daddiu v0,zero,5001 */, 0x00801025 /* move v0... or v0,a0,zero */, 0x0000000c};
  CHECK(!fpvm_mips64_syscall_number(b, 2, &nr)); /* overwritten by a register move */
  const uint32_t c[] = {0x34021389 /* ori v0,zero,5001 */, 0x10000003 /* b */, 0x00000000, 0x0000000c};
  CHECK(!fpvm_mips64_syscall_number(c, 3, &nr)); /* a branch ends the straight-line run */
  const uint32_t d[] = {0x34021389, 0x24840001 /* addiu a0,a0,1 */, 0x0000000c};
  CHECK(fpvm_mips64_syscall_number(d, 2, &nr) && nr == 5001);
  const uint32_t e[] = {0x0000000c};
  CHECK(!fpvm_mips64_syscall_number(e, 0, &nr));
}

int main(int argc, char **argv) {
  fpk_test_init(argc, argv);
  RUN(test_isa_check_table);
  RUN(test_isa_check_rotates);
  RUN(test_isa_check_names);
  RUN(test_isa_check_syscalls);
  return fpk_test_main_end();
}
