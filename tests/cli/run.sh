#!/usr/bin/env bash
# CLI tests of `fpvm run` (Cannon's run): run.sh CASE FPVM RUN_MKSTATE RUN_HOST
# Each case builds hand-made states with run_mkstate and checks exit codes, files and log lines.
set -u
case_name=$1
FPVM=$2
MK=$3
HOST=$4
T=$(mktemp -d /tmp/fpvm-run-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

fails=0
fail() {
  echo "FAIL: $*" >&2
  fails=$((fails + 1))
}
# expect_rc WANT CMD... : run, keep stdout/stderr in out.txt/err.txt
expect_rc() {
  local want=$1
  shift
  "$@" >out.txt 2>err.txt
  local rc=$?
  if [ "$rc" != "$want" ]; then
    fail "exit $rc, want $want: $*"
    sed 's/^/  stderr: /' err.txt | head -20 >&2
  fi
}
has() { grep -qF -- "$2" "$1" || fail "$1 lacks: $2"; }
lacks() { ! grep -qF -- "$2" "$1" || fail "$1 has: $2"; }
witness_hash() { "$FPVM" witness --input "$1" | sed -n 's/.*"witnessHash": "\(0x[0-9a-f]*\)".*/\1/p'; }

"$MK" loop loop.bin || exit 1
"$MK" preimage pre.bin || exit 1
"$MK" panic panic.bin || exit 1

case $case_name in
basic)
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --output out.bin
  has err.txt 'level=INFO msg="no metadata file specified, defaulting to empty metadata" module=vm'
  has err.txt 'level=INFO msg="Loaded input state" module=vm version=multithreaded64-5'
  has err.txt 'level=INFO msg=processing module=vm step=0 pc=00010000 insn=3c080001 ips=0 pages=1 mem="4.0 KiB" name=!unknown'
  has err.txt 'level=INFO msg="" module=guest stream=stdout text="hello\n"'
  has err.txt 'level=INFO msg="Execution stopped" module=vm exited=true code=0'
  [ -s out.txt ] && fail "stdout not empty"
  "$FPVM" witness --input out.bin >w.json || fail "witness of the output"
  has w.json '"exited": true'
  has w.json '"step": 196619'
  # --guest-stdout takes the bytes instead of the log line; info-at every 50000 steps
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --output "" --guest-stdout g.txt --info-at %50000
  [ "$(cat g.txt)" = "hello" ] || fail "guest stdout file"
  lacks err.txt 'module=guest'
  [ "$(grep -c 'msg=processing' err.txt)" = 4 ] || fail "want 4 info lines (steps 0, 50000, 100000, 150000)"
  has err.txt 'msg=processing module=vm step=150000 pc='
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --output "" --guest-stdout - --info-at never
  [ "$(cat out.txt)" = "hello" ] || fail "guest stdout to fpvm stdout"
  lacks err.txt 'msg=processing'
  [ -e out.bin.gz ] && fail "default output written although --output was empty"
  # symbols from --meta name the pc; --debug prints Cannon's traceback header on stdout
  printf '{"symbols":[{"name":"main.count","start":65536,"size":64}]}\n' >meta.json
  expect_rc 0 "$FPVM" run --input loop.bin --output "" --debug
  has err.txt 'insn=3c080001 ips=0 pages=1 mem="4.0 KiB" name=main.count'
  has out.txt 'traceback at pc='
  # --debug tracks calls like Cannon: g returned, so only main's call of f is left
  "$MK" calls calls.bin || exit 1
  printf '{"symbols":[{"name":"main","start":65536,"size":16},{"name":"f","start":65552,"size":32},{"name":"g","start":65584,"size":8}]}\n' >cmeta.json
  expect_rc 0 "$FPVM" run --input calls.bin --meta cmeta.json --output "" --debug
  printf 'traceback at pc=10020. step=9\n\t0 10010 in f caller=00010000\n' >want.txt
  cmp -s want.txt out.txt || { fail "--debug traceback"; cat out.txt >&2; }
  # default --output is out.bin.gz
  expect_rc 0 "$FPVM" run --input loop.bin --meta ""
  [ -s out.bin.gz ] || fail "default output out.bin.gz"
  ;;
resume)
  # Straight run to step N vs. snapshot at K, then resume from the snapshot: same state, same proof.
  N=100003
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --info-at never --stop-at =$N --output straight.bin \
    --proof-at =$N --proof-fmt straight-%d.json --snapshot-at %30000 --snapshot-fmt snap-%d.bin.gz
  has err.txt 'level=INFO msg="Reached stop at" module=vm'
  has err.txt 'msg="Execution stopped" module=vm exited=false code=0'
  for k in 0 30000 60000 90000; do [ -s snap-$k.bin.gz ] || fail "snapshot $k missing"; done
  [ -e snap-120000.bin.gz ] && fail "snapshot past the stop"
  [ -e straight-$N.json ] && fail "proof at the stop step must not be written (stop is checked first)"
  # stop one later so the proof step runs
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --info-at never --stop-at =$((N + 1)) --output "" \
    --proof-at =$N --proof-fmt straight-%d.json
  expect_rc 0 "$FPVM" run --input snap-90000.bin.gz --meta "" --info-at never --stop-at =$N --output resumed.bin
  cmp -s straight.bin resumed.bin || fail "resumed state differs from the straight run"
  [ "$(witness_hash straight.bin)" = "$(witness_hash resumed.bin)" ] || fail "witness hash differs"
  expect_rc 0 "$FPVM" run --input snap-90000.bin.gz --meta "" --info-at never --stop-at =$((N + 1)) --output "" \
    --proof-at =$N --proof-fmt resumed-%d.json
  cmp -s straight-$N.json resumed-$N.json || fail "proof from the snapshot differs from the straight run's"
  # a snapshot taken at K holds the pre-step state of step K
  "$FPVM" witness --input snap-30000.bin.gz >w.json
  has w.json '"step": 30000'
  ;;
proof)
  N=777
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --info-at never --proof-at =$N --stop-at =$((N + 1)) \
    --proof-fmt p-%d.json --output post.bin
  [ -s p-$N.json ] || fail "proof file missing"
  has p-$N.json "\"step\": $N,"
  lacks p-$N.json 'oracle-'
  [ "$(tail -c 3 p-$N.json | od -An -c | tr -d ' ')" = '}\n\n' ] || fail "proof must end with }\\n\\n"
  post=$(sed -n 's/.*"post": "\(0x[0-9a-f]*\)".*/\1/p' p-$N.json)
  [ "$post" = "$(witness_hash post.bin)" ] || fail "proof post hash != hash of the state after the step"
  if "$FPVM" verify --help >/dev/null 2>&1; then
    expect_rc 0 "$FPVM" verify --proof p-$N.json
    has out.txt '"match": true'
  else
    fail "fpvm verify is not built"
  fi
  # gzip by name, and "-" writes to stdout
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --info-at never --proof-at =5 --stop-at =6 \
    --proof-fmt p-%d.json.gz --output ""
  [ "$(gzip -dc p-5.json.gz | head -c 1)" = "{" ] || fail "gzip proof"
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --info-at never --proof-at =5 --stop-at =6 \
    --proof-fmt - --output ""
  gzip -dc p-5.json.gz | cmp -s - out.txt || fail "proof on stdout differs from the file"
  # --proof-at %K writes one proof per matching step, named by Go's Sprintf
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --info-at never --proof-at %100 --stop-at =301 \
    --proof-fmt 'q-%06d.json' --output ""
  for k in 000000 000100 000200 000300; do [ -s q-$k.json ] || fail "proof q-$k.json missing"; done
  ;;
roundtrip)
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --info-at never --output full.bin
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --info-at never --stop-at =12345 --output half.bin.gz
  [ "$(gzip -dc half.bin.gz | head -c 1 | od -An -tu1 | tr -d ' ')" = 8 ] || fail "gzip output, version byte 8"
  expect_rc 0 "$FPVM" run --input half.bin.gz --meta "" --info-at never --output full2.bin
  cmp -s full.bin full2.bin || fail "two-leg run differs from the one-leg run"
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --info-at never --stop-at =12345 --output -
  gzip -dc half.bin.gz | cmp -s - out.txt || fail "--output - differs from the file"
  # an exited state runs zero steps and is written back unchanged
  expect_rc 0 "$FPVM" run --input full.bin --meta "" --output full3.bin
  cmp -s full.bin full3.bin || fail "exited state changed"
  ;;
errors)
  expect_rc 1 "$FPVM" run --meta ""
  has err.txt 'error: Required flag "input" not set'
  expect_rc 1 "$FPVM" run --input loop.bin --proof-at sometimes
  has err.txt 'error: invalid value "sometimes" for flag -proof-at: unrecognized step matcher: "sometimes"'
  expect_rc 1 "$FPVM" run --input loop.bin --stop-at =12x
  has err.txt 'failed to parse step number: strconv.ParseUint: parsing "12x": invalid syntax'
  expect_rc 1 "$FPVM" run --input loop.bin --snapshot-at %0
  expect_rc 1 "$FPVM" run --input loop.bin --meta "" --output out.json
  has err.txt 'error: invalid --output file format. Only binary file formats (ending in .bin or bin.gz) are supported'
  expect_rc 1 "$FPVM" run --input loop.bin --meta "" --snapshot-fmt 'snap-%d.json'
  has err.txt 'error: invalid --snapshot-fmt file format'
  expect_rc 1 "$FPVM" run --input loop.bin --meta "" --stop-at-preimage-type sha3
  has err.txt 'error: invalid preimage type "sha3"'
  expect_rc 1 "$FPVM" run --input loop.bin --meta "" --stop-at-preimage 0x02@x
  has err.txt 'error: invalid preimage offset'
  expect_rc 1 "$FPVM" run --input loop.bin --meta "" --stop-at-preimage 0x02@1@2@3
  expect_rc 1 "$FPVM" run --input loop.bin --meta "" --stop-at-preimage-larger-than big
  expect_rc 1 "$FPVM" run --input loop.bin
  has err.txt 'error: failed to load metadata: '
  expect_rc 1 "$FPVM" run --input missing.bin --meta ""
  has err.txt 'error: failed to load state: '
  expect_rc 1 "$FPVM" run --input state.json --meta ""
  has err.txt 'error: failed to load state: unsupported version: singlethreaded'
  expect_rc 1 "$FPVM" run --input loop.bin --debug --meta ""
  has err.txt 'error: cannot enable debug mode without a metadata file'
  printf 'not a state' >junk.bin
  expect_rc 1 "$FPVM" run --input junk.bin --meta ""
  expect_rc 1 "$FPVM" run --input loop.bin --meta "" --info-at never --stop-at =10 --output nodir/x.bin
  has err.txt 'error: failed to write state output: '
  expect_rc 1 "$FPVM" run --input loop.bin --meta "" -- ./no-such-host-program
  has err.txt 'error: failed to start pre-image oracle server: '
  expect_rc 0 "$FPVM" run --help
  has out.txt '--stop-at-preimage-larger-than'
  ;;
panic)
  # No host: Cannon's uncaught Go panic exits 2; with a host the panic is an error (exit 1).
  expect_rc 2 "$FPVM" run --input panic.bin --meta "" --output p.bin
  has err.txt 'error: failed at step 2 (PC: 00010008): '
  has err.txt 'invalid instruction'
  [ -e p.bin ] && fail "no output after a panic"
  expect_rc 1 "$FPVM" run --input panic.bin --meta "" --output p.bin -- "$HOST" serve
  has err.txt 'error: failed at step 2 (PC: 00010008): '
  # proof-gen step panics too
  expect_rc 2 "$FPVM" run --input panic.bin --meta "" --proof-at always --proof-fmt pp-%d.json
  has err.txt 'error: failed at proof-gen step 2 '
  [ -s pp-1.json ] || fail "proof of step 1 missing"
  [ -e pp-2.json ] && fail "proof of the panicking step written"
  # reading a preimage without a host is a VM panic
  expect_rc 2 "$FPVM" run --input pre.bin --meta ""
  has err.txt 'preimage read without a preimage oracle'
  ;;
host)
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --output post.bin --guest-stdout g.txt --debug-info dbg.json \
    -- "$HOST" serve
  [ "$(cat g.txt)" = "fpvm-run-test-preimage" ] || fail "guest did not print the preimage"
  has out.txt 'level=INFO msg="" module=host text="host: ready\n"'
  has err.txt 'level=INFO msg="" module=host text="hint: hello\n"'
  has err.txt 'msg="Execution stopped" module=vm exited=true code=0'
  lacks err.txt 'failed to close pre-image server'
  has dbg.json '"num_preimage_requests": 1,'
  has dbg.json '"total_preimage_size": 23,'
  has dbg.json '"pages": 1,'
  has dbg.json '"memory_used": "0x1000",'
  [ "$(head -c 12 dbg.json)" = '{
  "pages":' ] || fail "debug info layout"
  # a proof at every step; the preimage-reading steps carry the oracle fields and all of them verify
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --info-at never --proof-at always --proof-fmt pr-%d.json \
    --output "" -- "$HOST" serve
  n=$(ls pr-*.json | wc -l)
  [ "$n" -gt 50 ] || fail "want a proof per step, got $n"
  no=$(grep -l '"oracle-key"' pr-*.json | wc -l)
  [ "$no" = 4 ] || fail "want 4 proofs with oracle fields (4 reads), got $no"
  grep -q '"oracle-offset": 8$' pr-*.json || fail "an oracle-offset 8 line"
  # verify the oracle steps and every 7th other one (keeps the sanitizer build quick)
  for f in $(grep -l '"oracle-key"' pr-*.json) $(ls pr-*.json | awk 'NR % 7 == 1'); do
    "$FPVM" verify --proof "$f" >v.txt 2>&1 || { fail "verify $f"; sed 's/^/  /' v.txt >&2; break; }
  done
  # host given without "--" (Cannon takes all positional arguments then)
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --output "" --guest-stdout g2.txt "$HOST" serve
  [ "$(cat g2.txt)" = "fpvm-run-test-preimage" ] || fail "host without --"
  ;;
challenger)
  # op-challenger's argument list (cannon.md §7): gz proofs and snapshots in existing directories
  mkdir -p d/proofs d/snapshots
  E=50000
  expect_rc 0 "$FPVM" run --input loop.bin --output d/final.bin.gz --meta "" --info-at %20000 --proof-at =$E \
    --proof-fmt d/proofs/%d.json.gz --snapshot-at %20000 --snapshot-fmt d/snapshots/%d.bin.gz --stop-at =$((E + 1)) \
    --debug-info d/debug.json -- "$HOST" serve
  [ -s d/proofs/$E.json.gz ] || fail "proof $E"
  for k in 0 20000 40000; do [ -s d/snapshots/$k.bin.gz ] || fail "snapshot $k"; done
  [ "$(ls d/snapshots | wc -l)" = 3 ] || fail "want exactly 3 snapshots"
  has d/debug.json '"total_steps": 50001,'
  "$FPVM" witness --input d/final.bin.gz >w.json
  has w.json '"step": 50001'
  if "$FPVM" verify --help >/dev/null 2>&1; then
    expect_rc 0 "$FPVM" verify --proof d/proofs/$E.json.gz
  fi
  # the prestate builder: proof of step 0, stop at 1, no output
  expect_rc 0 "$FPVM" run --input loop.bin --meta "" --proof-at =0 --stop-at =1 --output ""
  has proof-0.json '"step": 0,'
  has proof-0.json '"pre": "0x03'
  ;;
interrupt)
  # SIGINT during a long run: Cannon prints "command interrupted" and exits 130
  "$MK" bench long.bin 1 32000 || exit 1
  "$FPVM" run --input long.bin --meta "" --info-at never --output int.bin >out.txt 2>err.txt &
  pid=$!
  for _ in $(seq 100); do grep -q 'Loaded input state' err.txt 2>/dev/null && break; sleep 0.1; done
  sleep 0.3
  kill -INT $pid
  wait $pid
  rc=$?
  [ "$rc" = 130 ] || fail "exit $rc after SIGINT, want 130"
  has err.txt 'command interrupted'
  [ -e int.bin ] && fail "no output after an interrupt"
  ;;
hostdie)
  # The host exits while the VM waits for a preimage: clear error, no hang.
  expect_rc 1 "$FPVM" run --input pre.bin --meta "" --output "" -- "$HOST" die
  has err.txt 'pre-image server exited with code 3'
  has err.txt 'level=ERROR msg="failed to close pre-image server" module=vm err="exit status 3"'
  has err.txt 'error: failed at step '
  ;;
preimage_stop)
  # The four reads are at offsets 0, 8, 16, 24 of (u64 len ‖ 23 bytes).
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --info-at never --stop-at-preimage-type any --output s1.bin \
    -- "$HOST" serve
  has err.txt 'level=INFO msg="Stopping at preimage read" module=vm'
  s1=$("$FPVM" witness --input s1.bin | sed -n 's/.*"step": \([0-9]*\).*/\1/p')
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --info-at never --stop-at-preimage 0x01abab@16 --output s2.bin \
    -- "$HOST" serve
  has err.txt 'msg="Stopping at preimage read" module=vm keyPrefix=01abab offset=16 step='
  s2=$("$FPVM" witness --input s2.bin | sed -n 's/.*"step": \([0-9]*\).*/\1/p')
  [ "$s2" -gt "$s1" ] || fail "offset-16 stop ($s2) must come after the first read ($s1)"
  # min step: the offset-16 read at step s2-1 is skipped when minStep is past it -> runs to the end
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --info-at never --stop-at-preimage "01abab@16@$s2" --output s3.bin \
    -- "$HOST" serve
  lacks err.txt 'Stopping at preimage read'
  has err.txt 'exited=true'
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --info-at never --stop-at-preimage "01abab@16@$((s2 - 1))" \
    --output s4.bin -- "$HOST" serve
  cmp -s s2.bin s4.bin || fail "minStep = the read's step must stop there"
  # wrong key prefix never stops; type local (0x01) stops at the first read
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --info-at never --stop-at-preimage 0x02 --output "" -- "$HOST" serve
  lacks err.txt 'Stopping at preimage read'
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --info-at never --stop-at-preimage-type local --output s5.bin \
    -- "$HOST" serve
  cmp -s s1.bin s5.bin || fail "type local must stop at the first read"
  # size: 8 + 23 = 31 bytes
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --info-at never --stop-at-preimage-larger-than 30 --output s6.bin \
    -- "$HOST" serve
  has err.txt 'msg="Stopping at preimage read" module=vm size=31 min=30'
  cmp -s s1.bin s6.bin || fail "larger-than 30 must stop at the first read"
  expect_rc 0 "$FPVM" run --input pre.bin --meta "" --info-at never --stop-at-preimage-larger-than 31 --output "" \
    -- "$HOST" serve
  lacks err.txt 'Stopping at preimage read'
  ;;
*)
  echo "unknown case $case_name" >&2
  exit 2
  ;;
esac

if [ "$fails" != 0 ]; then
  echo "$case_name: $fails failure(s)" >&2
  exit 1
fi
echo "$case_name: ok"
