#!/bin/sh
# Four fphost --server processes serving from one LMDB store at once (each also writing its own prefetched
# pair); every client gets the right bytes.
set -u
H=$1; C=$2
T=$(mktemp -d /tmp/fph_shared.XXXXXX); trap 'rm -rf "$T"' EXIT
"$H" import --from synth:4000:100 --to lmdb:"$T/l" >/dev/null 2>&1 || { echo "FAIL import"; exit 1; }
for i in 1 2 3 4; do
  V=0x770$i
  K=$("$H" put --store mem --keccak $V)
  "$C" "synth:0:4000:100" "hint:w 0x0$i" "get:$K=$V" "synth:0:4000:100" \
    --spawn-host "$H" --server --store lmdb:"$T/l" --prefetch "w=echo $K $V" >"$T/out$i" 2>&1 &
  eval p$i=$!
done
fails=0
for i in 1 2 3 4; do
  eval wait \$p$i; rc=$?
  if [ $rc = 0 ] && grep -q "host exit 0" "$T/out$i"; then echo "ok   client $i"; else echo "FAIL client $i ($rc)"; cat "$T/out$i"; fails=$((fails+1)); fi
done
n=$("$H" count --store lmdb:"$T/l")
[ "$n" = 4004 ] && echo "ok   4004 entries" || { echo "FAIL count $n"; fails=$((fails+1)); }
exit $fails
