#!/bin/sh
# Store tools: put/get, import/export between every kind (directory trees compared file by file), bad hex.
set -u
H=$1
T=$(mktemp -d /tmp/fph_cli.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails+1)); }

"$H" import --from synth:700:33 --to dir:"$T/a" >/dev/null 2>&1 || bad "import synth"
"$H" export --from dir:"$T/a" --to lmdb:"$T/l" --batch 64 >/dev/null 2>&1 || bad "dir -> lmdb"
"$H" export --from lmdb:"$T/l" --to file:"$T/f" >/dev/null 2>&1 || bad "lmdb -> file"
"$H" import --from file:"$T/f" --to dir:"$T/b" >/dev/null 2>&1 || bad "file -> dir"
diff -r "$T/a" "$T/b" >/dev/null && ok "dir -> lmdb -> file -> dir is byte-identical" || bad "round trip differs"
[ "$(ls "$T/f" | wc -l)" = 701 ] && ok "file layout: 700 entries + kvformat" || bad "file layout count"
[ "$(find "$T/a" -name '*.txt' | wc -l)" = 700 ] && ok "dir layout: 700 entry files" || bad "dir layout count"
"$H" diff --from lmdb:"$T/l" --to dir:"$T/b" | grep -q "^700 entries match" && ok "diff lmdb vs dir" || bad "diff"
"$H" diff --from disk:"$T/f" --to dir:"$T/a" >/dev/null && ok "disk: follows kvformat" || bad "disk:"

K=$("$H" put --store dir:"$T/a" --keccak 0xc0ffee)
"$H" get --store dir:"$T/a" "$K" | grep -qx 0xc0ffee && ok "put --keccak / get" || bad "put/get"
printf '%s 0xc0ffee\n\n%s 0x00\n' "$K" "$("$H" put --store mem --keccak 0x00)" | "$H" put --store lmdb:"$T/l" --stdin \
  && ok "put --stdin" || bad "put --stdin"
printf '%s 0xc0ffef\n' "$K" | "$H" put --store lmdb:"$T/l" --stdin 2>"$T/err"
[ $? = 1 ] && grep -q "^fphost: error: put: stdin line 1: preimage key" "$T/err" && ok "put --stdin verifies" || bad "put --stdin verifies"
"$H" put --store dir:"$T/a" "$K" 0xc0ffef 2>"$T/err"; [ $? = 1 ] && ok "put verifies" || bad "put verifies"
"$H" put --store dir:"$T/a" 0x0100000000000000000000000000000000000000000000000000000000000001 0x00 2>/dev/null \
  && bad "local key put refused" || ok "local key put refused"

# Corrupt one entry file: get and export fail loudly, never hand out the bytes.
HEX=${K#0x}; F="$T/a/$(echo $HEX | cut -c1-4)/$(echo $HEX | cut -c5-).txt"
[ -f "$F" ] && ok "entry at <hex[0:4]>/<hex[4:]>.txt" || bad "entry path"
printf 'c0ffeg' >"$F"
"$H" get --store dir:"$T/a" "$K" >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 1 ] && [ ! -s "$T/out" ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^fphost: error: get: .*not hex" "$T/err" \
  && ok "bad hex: one error line, exit 1" || { bad "bad hex ($rc)"; cat "$T/err"; }
"$H" export --from dir:"$T/a" --to mem >/dev/null 2>&1 && bad "export of corrupt store fails" || ok "export of corrupt store fails"
printf 'c0ffef' >"$F"
"$H" get --store dir:"$T/a" "$K" 2>"$T/err" && bad "wrong value refused" || { grep -q "does not hash" "$T/err" && ok "wrong value refused" || bad "wrong value msg"; }
"$H" get --store bogus:x "$K" 2>/dev/null; [ $? = 1 ] && ok "bad spec" || bad "bad spec"
[ $fails = 0 ] && echo "all ok" || echo "$fails failures"
exit $fails
