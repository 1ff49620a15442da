#!/bin/bash
# bench_examples.sh BUILD_DIR: per example (its `good` input set) — VM steps and wall time through
# `fpvm run -- fphost --server`, native and qemu-mips64 wall times, and binary sizes.
# `cmake --build BUILD_DIR --target bench_examples`. vm_wall_s is the whole `fpvm run`, which includes
# the host's start and Cannon's shutdown grace (about 1 s, idle); cpu_s is the user+sys time of fpvm run
# and its host, and steps_per_s = steps / (cpu_s - the cpu_s of an empty program run the same way).
set -u
B=${1:?usage: bench_examples.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
th=$B/tests/sdk/fpp_testhost fphost=$B/bin/fphost fpvm=$B/bin/fpvm
for t in "$th" "$fphost" "$fpvm"; do
  [ -x "$t" ] || { echo "bench_examples: error: $t not built" >&2; exit 1; }
done
work=$(mktemp -d /tmp/fpkit-bench-examples.XXXXXX)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
sz() { stat -c %s "$1"; }
text() { mips64-linux-gnuabi64-size -A "$1" 2>/dev/null | awk '$1 == ".text" { print $2 }'; }

# The fixed cost: an empty program through the same path.
printf '#include "fpkit/fpp.h"\nint main(void) { return 0; }\n' >"$work/empty.c"
"$root/sdk/fpkit-cc" --target mips64 -o "$work/empty.elf" "$work/empty.c" || exit 1
printf '# nothing\n' >"$work/empty.txt"
read -r bwall base < <("$root/tests/sdk/run_example.sh" vm "$th" "$fphost" "$work/empty-vm" "$work/empty.txt" \
  "$work/empty.elf" "$fpvm" 2>&1 >/dev/null | sed -n 's/^run_example: steps=[0-9]* wall=\([0-9.]*\) cpu=\([0-9.]*\) .*/\1 \2/p')
echo "# fixed cost of fpvm run + fphost --server (empty program): wall ${bwall}s, cpu ${base}s"
printf '%-22s %10s %9s %7s %11s %9s %9s %10s %10s %11s\n' example steps vm_wall_s cpu_s steps_per_s native_s qemu_s \
  elf_bytes text_bytes native_bytes
# A longer run than the bundled sets, so the VM's own speed shows above the fixed cost.
"$B/examples/sha256-chain-gen-inputs" 100 4000 >"$work/chain100.txt" || exit 1
for row in claim merkle-inclusion sha256-chain sha256-chain:chain100; do
  ex=${row%%:*}
  set=$root/examples/$ex/inputs/good.txt elf=$B/examples/$ex.mips64.elf nat=$B/examples/$ex.native
  [ "$row" != "$ex" ] && set=$work/${row#*:}.txt && ex=$ex-${row#*:}
  line=$("$root/tests/sdk/run_example.sh" vm "$th" "$fphost" "$work/$ex-vm" "$set" "$elf" "$fpvm" 2>&1 >/dev/null |
    sed -n 's/^run_example: steps=\([0-9]*\) wall=\([0-9.]*\) cpu=\([0-9.]*\) exit=\([0-9]*\)$/\1 \2 \3 \4/p')
  read -r steps wall cpu code <<<"$line"
  [ "${code:-}" = 0 ] || { echo "bench_examples: error: $ex did not exit 0 in the VM" >&2; exit 1; }
  t0=$(now); "$th" "$set" -- "$nat" >/dev/null 2>&1; t1=$(now)
  "$th" "$set" -- qemu-mips64 "$elf" >/dev/null 2>&1; t2=$(now)
  # steps/s only when the run's own CPU time stands clear of the fixed cost's noise
  sps=$(awk "BEGIN{r = $cpu - $base; if (r < 0.05) print \"-\"; else printf \"%.0f\", $steps / r}")
  printf '%-22s %10s %9s %7s %11s %9.3f %9.3f %10s %10s %11s\n' "$ex" "$steps" "$wall" "$cpu" "$sps" "$(awk "BEGIN{print $t1 - $t0}")" "$(awk "BEGIN{print $t2 - $t1}")" \
    "$(sz "$elf")" "$(text "$elf")" "$(sz "$nat")"
done
