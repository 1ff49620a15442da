#!/bin/sh
# cli_expect.sh <want-exit-code> <want-substring> <command> [args...]: run the command, require that
# exit code and the substring somewhere in its stdout+stderr.
want_rc=$1
want_text=$2
shift 2
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne "$want_rc" ]; then
  echo "cli_expect: exit code $rc, want $want_rc" >&2
  exit 1
fi
case "$out" in
*"$want_text"*) exit 0 ;;
esac
echo "cli_expect: output lacks: $want_text" >&2
exit 1
