// Package keccak: Keccak-256 for the Go test guests (golang.org/x/crypto is not available offline).
package keccak

import "math/bits"

var rc = [24]uint64{
	0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
	0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
	0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
	0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
	0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
	0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
}

// rotation offsets and lane order of the rho/pi walk starting at lane 1
var rotc = [24]int{1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44}
var piln = [24]int{10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1}

func permute(a *[25]uint64) {
	var c [5]uint64
	for r := 0; r < 24; r++ {
		for x := 0; x < 5; x++ {
			c[x] = a[x] ^ a[x+5] ^ a[x+10] ^ a[x+15] ^ a[x+20]
		}
		for x := 0; x < 5; x++ {
			d := c[(x+4)%5] ^ bits.RotateLeft64(c[(x+1)%5], 1)
			for y := 0; y < 25; y += 5 {
				a[y+x] ^= d
			}
		}
		t := a[1]
		for i := 0; i < 24; i++ {
			j := piln[i]
			t, a[j] = a[j], bits.RotateLeft64(t, rotc[i])
		}
		for y := 0; y < 25; y += 5 {
			for x := 0; x < 5; x++ {
				c[x] = a[y+x]
			}
			for x := 0; x < 5; x++ {
				a[y+x] = c[x] ^ (^c[(x+1)%5] & c[(x+2)%5])
			}
		}
		a[0] ^= rc[r]
	}
}

// Sum256 is Keccak-256 with the original Keccak padding (0x01), as Ethereum uses.
func Sum256(msg []byte) [32]byte {
	const rate = 136
	var a [25]uint64
	block := make([]byte, rate)
	for len(msg) >= rate {
		absorb(&a, msg[:rate])
		msg = msg[rate:]
	}
	for i := range block {
		block[i] = 0
	}
	copy(block, msg)
	block[len(msg)] ^= 0x01
	block[rate-1] ^= 0x80
	absorb(&a, block)
	var out [32]byte
	for i := 0; i < 4; i++ {
		for b := 0; b < 8; b++ {
			out[i*8+b] = byte(a[i] >> (8 * b))
		}
	}
	return out
}

func absorb(a *[25]uint64, blk []byte) {
	for i := 0; i < len(blk)/8; i++ {
		var w uint64
		for b := 0; b < 8; b++ {
			w |= uint64(blk[i*8+b]) << (8 * b)
		}
		a[i] ^= w
	}
	permute(a)
}
