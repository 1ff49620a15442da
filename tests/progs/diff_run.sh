#!/bin/bash
# diff_run.sh: run one guest ELF under qemu-mips64 and/or inside fpkit's VM and compare stdout, stderr
# and the exit code (each side must also exit with the expected code).
#
#   diff_run.sh --work DIR --elf ELF --expect N [--qemu QEMU] [--vm RUNNER [--vm-arg A]...]
#               [--keccak-text T]... [--pyhost PYHOST] [--expect-text STR]
#
# qemu gets the start-up stack the VM builds (cannon.md §6): argv[0]=op-program, environment exactly
# GODEBUG=memprofilerate=0, stdin /dev/null. With --keccak-text the qemu side runs under PYHOST (fds 3-6
# served natively) and the VM side gets the same texts as in-process preimages; the hint logs of both
# sides are compared too. RUNNER is run as: RUNNER [vm-args] [--keccak-text T --hint-log F]... ELF.
set -u
work= elf= expect= qemu= vm= pyhost= expect_text=
vm_args=() texts=()
while [ $# -gt 0 ]; do
  case $1 in
    --work) work=$2; shift 2 ;;
    --elf) elf=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --vm) vm=$2; shift 2 ;;
    --vm-arg) vm_args+=("$2"); shift 2 ;;
    --keccak-text) texts+=("$2"); shift 2 ;;
    --pyhost) pyhost=$2; shift 2 ;;
    --expect-text) expect_text=$2; shift 2 ;;
    *) echo "diff_run: error: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$work" ] || [ -z "$elf" ] || [ -z "$expect" ] || { [ -z "$qemu" ] && [ -z "$vm" ]; }; then
  echo "diff_run: error: need --work, --elf, --expect and at least one of --qemu/--vm" >&2
  exit 2
fi
if [ ! -f "$elf" ]; then
  echo "diff_run: error: $elf does not exist (build the progs_guests target)" >&2
  exit 2
fi
mkdir -p "$work" || exit 2
rm -f "$work"/{q,v}.{out,err,hints}
fail=0

host_args=() vm_host_args=()
for t in ${texts[@]+"${texts[@]}"}; do
  host_args+=(--keccak-text "$t")
  vm_host_args+=(--keccak-text "$t")
done
if [ ${#texts[@]} -gt 0 ]; then
  host_args+=(--hint-log "$work/q.hints")
  vm_host_args+=(--hint-log "$work/v.hints")
fi

check_side() { # name rc outfile
  if [ "$2" != "$expect" ]; then
    echo "diff_run: $1: exit code $2, expected $expect" >&2
    echo "--- $1 stderr (first lines):" >&2
    head -n 20 "$3.err" >&2
    fail=1
  fi
  if [ ! -s "$3.out" ]; then
    echo "diff_run: $1: printed nothing on stdout" >&2
    fail=1
  fi
  if [ -n "$expect_text" ] && ! grep -qF -- "$expect_text" "$3.out"; then
    echo "diff_run: $1: stdout lacks \"$expect_text\"" >&2
    fail=1
  fi
}

if [ -n "$qemu" ]; then
  wrap=()
  if [ ${#texts[@]} -gt 0 ]; then
    wrap=("$pyhost" "${host_args[@]}" --)
  fi
  ${wrap[@]+"${wrap[@]}"} env -i GODEBUG=memprofilerate=0 "$qemu" -0 op-program "$elf" \
    </dev/null >"$work/q.out" 2>"$work/q.err"
  qrc=$?
  check_side qemu "$qrc" "$work/q"
fi
if [ -n "$vm" ]; then
  "$vm" ${vm_args[@]+"${vm_args[@]}"} ${vm_host_args[@]+"${vm_host_args[@]}"} "$elf" \
    </dev/null >"$work/v.out" 2>"$work/v.err"
  vrc=$?
  check_side vm "$vrc" "$work/v"
fi
if [ -n "$qemu" ] && [ -n "$vm" ]; then
  for s in out err hints; do
    [ -e "$work/q.$s" ] || [ -e "$work/v.$s" ] || continue
    if ! cmp -s "$work/q.$s" "$work/v.$s"; then
      echo "diff_run: $s differs between qemu (-) and the VM (+):" >&2
      diff -u "$work/q.$s" "$work/v.$s" | head -n 40 >&2
      fail=1
    fi
  done
fi
if [ $fail = 0 ]; then
  side=q
  [ -n "$vm" ] && side=v
  echo "diff_run: $(basename "$elf"): ok (exit $expect${qemu:+, qemu}${vm:+, vm}; $(wc -l <"$work/$side.out") stdout lines)"
fi
exit $fail
