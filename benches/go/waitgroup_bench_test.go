package gosyncbench

// Go's sync.WaitGroup benchmarks, written after the six in Go's own
// src/sync/waitgroup_test.go (Uncontended, AddDone, AddDoneWork, Wait,
// WaitWork, ActuallyWait), plus the workloads the Rust suite adds:
// ActuallyWaitSingle, WakeLatency (ping-pong), WakeLatencyParked, and
// LocalWorkOnly (the local work alone). benches/README.md defines every
// workload.
//
// Run: go test -bench 'WaitGroup|LocalWorkOnly' -benchtime 1s -count 5 -cpu 2

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// localWork is the loop of Go's AddDoneWork and WaitWork. Note that the Go
// compiler deletes the arithmetic (foo is never used afterwards) and keeps
// an empty 100-iteration loop; LocalWorkOnly measures what that costs.
const localWork = 100

func BenchmarkWaitGroupUncontended(b *testing.B) {
	type paddedWaitGroup struct {
		sync.WaitGroup
		pad [128]uint8
	}
	b.RunParallel(func(pb *testing.PB) {
		var wg paddedWaitGroup
		for pb.Next() {
			wg.Add(1)
			wg.Done()
			wg.Wait()
		}
	})
}

func benchmarkWaitGroupAddDone(b *testing.B, work int) {
	var wg sync.WaitGroup
	b.RunParallel(func(pb *testing.PB) {
		foo := 0
		for pb.Next() {
			wg.Add(1)
			for i := 0; i < work; i++ {
				foo *= 2
				foo /= 2
			}
			wg.Done()
		}
		_ = foo
	})
}

func BenchmarkWaitGroupAddDone(b *testing.B) {
	benchmarkWaitGroupAddDone(b, 0)
}

func BenchmarkWaitGroupAddDoneWork(b *testing.B) {
	benchmarkWaitGroupAddDone(b, localWork)
}

func benchmarkWaitGroupWait(b *testing.B, work int) {
	var wg sync.WaitGroup
	b.RunParallel(func(pb *testing.PB) {
		foo := 0
		for pb.Next() {
			wg.Wait()
			for i := 0; i < work; i++ {
				foo *= 2
				foo /= 2
			}
		}
		_ = foo
	})
}

func BenchmarkWaitGroupWait(b *testing.B) {
	benchmarkWaitGroupWait(b, 0)
}

func BenchmarkWaitGroupWaitWork(b *testing.B) {
	benchmarkWaitGroupWait(b, localWork)
}

func BenchmarkWaitGroupActuallyWait(b *testing.B) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				wg.Done()
			}()
			wg.Wait()
		}
	})
}

// BenchmarkWaitGroupActuallyWaitSingle is ActuallyWait from one goroutine
// (no RunParallel), the counterpart of the Rust suite's one waiter + one
// helper variant.
func BenchmarkWaitGroupActuallyWaitSingle(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			wg.Done()
		}()
		wg.Wait()
	}
}

// BenchmarkWaitGroupWakeLatency is the Rust suite's ping-pong: two groups
// start at one; goroutine A loops ping.Done(); pong.Wait(); pong.Add(1),
// goroutine B loops ping.Wait(); ping.Add(1); pong.Done(). One op is one
// of the two hand-overs of a round trip.
func BenchmarkWaitGroupWakeLatency(b *testing.B) {
	rounds := (b.N + 1) / 2
	var ping, pong sync.WaitGroup
	ping.Add(1)
	pong.Add(1)
	finished := make(chan struct{})
	b.ResetTimer()
	go func() {
		for i := 0; i < rounds; i++ {
			ping.Wait()
			ping.Add(1)
			pong.Done()
		}
		close(finished)
	}()
	for i := 0; i < rounds; i++ {
		ping.Done()
		pong.Wait()
		pong.Add(1)
	}
	<-finished
}

// spinLimit matches the Rust harness's bounded spin before yielding.
const spinLimit = 64

// spinUntil busy-waits for ready(), yielding the P (runtime.Gosched, Go's
// sched_yield) after spinLimit checks, like the Rust harness's spin_until.
func spinUntil(ready func() bool) {
	for i := 0; i < spinLimit; i++ {
		if ready() {
			return
		}
	}
	for !ready() {
		runtime.Gosched()
	}
}

// parkDelay is how long the releaser lets the waiter sit in Wait before
// calling Done, as in the Rust suite (Go's Wait parks at once anyway).
const parkDelay = 50 * time.Microsecond

// BenchmarkWaitGroupWakeLatencyParked: the waiter announces it is about to
// Wait on a group at one; the releaser busy-waits parkDelay, reads the
// clock and calls Done; the waiter reads the clock when Wait returns and
// Adds one again. ns/op is the mean (wake time - release time), not wall
// time per op.
func BenchmarkWaitGroupWakeLatencyParked(b *testing.B) {
	var wg sync.WaitGroup
	var announced, releasedAt atomic.Int64
	base := time.Now()
	wg.Add(1)
	n := int64(b.N)
	b.ResetTimer()
	go func() {
		for round := int64(1); round <= n; round++ {
			spinUntil(func() bool { return announced.Load() == round })
			until := time.Since(base) + parkDelay
			for time.Since(base) < until {
			}
			releasedAt.Store(int64(time.Since(base)))
			wg.Done()
		}
	}()
	var total int64
	for round := int64(1); round <= n; round++ {
		announced.Store(round)
		wg.Wait()
		woken := int64(time.Since(base))
		total += woken - releasedAt.Load()
		wg.Add(1)
	}
	b.StopTimer()
	b.ReportMetric(float64(total)/float64(b.N), "ns/op")
}

// BenchmarkLocalWorkOnly: the local work of the ...Work benchmarks alone,
// on all GOMAXPROCS goroutines (calibration, not a WaitGroup workload).
func BenchmarkLocalWorkOnly(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		foo := 0
		for pb.Next() {
			for i := 0; i < localWork; i++ {
				foo *= 2
				foo /= 2
			}
		}
		_ = foo
	})
}
