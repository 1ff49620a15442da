// hash: Keccak-256 (package keccak, written for these tests) and crypto/sha256 over
// a buffer, chained `rounds` times. rounds is set at link time (-X main.rounds=N) so the benchmark can
// reuse this program with a large count.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"

	"fpkit/progs/keccak"
)

var rounds = "4"

func main() {
	n, err := strconv.Atoi(rounds)
	if err != nil || n < 1 {
		fmt.Fprintln(os.Stderr, "bad rounds")
		os.Exit(3)
	}
	empty := keccak.Sum256(nil)
	abc := sha256.Sum256([]byte("abc"))
	fmt.Println("keccak256(\"\") =", hex.EncodeToString(empty[:]))
	fmt.Println("sha256(\"abc\") =", hex.EncodeToString(abc[:]))
	ok := hex.EncodeToString(empty[:]) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" &&
		hex.EncodeToString(abc[:]) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

	buf := make([]byte, 4096)
	for i := range buf {
		buf[i] = byte(i * 31 >> 3)
	}
	var k [32]byte
	var s [32]byte
	for r := 0; r < n; r++ {
		copy(buf[r%4000:], k[:])
		k = keccak.Sum256(buf)
		copy(buf[(r*7)%4000:], s[:])
		s = sha256.Sum256(buf)
	}
	fmt.Printf("rounds=%d keccak=%s sha256=%s\n", n, hex.EncodeToString(k[:]), hex.EncodeToString(s[:]))
	if !ok {
		fmt.Println("hash: FAIL (known vectors)")
		os.Exit(1)
	}
	fmt.Println("hash: ok")
}
