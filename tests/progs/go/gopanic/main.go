// gopanic: a Go guest that fails on purpose. A runtime error (index out of range) is recovered in full;
// then a panic raised while another is being recovered ends the program: the runtime prints both and
// exits with code 2. The final panics carry small integers, which Go boxes without allocating, so the
// traceback prints only addresses from the binary (heap addresses differ between qemu, which runs
// several Ms, and the VM, where GOMAXPROCS is 1).
package main

import "fmt"

type boom int

var data = []int{1, 2, 3}

//go:noinline
func index(i int) int { return data[i] }

func tryIndex(i int) (v int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return index(i), nil
}

func main() {
	fmt.Println("about to panic")
	_, err := tryIndex(len(data) + 2)
	fmt.Println(err)
	defer func() {
		r := recover()
		fmt.Printf("recovered: %v\n", r)
		panic(boom(42))
	}()
	panic(boom(7))
}
