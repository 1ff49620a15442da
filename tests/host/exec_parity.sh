#!/bin/sh
# fphost --exec with the native test client: locals, offline store, hint log, exit codes, missing keys,
# bad key types, exec prefetch with last-hint-wins, rejected prefetch output.
set -u
H=$1; C=$2
T=$(mktemp -d /tmp/fph_exec.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails+1)); }
expect() { # expect CODE NAME CMD...
  want=$1; name=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"; got=$?
  if [ "$got" = "$want" ]; then ok "$name"; else bad "$name (exit $got, want $want)"; cat "$T/err"; fi
}

"$H" import --from synth:200:64 --to dir:"$T/d" >/dev/null 2>&1 || bad "import"
printf '{"cfg":1}' >"$T/cfg"
L1=0x1111111111111111111111111111111111111111111111111111111111111111

# fphost --exec takes the rest of argv for the child, so options go before it
"$H" --store dir:"$T/d" --local 1=$L1 --local-file 6="$T/cfg" --hint-log "$T/hints" --exec "$C" \
  "hint:l1-block-header 0x01" "local:1=$L1" "local:6=0x7b22636667223a317d" "synth:0:200:64" "hint:" \
  "hint:x 0xzz" "local:1=$L1" 2>"$T/err"
[ $? = 0 ] && ok "serve locals + 200 preimages" || { bad "serve locals"; cat "$T/err"; }
printf 'l1-block-header 0x01\n\nx 0xzz\n' >"$T/hints.want"
cmp -s "$T/hints" "$T/hints.want" && ok "hint log" || { bad "hint log"; od -c "$T/hints"; }

expect 0 "child exit 0" "$H" --exec "$C" "exit:0"
expect 1 "child exit 1 propagates" "$H" --exec "$C" "exit:1"
expect 7 "child exit 7 propagates" "$H" --exec "$C" "exit:7"

MISSING=0x02aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
expect 125 "offline missing key fails" "$H" --store dir:"$T/d" --exec "$C" "getfail:$MISSING"
grep -q "fphost: error: serve: key $MISSING not in the store (offline)" "$T/err" && ok "missing key message" \
  || { bad "missing key message"; cat "$T/err"; }
expect 125 "local key not given fails" "$H" --exec "$C" "getfail:0x0100000000000000000000000000000000000000000000000000000000000009"
expect 125 "global generic key refused" "$H" --exec "$C" "getfail:0x03aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
grep -q "unsupported key type 3" "$T/err" && ok "key type message" || { bad "key type message"; cat "$T/err"; }
expect 125 "type 7 key refused" "$H" --exec "$C" "getfail:0x07aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

# Prefetch: route a and route b each print one pair; only the last hint's route may run.
KA=$("$H" put --store mem --keccak 0x61616161)
KB=$("$H" put --store mem --keccak 0x62626262)
cat >"$T/pa.sh" <<EOS
touch "$T/ran_a"; cat >/dev/null; echo "$KA 0x61616161"
EOS
cat >"$T/pb.sh" <<EOS
read h; [ "\$h" = "b 0x02" ] && [ "\$FPH_HINT_TYPE" = b ] && [ "\$FPH_HINT_DATA" = 0x02 ] || exit 9
echo "$KB 0x62626262"
EOS
expect 0 "last hint wins" "$H" --store dir:"$T/p" --prefetch "a=sh $T/pa.sh" --prefetch "b=sh $T/pb.sh" \
  --exec "$C" "hint:a 0x01" "hint:b 0x02" "get:$KB=0x62626262" "get:$KB=0x62626262"
[ ! -e "$T/ran_a" ] && ok "earlier hint not fetched" || bad "earlier hint not fetched"
"$H" get --store dir:"$T/p" "$KB" >"$T/out" 2>&1 && grep -qx 0x62626262 "$T/out" && ok "prefetched pair persisted" \
  || bad "prefetched pair persisted"
expect 125 "prefetch without the key fails" "$H" --store mem --prefetch "a=sh $T/pa.sh" --prefetch "b=sh $T/pb.sh" \
  --exec "$C" "hint:a 0x01" "hint:b 0x02" "getfail:$KA"
grep -q "also not after prefetching hint 'b 0x02'" "$T/err" && ok "prefetch miss message" || { bad "prefetch miss message"; cat "$T/err"; }
expect 0 "star route" "$H" --store mem --prefetch "*=sh $T/pa.sh" --exec "$C" "hint:zzz 0x" "get:$KA=0x61616161"
expect 125 "no route for hint type" "$H" --store mem --prefetch "a=sh $T/pa.sh" --exec "$C" "hint:q 0x01" "getfail:$KA"
# A lying prefetcher: its pair does not hash to its key, so nothing is stored or served.
cat >"$T/liar.sh" <<EOS
cat >/dev/null; echo "$KA 0x62626262"
EOS
expect 125 "unverifiable prefetch output refused" "$H" --store dir:"$T/liar" --prefetch "a=sh $T/liar.sh" \
  --exec "$C" "hint:a 0x01" "getfail:$KA"
grep -q "does not hash to its keccak256 key" "$T/err" && ok "verify message" || { bad "verify message"; cat "$T/err"; }
"$H" get --store dir:"$T/liar" "$KA" >/dev/null 2>&1 && bad "liar stored nothing" || ok "liar stored nothing"
expect 125 "failing prefetch command" "$H" --store mem --prefetch "a=exit 3" --exec "$C" "hint:a 0x01" "getfail:$KA"
grep -q "prefetch command exited with status 3" "$T/err" && ok "exit status message" || { bad "exit status message"; cat "$T/err"; }
# A source that fails once: fatal without retries, fine with one.
cat >"$T/flaky.sh" <<EOS
cat >/dev/null; [ -e "\$1" ] || { touch "\$1"; exit 4; }; echo "$KA 0x61616161"
EOS
expect 125 "flaky source, no retries" "$H" --store mem --prefetch "a=sh $T/flaky.sh $T/flag1" --exec "$C" "hint:a 0x01" "getfail:$KA"
expect 0 "flaky source, one retry" "$H" --store mem --prefetch-retries 1 --prefetch "a=sh $T/flaky.sh $T/flag2" \
  --exec "$C" "hint:a 0x01" "get:$KA=0x61616161"
# Hints are acked even when they are malformed; the client carries on.
expect 0 "malformed hints acked" "$H" --local 2=0x02 --prefetch "a=sh $T/pa.sh" --exec "$C" "hint:" "hint: 0x" "hint:nospace" "local:2=0x02"
expect 2 "usage error" "$H" --bogus
[ $fails = 0 ] && echo "all ok" || echo "$fails failures"
exit $fails
