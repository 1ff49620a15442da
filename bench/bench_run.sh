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

# timed OUT CMD...: runs CMD, writes "wall cpu" seconds (cpu = user+sys of CMD and its children) to OUT.
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$out.t" "$@" || true
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$out.t" >"$out"
}
field() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }

printf '\n%-8s %10s | %-27s | %-15s | %-17s | %s\n' "" "" "run_prog (libfpvm run loop)" "qemu-mips64" "fpvm run (CLI)" "VM/qemu ratio"
printf '%-8s %10s | %7s %7s %11s | %7s %7s | %7s %7s %3s | %5s %5s %5s\n' program Msteps wall_s cpu_s Minsn/cpu_s \
  wall_s cpu_s wall_s cpu_s ok wall cpu cli
status=0
for p in c_loop go_hash; do
  elf=$work/$p.elf
  timed "$work/$p.qt" env -i GODEBUG=memprofilerate=0 "$qemu" -0 op-program "$elf" </dev/null >"$work/$p.q.out" 2>&1
  timed "$work/$p.vt" "$run_prog" --stats "$work/$p.stats" "$elf" </dev/null >"$work/$p.v.out" 2>&1
  read -r qw qc <"$work/$p.qt"
  read -r vw vc <"$work/$p.vt"
  steps=$(field "$work/$p.stats" steps)
  cips=$(field "$work/$p.stats" cpu_ips)
  if ! cmp -s "$work/$p.q.out" "$work/$p.v.out"; then
    echo "bench_run: $p: VM output differs from qemu's" >&2
    status=1
  fi
  cw=- cc_=- cok=- cli=-
  if [ -x "$fpvm" ]; then
    "$fpvm" load-elf --type multithreaded64-5 --path "$elf" --out "$work/$p.state.bin.gz" --meta "" >/dev/null 2>&1
    timed "$work/$p.ct" "$fpvm" run --input "$work/$p.state.bin.gz" --output "$work/$p.out.bin.gz" --meta "" \
      --info-at never --guest-stdout "$work/$p.c.out" --guest-stderr "$work/$p.c.out" </dev/null >/dev/null 2>"$work/$p.c.log"
    read -r cw cc_ <"$work/$p.ct"
    cok=yes
    cmp -s "$work/$p.q.out" "$work/$p.c.out" || { cok=NO; status=1; }
    cli=$(ratio "$cc_" "$qc")
  fi
  printf '%-8s %10.1f | %7s %7s %11.1f | %7s %7s | %7s %7s %3s | %5s %5s %5s\n' "$p" \
    "$(awk -v s="$steps" 'BEGIN { print s / 1e6 }')" "$vw" "$vc" "$(awk -v s="$cips" 'BEGIN { print s / 1e6 }')" \
    "$qw" "$qc" "$cw" "$cc_" "$cok" "$(ratio "$vw" "$qw")" "$(ratio "$vc" "$qc")" "$cli"
done
echo
echo "Minsn/cpu_s = VM steps per CPU second of run_prog's run loop (file loading excluded). wall/cpu = whole"
echo "process; cpu = user+sys, the fair figure on a shared machine. Ratios: VM time / qemu time (run_prog wall,"
echo "run_prog cpu, fpvm run cpu). fpvm run includes reading the state file and writing the gzip final state."
exit $status
