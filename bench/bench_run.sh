#!/bin/bash
# bench_run.sh: guest run speed of fpkit's MIPS64 VM against qemu-mips64 on compute-heavy guests.
#
#   bench/bench_run.sh [BUILD_DIR]          (default: ./build; needs run_prog, optionally bin/fpvm)
#   env: BENCH_LOOP_ITERS (C loop, default 4000000 ~ 180M steps), BENCH_HASH_ROUNDS (Go keccak+sha256,
#        default 60 ~ 190M steps), BENCH_WORK (scratch dir, default BUILD_DIR/bench_run)
#
# Builds the guests from tests/progs (cross gcc / Go, same flags as the tests), runs each under qemu-mips64
# and under run_prog (libfpvm's run loop, no proofs) and, if present, `fpvm run` (load-elf state in, final
# state out, as Cannon users run it). Reports steps, wall seconds, VM instructions/s (steps / run-loop
# seconds, as run_prog measures around fpvm_mips64_run) and the wall-time ratio VM / qemu. Outputs of
# both sides are compared, so a fast wrong run does not count. Never run by CTest.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-$root/build}
build=$(cd "$build" && pwd)
work=${BENCH_WORK:-$build/bench_run}
iters=${BENCH_LOOP_ITERS:-4000000}
rounds=${BENCH_HASH_ROUNDS:-60}
progs=$root/tests/progs
run_prog=$build/tests/progs/run_prog
fpvm=$build/bin/fpvm
cc=${MIPS64_CC:-mips64-linux-gnuabi64-gcc}
qemu=${QEMU_MIPS64:-qemu-mips64}

for t in "$cc" "$qemu" go; do
  command -v "$t" >/dev/null || { echo "bench_run: error: $t not found" >&2; exit 1; }
done
[ -x "$run_prog" ] || { echo "bench_run: error: $run_prog not built (cmake --build $build --target run_prog)" >&2; exit 1; }
mkdir -p "$work"

echo "bench_run: building guests in $work (loop iters $iters, hash rounds $rounds)"
"$cc" -march=mips64 -mno-imadd -mno-check-zero-division -msoft-float -mno-abicalls -fno-pic -static -nostdlib \
  -nostartfiles -O2 -ffreestanding -mno-branch-likely -fno-tree-loop-distribute-patterns -I"$progs/guest" \
  -DLOOP_ITERS="$iters" -o "$work/c_loop.elf" "$progs/guest/start.S" "$progs/guest/rt.c" "$progs/c/loop.c"
(cd "$progs/go" && env GOOS=linux GOARCH=mips64 GOMIPS64=softfloat CGO_ENABLED=0 GO111MODULE=on GOFLAGS=-mod=mod \
  GOPROXY=off GOTOOLCHAIN=local GOWORK=off GOCACHE="$work/gocache" GOPATH="$work/gopath" \
  go build -trimpath -ldflags "-X main.rounds=$rounds" -o "$work/go_hash.elf" ./hash)

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

printf '\n%-10s %12s %9s %14s %9s %10s %9s %10s\n' program steps vm_s vm_insn/s qemu_s vm/qemu cli_s cli/qemu
status=0
for p in c_loop go_hash; do
  elf=$work/$p.elf
  t0=$(now)
  env -i GODEBUG=memprofilerate=0 "$qemu" -0 op-program "$elf" </dev/null >"$work/$p.q.out" 2>&1 || true
  t1=$(now)
  qs=$(secs "$t0" "$t1")

  t0=$(now)
  "$run_prog" --stats "$work/$p.stats" "$elf" </dev/null >"$work/$p.v.out" 2>&1 || true
  t1=$(now)
  vs=$(secs "$t0" "$t1")
  steps=$(awk '$1 == "steps" { print $2 }' "$work/$p.stats")
  ips=$(awk '$1 == "ips" { printf "%.0f", $2 }' "$work/$p.stats")
  if ! cmp -s "$work/$p.q.out" "$work/$p.v.out"; then
    echo "bench_run: $p: VM output differs from qemu's" >&2
    status=1
  fi

  cs=- cratio=-
  if [ -x "$fpvm" ]; then
    "$fpvm" load-elf --type multithreaded64-5 --path "$elf" --out "$work/$p.state.bin.gz" --meta "" >/dev/null 2>&1
    t0=$(now)
    "$fpvm" run --input "$work/$p.state.bin.gz" --output "$work/$p.out.bin.gz" --meta "" --info-at never \
      --guest-stdout "$work/$p.c.out" --guest-stderr "$work/$p.c.out" </dev/null >/dev/null 2>"$work/$p.c.log" || status=1
    t1=$(now)
    cs=$(secs "$t0" "$t1")
    cratio=$(awk -v a="$cs" -v b="$qs" 'BEGIN { printf "%.1f", a / b }')
  fi
  ratio=$(awk -v a="$vs" -v b="$qs" 'BEGIN { printf "%.1f", a / b }')
  printf '%-10s %12s %9s %14s %9s %10s %9s %10s\n' "$p" "$steps" "$vs" "$ips" "$qs" "$ratio" "$cs" "$cratio"
done
echo
echo "vm_insn/s = VM steps / run-loop seconds (run_prog); *_s = wall seconds incl. start-up; cli = fpvm run"
echo "(state file in, gzip state out); ratios are wall time VM / qemu-mips64 (qemu translates to host code)."
exit $status
