#!/bin/sh
# In-VM parity: one SDK program on one input set, natively under `fphost --exec` and as MIPS64 under
# `fpvm run -- fphost --server`, must send the same hints in the same order (hint logs byte-equal), print
# the same output and exit with the same code.
#   vm_parity.sh FPHOST FPVM TESTHOST PROG.native PROG.mips64.elf SET.txt WORKDIR
set -u
H=$1 VM=$2 TH=$3 NAT=$4 ELF=$5 SET=$6 W=$7
rm -rf "$W" && mkdir -p "$W" || exit 2
"$TH" --print-kv "$SET" >"$W/kv.txt" && "$H" put --store "dir:$W/store" --stdin <"$W/kv.txt" || { echo "FAIL setup"; exit 2; }
set --
for l in $("$TH" --print-locals "$SET"); do set -- "$@" --local "$l"; done

"$H" --store "dir:$W/store" --offline "$@" --hint-log "$W/hints.native" --exec "$NAT" >"$W/out.native" 2>"$W/err.native"
nrc=$?
"$VM" load-elf --type multithreaded64-5 --path "$ELF" --out "$W/state.bin.gz" --meta "$W/meta.json" >"$W/vm.log" 2>&1 \
  || { echo "FAIL load-elf"; tail -5 "$W/vm.log"; exit 1; }
"$VM" run --input "$W/state.bin.gz" --output "$W/out.bin.gz" --meta "$W/meta.json" --info-at never \
  --guest-stdout "$W/out.vm" --guest-stderr "$W/err.vm" \
  -- "$H" --server --store "dir:$W/store" --offline "$@" --hint-log "$W/hints.vm" >>"$W/vm.log" 2>&1 </dev/null \
  || { echo "FAIL fpvm run"; tail -5 "$W/vm.log"; exit 1; }
json=$("$VM" witness --input "$W/out.bin.gz" 2>>"$W/vm.log") || { echo "FAIL witness"; exit 1; }
vrc=$(printf '%s\n' "$json" | sed -n 's/.*"exitCode": *\([0-9]*\).*/\1/p')
fails=0
[ "$nrc" = "$vrc" ] && echo "ok   exit code $nrc both" || { echo "FAIL exit code native $nrc, vm $vrc"; cat "$W/err.native"; fails=1; }
[ -s "$W/hints.native" ] || [ ! -s "$W/hints.vm" ] || { echo "FAIL native sent no hints"; fails=1; }
cmp -s "$W/hints.native" "$W/hints.vm" && echo "ok   hint logs equal ($(wc -l <"$W/hints.native") hints)" \
  || { echo "FAIL hint logs differ"; diff "$W/hints.native" "$W/hints.vm" | head; fails=1; }
cmp -s "$W/out.native" "$W/out.vm" && echo "ok   stdout equal" || { echo "FAIL stdout differs"; fails=1; }
exit $fails
