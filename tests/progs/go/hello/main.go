// hello: the smallest Go guest. Exercises runtime start-up (argv/envp/auxv from the initial stack),
// os.Stdout/os.Stderr (fcntl F_GETFL) and a clean exit_group(0).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello from go")
	fmt.Printf("args=%d argv0=%q\n", len(os.Args), os.Args[0])
	fmt.Printf("GODEBUG=%q\n", os.Getenv("GODEBUG"))
	fmt.Fprintln(os.Stderr, "hello on stderr")
	fmt.Println("hello: ok")
}
