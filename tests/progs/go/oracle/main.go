// oracle: the preimage oracle from Go, the way op-program's client reaches it — os.NewFile on fds 3-6,
// hints as u32 BE length ‖ text with a 1-byte ack, keys of 32 bytes answered by u64 BE length ‖ data
// (cannon.md §5.4/§5.5, preimage.md §2). Needs a host serving the two texts below (keccak keys).
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"fpkit/progs/keccak"
)

const text1 = "hello fpkit preimage"
const text2 = "The quick brown fox jumps over the lazy dog, the five boxing wizards jump quickly. " +
	"Pack my box with five dozen liquor jugs! 0123456789 abcdefghijklmnopqrstuvwxyz"

var (
	hintRead  = os.NewFile(3, "hint-read")
	hintWrite = os.NewFile(4, "hint-write")
	preRead   = os.NewFile(5, "preimage-read")
	preWrite  = os.NewFile(6, "preimage-write")
)

func hint(text string) error {
	msg := make([]byte, 4+len(text))
	binary.BigEndian.PutUint32(msg, uint32(len(text)))
	copy(msg[4:], text)
	if _, err := hintWrite.Write(msg); err != nil {
		return err
	}
	var ack [1]byte
	_, err := io.ReadFull(hintRead, ack[:])
	return err
}

func get(key [32]byte) ([]byte, error) {
	if _, err := preWrite.Write(key[:]); err != nil {
		return nil, err
	}
	var l [8]byte
	if _, err := io.ReadFull(preRead, l[:]); err != nil {
		return nil, err
	}
	data := make([]byte, binary.BigEndian.Uint64(l[:]))
	_, err := io.ReadFull(preRead, data)
	return data, err
}

func main() {
	fail := false
	for _, h := range []string{"fpkit-test go-hint", "fpkit-test " + hex.EncodeToString([]byte{1, 2, 255})} {
		err := hint(h)
		fmt.Printf("hint %q: err=%v\n", h, err)
		fail = fail || err != nil
	}
	for _, t := range []string{text1, text2, text1} {
		key := keccak.Sum256([]byte(t))
		key[0] = 2
		data, err := get(key)
		got := keccak.Sum256(data)
		got[0] = 2
		ok := err == nil && bytes.Equal(data, []byte(t)) && got == key
		fmt.Printf("key %x: %d bytes, err=%v, matches=%v\n", key, len(data), err, ok)
		fail = fail || !ok
	}
	if fail {
		fmt.Println("oracle: FAIL")
		os.Exit(1)
	}
	fmt.Println("oracle: ok")
}
