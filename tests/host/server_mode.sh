#!/bin/sh
# fphost --server on fds 3..6 as a VM starts it (the test client plays the VM), clean exit codes,
# and clean shutdown on SIGTERM with the store closed.
set -u
H=$1; C=$2
T=$(mktemp -d /tmp/fph_srv.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails+1)); }
L2=0x2222222222222222222222222222222222222222222222222222222222222222

"$H" import --from synth:300:64 --to lmdb:"$T/l" >/dev/null 2>&1 || bad "import"
"$C" "local:2=$L2" "hint:l2-output 0x00" "synth:0:300:64" "local:2=$L2" \
  --spawn-host "$H" --server --store lmdb:"$T/l" --local 2=$L2 --hint-log "$T/hints" >"$T/out" 2>"$T/err"
[ $? = 0 ] && grep -q "host exit 0" "$T/out" && ok "server mode serves and exits 0 on clean EOF" || { bad "server mode"; cat "$T/out" "$T/err"; }
printf 'l2-output 0x00\n' | cmp -s - "$T/hints" && ok "server hint log" || bad "server hint log"

"$C" "getfail:0x02bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" \
  --spawn-host "$H" --server --store lmdb:"$T/l" >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 1 ] && grep -q "host exit 1" "$T/out" && grep -q "^fphost: error: serve: key 0x02bb" "$T/err" \
  && ok "missing key: host exits 1 with one error line" || { bad "missing key ($rc)"; cat "$T/out" "$T/err"; }

# SIGTERM while the client is idle: the host closes the store and exits 0; the data it prefetched stays.
K=$("$H" put --store mem --keccak 0x636363)
"$C" "hint:c 0x01" "get:$K=0x636363" "sleep:3000" \
  --spawn-host "$H" --server --store lmdb:"$T/l" --prefetch "c=echo $K 0x636363" >"$T/out" 2>"$T/err" &
cpid=$!
i=0; hpid=
while [ $i -lt 100 ]; do
  hpid=$(sed -n 's/^host pid //p' "$T/out")
  [ -n "$hpid" ] && [ -e "$T/l/data.mdb" ] && "$H" get --store lmdb:"$T/l" "$K" >/dev/null 2>&1 && break
  sleep 0.05; i=$((i+1))
done
if [ -n "$hpid" ]; then kill -TERM "$hpid"; fi
wait $cpid; rc=$?
grep -q "stopped by signal 15, store closed" "$T/err" && grep -q "host exit 0" "$T/out" && [ $rc = 0 ] \
  && ok "SIGTERM: clean shutdown, exit 0" || { bad "SIGTERM ($rc)"; cat "$T/out" "$T/err"; }
"$H" get --store lmdb:"$T/l" "$K" 2>&1 | grep -qx 0x636363 && ok "prefetched data survives shutdown" || bad "prefetched data"
[ $fails = 0 ] && echo "all ok" || echo "$fails failures"
exit $fails
