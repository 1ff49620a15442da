#!/bin/bash
# run_example.sh: run an SDK program on a bundled input set with the real tools, as a user would.
#   run_example.sh native TESTHOST FPHOST WORK SET.txt PROG.native
#       fphost --exec PROG (offline; store = the set's preimages, --local for its local keys)
#   run_example.sh vm TESTHOST FPHOST WORK SET.txt PROG.mips64.elf FPVM
#       fpvm load-elf, then fpvm run -- fphost --server (same store and locals); the exit code is the
#       guest's, read back with fpvm witness
# Exit: the program's exit code (its verdict), or 125 when the host or the VM failed (a missing
# preimage ends the offline host, which is not a verdict), 126 on set-up errors.
# vm mode with PROOF_AT=<pattern> in the environment: also writes step proofs (fpvm run --proof-at) and
# checks each with `fpvm verify`; a proof that does not verify gives 123. With STOP_AT=<pattern> too, the
# run stops there (fpvm run --stop-at) and the script exits 0 once the proofs verify. MIN_ORACLE_PROOFS=n
# requires at least n of the proofs to carry preimage data (proofs of preimage-read steps).
# PREIMAGE_PROOF_TYPE=local|keccak|sha256: first finds the step of the first preimage read of that type
# (fpvm run --stop-at-preimage-type), then proves exactly that step (PROOF_AT/STOP_AT are set from it).
set -u
mode=$1 testhost=$2 fphost=$3 work=$4 set=$5 prog=$6 fpvm=${7:-}
rm -rf "$work" && mkdir -p "$work" || exit 126
"$testhost" --print-kv "$set" >"$work/kv.txt" || exit 126
"$fphost" put --store "dir:$work/store" --stdin <"$work/kv.txt" || exit 126
locals=()
while IFS= read -r l; do locals+=(--local "$l"); done < <("$testhost" --print-locals "$set")
host=(--store "dir:$work/store" --offline "${locals[@]}")

if [ "$mode" = native ]; then
  "$fphost" "${host[@]}" --exec "$prog" 2>"$work/host.err"
  rc=$?
  cat "$work/host.err" >&2
  if grep -q '^fphost: error' "$work/host.err"; then exit 125; fi
  exit $rc
fi

"$fpvm" load-elf --type multithreaded64-5 --path "$prog" --out "$work/state.bin.gz" --meta "$work/meta.json" \
  >"$work/fpvm.log" 2>&1 || { tail -n 5 "$work/fpvm.log" >&2; exit 126; }
if [ -n "${PREIMAGE_PROOF_TYPE:-}" ]; then
  "$fpvm" run --input "$work/state.bin.gz" --output "" --meta "$work/meta.json" --info-at never \
    --stop-at-preimage-type "$PREIMAGE_PROOF_TYPE" --guest-stdout /dev/null --guest-stderr /dev/null \
    -- "$fphost" --server "${host[@]}" >"$work/find.log" 2>&1 </dev/null
  s=$(sed -n 's/.*Stopping at preimage read.* step=\([0-9]*\).*/\1/p' "$work/find.log" | head -n 1)
  [ -n "$s" ] || { echo "run_example: no $PREIMAGE_PROOF_TYPE preimage read found" >&2; tail -n 3 "$work/find.log" >&2; exit 123; }
  PROOF_AT="=$s" STOP_AT="=$((s + 1))"
  MIN_ORACLE_PROOFS=${MIN_ORACLE_PROOFS:-1}
fi
proof=()
[ -n "${PROOF_AT:-}" ] && proof=(--proof-at "$PROOF_AT" --proof-fmt "$work/proof-%d.json")
[ -n "${STOP_AT:-}" ] && proof+=(--stop-at "$STOP_AT")
start=$(date +%s.%N)
TIMEFORMAT='%U %S'
{ time "$fpvm" run --input "$work/state.bin.gz" --output "$work/out.bin.gz" --meta "$work/meta.json" --info-at never \
  ${proof[@]+"${proof[@]}"} \
  --guest-stdout "$work/guest.out" --guest-stderr "$work/guest.err" -- "$fphost" --server "${host[@]}" \
  >>"$work/fpvm.log" 2>&1 </dev/null; } 2>"$work/time.txt"
rc=$?
end=$(date +%s.%N)
cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$work/time.txt")
cat "$work/guest.out" "$work/guest.err" 2>/dev/null
if [ $rc != 0 ]; then
  echo "run_example: fpvm run exited $rc" >&2
  tail -n 5 "$work/fpvm.log" >&2
  exit 125
fi
json=$("$fpvm" witness --input "$work/out.bin.gz" 2>>"$work/fpvm.log") || exit 126
exited=$(printf '%s\n' "$json" | sed -n 's/.*"exited": *\([a-z]*\).*/\1/p')
code=$(printf '%s\n' "$json" | sed -n 's/.*"exitCode": *\([0-9]*\).*/\1/p')
step=$(printf '%s\n' "$json" | sed -n 's/.*"step": *\([0-9]*\).*/\1/p')
echo "run_example: steps=$step wall=$(awk "BEGIN{printf \"%.3f\", $end - $start}") cpu=$cpu exit=$code" >&2
[ -n "${STOP_AT:-}" ] || [ "$exited" = true ] && [ -n "$code" ] || { echo "run_example: guest did not exit" >&2; exit 124; }
if [ -n "${PROOF_AT:-}" ]; then
  n=0
  for p in "$work"/proof-*.json; do
    [ -f "$p" ] || continue
    n=$((n + 1))
    "$fpvm" verify --proof "$p" >>"$work/verify.log" 2>&1 || { echo "run_example: $p does not verify" >&2; exit 123; }
  done
  k=$(cat /dev/null "$work"/proof-*.json 2>/dev/null | grep -c '"oracle-key"')
  echo "run_example: $n proofs verified, $k with preimage data" >&2
  [ $n -gt 0 ] || { echo "run_example: no proofs written" >&2; exit 123; }
  [ "$k" -ge "${MIN_ORACLE_PROOFS:-0}" ] || { echo "run_example: too few preimage-read proofs" >&2; exit 123; }
  [ -z "${STOP_AT:-}" ] || exit 0
fi
exit "$code"
