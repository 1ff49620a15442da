// alloc: allocation-heavy guest — maps, growing slices, strings, explicit GCs. Prints only values that
// do not depend on timing or addresses.
package main

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
)

type node struct {
	key   int
	val   []byte
	left  *node
	right *node
}

func insert(n *node, k int) *node {
	if n == nil {
		return &node{key: k, val: make([]byte, 16+k%48)}
	}
	if k < n.key {
		n.left = insert(n.left, k)
	} else {
		n.right = insert(n.right, k)
	}
	return n
}

func sum(n *node) (int, int) {
	if n == nil {
		return 0, 0
	}
	a, b := sum(n.left)
	c, d := sum(n.right)
	return a + c + n.key, b + d + len(n.val)
}

func main() {
	m := make(map[string]int)
	for i := 0; i < 4000; i++ {
		m["k"+strconv.Itoa(i*7919%4001)] += i
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := uint64(1469598103934665603)
	for _, k := range keys {
		for j := 0; j < len(k); j++ {
			h = (h ^ uint64(k[j])) * 1099511628211
		}
		h = (h ^ uint64(m[k])) * 1099511628211
	}
	fmt.Printf("map: %d keys, first %s last %s hash %016x\n", len(keys), keys[0], keys[len(keys)-1], h)
	runtime.GC()

	var s [][]int
	total := 0
	for round := 0; round < 30; round++ {
		row := []int{}
		for i := 0; i < 1000; i++ {
			row = append(row, i*round)
		}
		s = append(s, row)
		if round%10 == 9 {
			for _, r := range s {
				total += r[len(r)-1]
			}
			s = nil // garbage for the next GC
			runtime.GC()
		}
	}
	fmt.Printf("slices: total %d\n", total)

	var root *node
	x := 12345
	for i := 0; i < 2000; i++ {
		x = (x*1103515245 + 12345) & 0x7fffffff
		root = insert(root, x%100000)
	}
	ks, vs := sum(root)
	fmt.Printf("tree: keysum %d bytes %d\n", ks, vs)
	root = nil
	runtime.GC()

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("gc ran at least 5 times: %v\n", ms.NumGC >= 5)
	if ms.NumGC < 5 {
		os.Exit(1)
	}
	fmt.Println("alloc: ok")
}
