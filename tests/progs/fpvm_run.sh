#!/bin/bash
# fpvm_run.sh: run a guest ELF through the fpvm CLI exactly as a user would — `fpvm load-elf`, then
# `fpvm run` with the guest's stdout/stderr captured — and exit with the guest's exit code read back
# from the final state with `fpvm witness`. Same calling convention as run_prog, so diff_run.sh can use
# either as its VM side:
#
#   fpvm_run.sh --fpvm FPVM --work DIR [--fphost FPHOST | --pyhost PYHOST]
#               [--keccak-text T]... [--hint-log F] prog.elf
#
# With --keccak-text, a host serves those texts: FPHOST (`fphost --server` over a dir: store filled with
# `fphost put --keccak`) or else PYHOST (`pyhost.py --server`). Exit codes as run_prog: the guest's code,
# 125 when fpvm run fails (VM panic, host error), 126 setup errors.
set -u
fpvm= work= fphost= pyhost= hint_log= elf=
texts=()
while [ $# -gt 0 ]; do
  case $1 in
    --fpvm) fpvm=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --fphost) fphost=$2; shift 2 ;;
    --pyhost) pyhost=$2; shift 2 ;;
    --keccak-text) texts+=("$2"); shift 2 ;;
    --hint-log) hint_log=$2; shift 2 ;;
    -*) echo "fpvm_run: error: unknown argument $1" >&2; exit 126 ;;
    *) elf=$1; shift ;;
  esac
done
if [ -z "$fpvm" ] || [ -z "$work" ] || [ -z "$elf" ]; then
  echo "fpvm_run: error: need --fpvm, --work and an ELF" >&2
  exit 126
fi
mkdir -p "$work" || exit 126
rm -rf "$work/store" "$work"/{state.bin.gz,out.bin.gz,meta.json,guest.out,guest.err,fpvm.log,host.hints}

if ! "$fpvm" load-elf --type multithreaded64-5 --path "$elf" --out "$work/state.bin.gz" \
    --meta "$work/meta.json" >"$work/fpvm.log" 2>&1; then
  echo "fpvm_run: error: fpvm load-elf failed:" >&2
  tail -n 5 "$work/fpvm.log" >&2
  exit 126
fi

host=()
if [ ${#texts[@]} -gt 0 ]; then
  if [ -n "$fphost" ]; then
    for t in "${texts[@]}"; do
      hex=$(printf %s "$t" | od -An -v -tx1 | tr -d ' \n')
      if ! "$fphost" put --store "dir:$work/store" --keccak "0x$hex" >>"$work/fpvm.log" 2>&1; then
        echo "fpvm_run: error: fphost put failed" >&2
        exit 126
      fi
    done
    host=(-- "$fphost" --server --store "dir:$work/store" --hint-log "$work/host.hints")
  elif [ -n "$pyhost" ]; then
    pyargs=()
    for t in "${texts[@]}"; do pyargs+=(--keccak-text "$t"); done
    host=(-- "$pyhost" "${pyargs[@]}" --hint-log "$work/host.hints" --server)
  else
    echo "fpvm_run: error: preimages requested but no --fphost/--pyhost" >&2
    exit 126
  fi
fi

"$fpvm" run --input "$work/state.bin.gz" --output "$work/out.bin.gz" --meta "$work/meta.json" \
  --guest-stdout "$work/guest.out" --guest-stderr "$work/guest.err" ${host[@]+"${host[@]}"} \
  >>"$work/fpvm.log" 2>&1 </dev/null
rc=$?
[ -f "$work/guest.out" ] && cat "$work/guest.out"
[ -f "$work/guest.err" ] && cat "$work/guest.err" >&2
if [ -n "$hint_log" ]; then
  : >"$hint_log"
  if [ -f "$work/host.hints" ]; then
    if [ -n "$fphost" ]; then # fphost logs raw hint lines; write them in pyhost/run_prog form
      while IFS= read -r line; do printf 'hint %d %s\n' "${#line}" "$line"; done <"$work/host.hints" >"$hint_log"
    else
      cp "$work/host.hints" "$hint_log"
    fi
  fi
fi
if [ $rc != 0 ]; then
  echo "fpvm_run: fpvm run exited $rc:" >&2
  grep -v 'module=guest' "$work/fpvm.log" | tail -n 5 >&2
  exit 125
fi
json=$("$fpvm" witness --input "$work/out.bin.gz" 2>>"$work/fpvm.log") || {
  echo "fpvm_run: error: fpvm witness failed" >&2
  exit 126
}
exited=$(printf '%s\n' "$json" | sed -n 's/.*"exited": *\([a-z]*\).*/\1/p')
code=$(printf '%s\n' "$json" | sed -n 's/.*"exitCode": *\([0-9]*\).*/\1/p')
if [ "$exited" != true ] || [ -z "$code" ]; then
  echo "fpvm_run: guest did not exit (exited=$exited)" >&2
  exit 124
fi
exit "$code"
