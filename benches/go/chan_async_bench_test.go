package gosyncbench

// Go's chan and sync.WaitGroup on the workloads of the Rust suite
// ../benches/channel_async.rs, which runs them as tokio tasks for
// gosync_channel's async API, flume, kanal, async-channel and
// tokio::sync::mpsc (and gosync_waitgroup's track/wait_async, tokio's
// JoinSet and tokio-util's TaskTracker), on a 2-worker multi-thread runtime
// (group Async<Workload>_MT_<Flavor>) and a current-thread runtime
// (Async<Workload>_CT_<Flavor>). Every goroutine is Go's "task", so
// BenchmarkAsync<Workload>_<Flavor> here is the Go column of both groups.
// benches/README.md and the Rust suite's module docs define the workloads.
//
//   - Spsc (1 producer, 1 consumer), Mpsc (3 + 1), Mpmc (2 + 2) on channels
//     of capacity 0, 1 and 1024 (a real capacity: it fills); Go has no
//     unbounded channel. One op is one message.
//   - PingPong over two channels of capacity 0 or 1: one op is a round trip.
//   - SelectRx (capacity 0 and 1024): 2 producers, a channel each; one
//     consumer receives every message with a select over the 2.
//   - FanOut100k_YieldNow / _Sleep1ns: one op is a whole program: 100,000
//     goroutines, each wg.Add(1) before it starts and wg.Done() when it
//     ends, doing runtime.Gosched() (or time.Sleep(1)); then wg.Wait().
//
// Not mirrored: the Rust suite's Mixed* rows (a blocking OS thread against
// a task: every goroutine is both) and WaitGroupWake.
//
// Run: go test -run '^$' -bench '^BenchmarkAsync' -benchtime 1s -count 5 -cpu 2

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// asyncToOne: producers goroutines share b.N messages on one channel of
// the given capacity; one more goroutine receives them all.
func asyncToOne(b *testing.B, capacity, producers int) {
	c := make(chan msg, capacity)
	b.ResetTimer()
	var wg sync.WaitGroup
	wg.Add(producers + 1)
	for p := 0; p < producers; p++ {
		go send(c, share(b.N, producers, p), &wg)
	}
	go receive(c, b.N, &wg)
	wg.Wait()
}

// asyncMpmc: 2 producers and 2 consumers share b.N messages evenly.
func asyncMpmc(b *testing.B, capacity int) {
	c := make(chan msg, capacity)
	b.ResetTimer()
	var wg sync.WaitGroup
	wg.Add(4)
	for p := 0; p < 2; p++ {
		go send(c, share(b.N, 2, p), &wg)
		go receive(c, share(b.N, 2, p), &wg)
	}
	wg.Wait()
}

// asyncPingPong: two goroutines bounce a value over two channels; b.N
// round trips.
func asyncPingPong(b *testing.B, capacity int) {
	ca, cb := make(chan msg, capacity), make(chan msg, capacity)
	b.ResetTimer()
	done := make(chan struct{})
	go func() {
		for i := 0; i < b.N; i++ {
			cb <- (<-ca) + 1
		}
		close(done)
	}()
	var v msg
	for i := 0; i < b.N; i++ {
		ca <- v
		v = <-cb
	}
	<-done
	sinkMsg = v
}

// sinkMsg keeps received values alive.
var sinkMsg msg

// asyncSelectRx: 2 producers, a channel each; one consumer selects over the
// 2 for every message.
func asyncSelectRx(b *testing.B, capacity int) {
	ca, cb := make(chan msg, capacity), make(chan msg, capacity)
	b.ResetTimer()
	var wg sync.WaitGroup
	wg.Add(2)
	go send(ca, share(b.N, 2, 0), &wg)
	go send(cb, share(b.N, 2, 1), &wg)
	var sum msg
	for i := 0; i < b.N; i++ {
		select {
		case v := <-ca:
			sum += v
		case v := <-cb:
			sum += v
		}
	}
	wg.Wait()
	sinkMsg = sum
}

func BenchmarkAsyncSpsc_Bounded0(b *testing.B)    { asyncToOne(b, 0, 1) }
func BenchmarkAsyncMpsc_Bounded0(b *testing.B)    { asyncToOne(b, 0, 3) }
func BenchmarkAsyncMpmc_Bounded0(b *testing.B)    { asyncMpmc(b, 0) }
func BenchmarkAsyncSpsc_Bounded1(b *testing.B)    { asyncToOne(b, 1, 1) }
func BenchmarkAsyncMpsc_Bounded1(b *testing.B)    { asyncToOne(b, 1, 3) }
func BenchmarkAsyncMpmc_Bounded1(b *testing.B)    { asyncMpmc(b, 1) }
func BenchmarkAsyncSpsc_Bounded1024(b *testing.B) { asyncToOne(b, 1024, 1) }
func BenchmarkAsyncMpsc_Bounded1024(b *testing.B) { asyncToOne(b, 1024, 3) }
func BenchmarkAsyncMpmc_Bounded1024(b *testing.B) { asyncMpmc(b, 1024) }

func BenchmarkAsyncPingPong_Bounded0(b *testing.B) { asyncPingPong(b, 0) }
func BenchmarkAsyncPingPong_Bounded1(b *testing.B) { asyncPingPong(b, 1) }

func BenchmarkAsyncSelectRx_Bounded0(b *testing.B)    { asyncSelectRx(b, 0) }
func BenchmarkAsyncSelectRx_Bounded1024(b *testing.B) { asyncSelectRx(b, 1024) }

// fanOutTasks is the goroutines per fan-out program (the Rust suite's
// TASKS).
const fanOutTasks = 100_000

// asyncFanOut: b.N programs of fanOutTasks goroutines running leaf, joined
// with one sync.WaitGroup.
func asyncFanOut(b *testing.B, leaf func()) {
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for t := 0; t < fanOutTasks; t++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				leaf()
			}()
		}
		wg.Wait()
	}
}

func BenchmarkAsyncFanOut100k_YieldNow(b *testing.B) { asyncFanOut(b, runtime.Gosched) }
func BenchmarkAsyncFanOut100k_Sleep1ns(b *testing.B) {
	asyncFanOut(b, func() { time.Sleep(1) })
}
