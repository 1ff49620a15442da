#!/bin/sh
# check_insns.sh OBJDUMP ELF...: fail if an ELF's code uses an instruction outside what Cannon executes
# (MIPS64r1 integer subset + dclz/dclo, cannon.md §4.3). Allow-list, so anything new (ext/ins/seb/seh,
# rotr, madd, teq, break, synci, branch-likely, every FPU op, ...) is reported rather than missed.
# --go-runtime-traps: allow `teq` inside the Go runtime functions that use it as a deliberate crash.
set -eu
go_traps=0
if [ "${1:-}" = --go-runtime-traps ]; then
  go_traps=1
  shift
fi
objdump=$1
shift
allowed='
sll srl sra sllv srlv srav jr jalr movz movn syscall sync mfhi mthi mflo mtlo dsllv dsrlv dsrav
mult multu div divu dmult dmultu ddiv ddivu add addu sub subu and or xor nor slt sltu
dadd daddu dsub dsubu dsll dsrl dsra dsll32 dsrl32 dsra32
bltz bgez bltzal bgezal bal j jal beq bne blez bgtz b beqz bnez
addi addiu slti sltiu andi ori xori lui daddi daddiu
mul clz clo dclz dclo
lb lh lwl lw lbu lhu lwr lwu ld ldl ldr ll lld sb sh swl sw swr sd sdl sdr sc scd
nop ssnop ehb move li negu dnegu neg dneg not
'
status=0
for elf in "$@"; do
  # Only executable sections; the mnemonic is the first word of the third tab field.
  bad=$("$objdump" -d --no-show-raw-insn "$elf" | awk -F'\t' -v allowed="$allowed" -v go_traps=$go_traps '
    BEGIN { n = split(allowed, a, /[ \n]+/); for (i = 1; i <= n; i++) if (a[i] != "") ok[a[i]] = 1 }
    /^[0-9a-f]+ <.*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn) }
    /^ *[0-9a-f]+:\t/ {
      split($2, w, " "); m = w[1]
      if (m == "" || m ~ /^\.(word|short|byte|insn)$/) next
      if (go_traps && m == "teq" && fn ~ /^runtime\.(abort|morestack|systemstack_switch)$/) next
      if (!(m in ok)) { cnt[m]++; if (!(m in first)) first[m] = $1 }
    }
    END { for (m in cnt) printf "%s x%d (first at %s)\n", m, cnt[m], first[m] }')
  if [ -n "$bad" ]; then
    echo "check_insns: $elf: instructions Cannon does not execute:" >&2
    echo "$bad" | sort >&2
    status=1
  fi
done
exit $status
