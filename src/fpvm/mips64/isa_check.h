/* Which MIPS64 instruction words the VM runs the way a MIPS CPU would (cannon.md §4.3). Used by
 * `fpvm check-elf` to vet programs before they are loaded; independent of the engine's decoder. */
#ifndef FPVM_MIPS64_ISA_CHECK_H
#define FPVM_MIPS64_ISA_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  FPVM_ISA_OK = 0,        /* executed as on MIPS64 */
  FPVM_ISA_INVALID = 1,   /* the VM panics (Go) / reverts (MIPS64.sol): no valid post-state */
  FPVM_ISA_DIVERGENT = 2, /* the VM runs it, but not as MIPS defines it (REGIMM with an unknown rt runs as
                             a never-taken branch; rotr/rotrv/drotr* run as the plain shifts) */
} fpvm_isa_class;

/* Classify one instruction word. */
fpvm_isa_class fpvm_mips64_insn_class(uint32_t insn);
/* true unless the class is FPVM_ISA_INVALID (i.e. the VM executes the word without panicking). */
bool fpvm_mips64_insn_valid(uint32_t insn);
/* Best-effort mnemonic ("daddiu", "teq", "ext", "cop1", ...); "?" for unassigned encodings. Static. */
const char *fpvm_mips64_insn_name(uint32_t insn);

/* Is nr in the VM's syscall table (cannon.md §5.2, including the no-ops)? Others panic the VM. */
bool fpvm_mips64_syscall_supported(uint64_t nr);
/* The syscall number a `syscall` at words[i] is made with, if the instructions before it in the same
 * straight-line run load $v0 with a constant (li/addiu/daddiu/ori from $zero). Looks back at most 32
 * words and stops at a branch or jump (other than in the delay slot position) or any other write of
 * $v0. Returns false when the number cannot be known this way. */
bool fpvm_mips64_syscall_number(const uint32_t *words, size_t i, uint64_t *nr);

#endif
