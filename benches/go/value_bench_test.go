package gosyncbench

// Go's sync/atomic.Value benchmarks, mirroring the workloads of the Rust
// suite in ../benches/atomic_value.rs (criterion group = Go benchmark name
// without "Benchmark"). Go's own src/sync/atomic/value_test.go has one
// benchmark, BenchmarkValueRead; ValueLoadParallel is its shape. The others
// are the Rust suite's. benches/README.md defines every workload.
//
// The Value holds a uint64, as the Rust values hold a u64: storing one
// boxes it (an allocation, as the Rust side's Arc::new is), loading it reads
// the interface's data pointer and the uint64 behind it (a deref, as the
// Rust side's read through the guard is). Loaded values are summed into a
// package-level sink so that no load can be dropped.
//
// Run: go test -run '^$' -bench '^BenchmarkValue' -benchtime 1s -count 5 -cpu 2

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// valueSink receives every benchmark's sum of loaded values.
var valueSink uint64

// BenchmarkValueLoad: b.N loads on one goroutine.
func BenchmarkValueLoad(b *testing.B) {
	var v atomic.Value
	v.Store(uint64(1))
	var sum uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sum += v.Load().(uint64)
	}
	valueSink += sum
}

// BenchmarkValueLoadParallel is Go's BenchmarkValueRead (RunParallel loads
// of one Value) with a uint64 value. RunParallel would report wall time
// over all goroutines' loads; the Rust suite reports the time per load of
// one thread, so ns/op is overridden with that: wall time * GOMAXPROCS / b.N
// (RunParallel runs GOMAXPROCS goroutines, sharing b.N loads).
func BenchmarkValueLoadParallel(b *testing.B) {
	var v atomic.Value
	v.Store(uint64(1))
	var total atomic.Uint64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		var sum uint64
		for pb.Next() {
			sum += v.Load().(uint64)
		}
		total.Add(sum)
	})
	b.StopTimer()
	valueSink += total.Load()
	goroutines := float64(runtime.GOMAXPROCS(0))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())*goroutines/float64(b.N), "ns/op")
}

// BenchmarkValueLoadWhileStoring: one goroutine does b.N loads (timed)
// while another stores 1, 2, 3, ... back to back until the loads are done.
// With -cpu 2 both run at once.
func BenchmarkValueLoadWhileStoring(b *testing.B) {
	var v atomic.Value
	v.Store(uint64(0))
	var stop, started atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		started.Store(true)
		for next := uint64(1); !stop.Load(); next++ {
			v.Store(next)
		}
	}()
	spinUntil(started.Load)
	var sum uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sum += v.Load().(uint64)
	}
	b.StopTimer()
	stop.Store(true)
	wg.Wait()
	valueSink += sum
}

// BenchmarkValueStore: b.N stores on one goroutine.
func BenchmarkValueStore(b *testing.B) {
	var v atomic.Value
	v.Store(uint64(0))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v.Store(uint64(i))
	}
}

// BenchmarkValueSwap: b.N swaps on one goroutine; the old value is read.
func BenchmarkValueSwap(b *testing.B) {
	var v atomic.Value
	v.Store(uint64(0))
	var sum uint64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sum += v.Swap(uint64(i)).(uint64)
	}
	valueSink += sum
}

// BenchmarkValueCompareAndSwap: CompareAndSwap(i, i+1) for i = 0, 1, ...,
// starting from 0, on one goroutine: every one succeeds.
func BenchmarkValueCompareAndSwap(b *testing.B) {
	var v atomic.Value
	v.Store(uint64(0))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !v.CompareAndSwap(uint64(i), uint64(i+1)) {
			b.Fatalf("CompareAndSwap(%d, %d) failed", i, i+1)
		}
	}
}
