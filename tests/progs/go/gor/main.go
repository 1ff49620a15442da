// gor: goroutines with sync.Mutex, sync.WaitGroup, buffered/unbuffered channels and select. Output is
// independent of scheduling (GOMAXPROCS is 1 under Cannon, the host's CPU count under qemu).
package main

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	const workers = 8
	const jobs = 2000

	in := make(chan int)
	out := make(chan int, 16)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range in {
				out <- j * j % 1000003
			}
		}()
	}
	go func() {
		for j := 0; j < jobs; j++ {
			in <- j
		}
		close(in)
	}()
	go func() {
		wg.Wait()
		close(out)
	}()
	total, count := 0, 0
	for v := range out {
		total += v
		count++
	}
	fmt.Printf("pipeline: %d results, sum %d\n", count, total)

	var mu sync.Mutex
	shared := map[int]int{}
	var wg2 sync.WaitGroup
	var ops int64
	for g := 0; g < 16; g++ {
		wg2.Add(1)
		go func(g int) {
			defer wg2.Done()
			for i := 0; i < 500; i++ {
				mu.Lock()
				shared[i%37] += g
				mu.Unlock()
				atomic.AddInt64(&ops, 1)
			}
		}(g)
	}
	wg2.Wait()
	s := 0
	for _, v := range shared {
		s += v
	}
	fmt.Printf("mutex: %d buckets, sum %d, ops %d\n", len(shared), s, atomic.LoadInt64(&ops))

	ping, pong, done := make(chan int), make(chan int), make(chan struct{})
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(done)
	}()
	v := 0
	for i := 0; i < 1000; i++ {
		select {
		case ping <- v:
			v = <-pong
		}
	}
	close(ping)
	<-done
	fmt.Printf("pingpong: %d\n", v)

	// Timers: under Cannon the monotonic clock is the step counter, so these only complete if the
	// runtime's sleep/futex paths keep the VM stepping.
	start := time.Now()
	time.Sleep(2 * time.Millisecond)
	slept := time.Since(start) >= 2*time.Millisecond
	timer := time.NewTimer(time.Hour)
	fired := ""
	select {
	case <-time.After(time.Millisecond):
		fired = "after"
	case <-timer.C:
		fired = "hour timer"
	}
	timer.Stop()
	fmt.Printf("timers: slept >= 2ms %v, first to fire: %s\n", slept, fired)
	if count != jobs || v != 1000 || atomic.LoadInt64(&ops) != 16*500 {
		fmt.Println("gor: FAIL")
		os.Exit(1)
	}
	fmt.Println("gor: ok")
}
