#!/usr/bin/env bash
# CLI tests for `fpvm witness` and `fpvm load-elf`: Cannon's output format, exit codes and one-line
# errors. Usage: cli_state.sh <fpvm> <vectors dir> <scratch dir> [mips64 guest ELF]
set -u
FPVM=$1 VEC=$2 TMP=$3 GUEST=${4:-}
rm -rf "$TMP" && mkdir -p "$TMP" || exit 1
umask 022
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect_err <name> <substring> <fpvm args...>: exit 1, nothing on stdout, one stderr line "error: ...<substring>..."
expect_err() {
  local name=$1 want=$2
  shift 2
  "$FPVM" "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  [ "$rc" -eq 1 ] || fail "$name: exit $rc, want 1"
  [ -s "$TMP/out" ] && fail "$name: unexpected stdout: $(head -c 200 "$TMP/out")"
  [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "$name: stderr is not one line: $(cat "$TMP/err")"
  grep -q '^error: ' "$TMP/err" || fail "$name: stderr does not start with 'error: ': $(cat "$TMP/err")"
  grep -qF -- "$want" "$TMP/err" || fail "$name: stderr lacks '$want': $(cat "$TMP/err")"
}

FIX="$VEC/cannon-empty-state-v8.bin.gz"
W4="14af5385bcbb1e4738bbae8106046e6e2fca42875aa5c000c582587742bcc748$(printf '%0168d' 0)505ea3064aed44444fa938e2d1385d799ec3b37386d433a611439aed796ea153ad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb50000000000000001"
printf '{\n  "stateVersion": 8,\n  "witnessHash": "0x035b096e17d7b97f6bbaa13d179958e729b70813e931dc90dbf4193372f3dc71",\n  "witness": "0x%s",\n  "step": 0,\n  "exited": false,\n  "exitCode": 0\n}\n\n' "$W4" >"$TMP/want.json"

# --- witness
for form in "--input $FIX" "--input=$FIX" "-input $FIX" "-input=$FIX"; do
  # shellcheck disable=SC2086
  "$FPVM" witness $form >"$TMP/got.json" 2>"$TMP/err" || fail "witness $form: exit $?"
  cmp -s "$TMP/got.json" "$TMP/want.json" || fail "witness $form: output differs: $(cat "$TMP/got.json")"
  [ -s "$TMP/err" ] && fail "witness $form: stderr not empty: $(cat "$TMP/err")"
done
"$FPVM" witness --input "$FIX" --output "$TMP/w.bin" >/dev/null || fail "witness --output: exit $?"
[ "$(wc -c <"$TMP/w.bin")" -eq 188 ] || fail "witness --output: size $(wc -c <"$TMP/w.bin")"
[ "$(stat -c %a "$TMP/w.bin")" = 755 ] || fail "witness --output: mode $(stat -c %a "$TMP/w.bin")"
[ "$(od -An -v -tx1 "$TMP/w.bin" | tr -d ' \n')" = "$W4" ] || fail "witness --output: bytes differ"
"$FPVM" witness --help >/dev/null 2>&1 || fail "witness --help: exit $?"

expect_err "witness without --input" 'Required flag "input" not set' witness
expect_err "witness missing file" "$TMP/none.bin.gz" witness --input "$TMP/none.bin.gz"
expect_err "witness unknown flag" "flag provided but not defined: -bogus" witness --bogus 1 --input "$FIX"
expect_err "witness flag without value" "flag needs an argument: -input" witness --input
expect_err "witness json name" "invalid input state" witness --input "$TMP/state.json"

gzip -dc "$FIX" >"$TMP/empty.bin" || fail "gzip -dc fixture"
[ "$(wc -c <"$TMP/empty.bin")" -eq 419 ] || fail "fixture is not 419 bytes"
"$FPVM" witness --input "$TMP/empty.bin" >"$TMP/got.json" || fail "witness plain .bin: exit $?"
cmp -s "$TMP/got.json" "$TMP/want.json" || fail "witness plain .bin: output differs"
corrupt() { # corrupt <offset> <byte value (octal)> <out>
  cp "$TMP/empty.bin" "$3" && printf "\\$2" | dd of="$3" bs=1 seek="$1" conv=notrunc status=none
}
corrupt 92 002 "$TMP/tr.bin"
expect_err "traverseRight=2" "field traverseRight: value 2 is not 0 or 1" witness --input "$TMP/tr.bin"
corrupt 75 002 "$TMP/ex.bin"
gzip -c "$TMP/ex.bin" >"$TMP/ex.bin.gz"
expect_err "exited=2 (gzip)" "ex.bin.gz: field exited: value 2 is not 0 or 1" witness --input "$TMP/ex.bin.gz"
corrupt 0 007 "$TMP/v7.bin"
expect_err "version 7" "field version" witness --input "$TMP/v7.bin"
head -c 300 "$TMP/empty.bin" >"$TMP/short.bin"
expect_err "truncated" "truncated" witness --input "$TMP/short.bin"
head -c $(( $(wc -c <"$FIX") - 6 )) "$FIX" >"$TMP/short.bin.gz"
expect_err "truncated gzip" "short.bin.gz" witness --input "$TMP/short.bin.gz"

# --- load-elf
expect_err "load-elf without flags" 'Required flags "type", "path" not set' load-elf
expect_err "load-elf not an ELF" "failed to open ELF file" load-elf --type multithreaded64-5 --path "$FIX"
expect_err "load-elf missing ELF" "failed to open ELF file" load-elf --type multithreaded64-5 --path "$TMP/none.elf"
expect_err "load-elf json out" "unsupported state file name" load-elf --type multithreaded64-5 --path "$FIX" --out "$TMP/s.json"

if [ -n "$GUEST" ]; then
  expect_err "load-elf bad type" 'unknown state version "mt"' load-elf --type mt --path "$GUEST"
  expect_err "load-elf old type" "unsupported state version: 7 (multithreaded64-4)" load-elf --type multithreaded64-4 --path "$GUEST"
  (cd "$TMP" && "$FPVM" load-elf --type multithreaded64-5 --path "$GUEST") || fail "load-elf defaults: exit $?"
  [ -s "$TMP/state.bin.gz" ] && [ -s "$TMP/meta.json" ] || fail "load-elf defaults: state.bin.gz/meta.json missing"
  grep -q '"name": "_start",' "$TMP/meta.json" || fail "meta.json lacks _start"
  head -c 17 "$TMP/meta.json" | cmp -s - <(printf '{\n  "symbols": [\n') || fail "meta.json layout"
  "$FPVM" load-elf --type multithreaded64-5 --path "$GUEST" --out "$TMP/s2.bin" --meta "" || fail "load-elf .bin: exit $?"
  gzip -dc "$TMP/state.bin.gz" | cmp -s - "$TMP/s2.bin" || fail "state.bin.gz and s2.bin differ"
  "$FPVM" load-elf --type=multithreaded64-5 --path="$GUEST" --out - --meta "" >"$TMP/s3.bin" || fail "load-elf --out -"
  cmp -s "$TMP/s2.bin" "$TMP/s3.bin" || fail "--out - differs from file output"
  rm -f "$TMP/state.bin.gz" "$TMP/meta.json"
  (cd "$TMP" && "$FPVM" load-elf --type multithreaded64-5 --path "$GUEST" --out "" --meta "") || fail "load-elf no outputs"
  [ -e "$TMP/state.bin.gz" ] || [ -e "$TMP/meta.json" ] && fail "--out \"\" --meta \"\" wrote files"
  "$FPVM" witness --input "$TMP/s2.bin" >"$TMP/g.json" || fail "witness of loaded state: exit $?"
  grep -q '"witnessHash": "0x03' "$TMP/g.json" || fail "loaded state is not unfinished: $(cat "$TMP/g.json")"
  ls "$TMP" | grep -q tmp && fail "temp files left behind: $(ls "$TMP")"
else
  echo "note: no MIPS64 guest ELF; load-elf success paths not exercised here (tests/fpvm covers them)" >&2
fi

[ "$fails" -eq 0 ] && echo "cli_state: all passed" && rm -rf "$TMP"
exit $((fails > 0))
