#!/bin/sh
# The client half must build freestanding (the SDK compiles src/preimage/client.c for MIPS64) and reach
# nothing outside keccak and memcpy/memset.
set -u
CC=$1; SRC=$2; INC=$3; shift 3
T=$(mktemp -d /tmp/fph_free.XXXXXX); trap 'rm -rf "$T"' EXIT
fails=0
check() { # check CC NM NAME EXTRA-FLAGS...
  cc=$1; nm=$2; name=$3; shift 3
  if ! "$cc" -std=c17 -ffreestanding -nostdlib -O2 -Wall -Wextra -Werror -Wshadow "$@" -I"$INC" -c "$SRC" -o "$T/c.o"; then
    echo "FAIL $name: does not compile freestanding"; fails=$((fails+1)); return
  fi
  und=$("$nm" "$T/c.o" | awk '$1 == "U" {print $2}' | grep -v -x -e fpk_keccak256 -e memcpy -e memset)
  if [ -n "$und" ]; then echo "FAIL $name: reaches $und"; fails=$((fails+1)); else echo "ok   $name"; fi
}
check "$CC" nm host
if [ $# -gt 0 ] && command -v "$1" >/dev/null 2>&1; then
  check "$1" "${1%gcc}nm" mips64 -EB -mabi=64 -march=mips64r2 -msoft-float -mno-abicalls -fno-pic
fi
exit $fails
