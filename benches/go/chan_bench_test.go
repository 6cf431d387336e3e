package gosyncbench

// Go's chan on the workloads of the Rust suite ../benches/channel.rs, which
// runs them for gosync_channel, crossbeam-channel, flume, kanal and
// std::sync::mpsc: Benchmark<Name> here is the criterion group <Name> there.
// benches/README.md defines every workload. Written for this suite, after
// the workloads of crossbeam-channel's benchmarks/ directory and of Go's own
// src/runtime/chan_test.go.
//
//   - crossbeam-channel's suite: Seq, Spsc, Mpsc, Mpmc, SelectRx, SelectBoth
//     on bounded(0), bounded(1) and bounded(N) (Go has no unbounded channel),
//     e.g. BenchmarkChanMpsc_4T_Bounded0. One op is one message. bounded(N)
//     has room for every message: b.N is split into rounds of at most
//     chanRound messages, each on a fresh channel of capacity = the round's
//     messages, made with the timer stopped. 4T: four goroutines on the 2 Ps
//     (-cpu 2), as the Rust suite runs 4 threads on 2 cores.
//   - Ping-pong over two channels of capacity 0 or 1; one op is a round trip.
//   - The workloads of Go's runtime benchmarks ChanNonblocking,
//     SelectUncontended, ChanUncontended, ChanContended, ChanSync,
//     ChanProdCons0/10/100, SelectProdCons, ChanPopular and ChanClosed, with
//     Go's names.
//
// Run: go test -run '^$' -bench '^Benchmark(Chan|Select)' -benchtime 1s -count 5 -cpu 2

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// msg is the message of every workload (the Rust suite's u64).
type msg = uint64

// chanRound is the most messages one bounded(N) round sends.
const chanRound = 1 << 18

// boundedN as a capacity means "room for every message of the round".
const boundedN = -1

// share is the part of total that worker i of parts does: an even split,
// the first total%parts workers doing one more.
func share(total, parts, i int) int {
	n := total / parts
	if i < total%parts {
		n++
	}
	return n
}

// chanRounds runs b.N messages as rounds, each on chans fresh channels of
// the given capacity made with the timer stopped: for boundedN, rounds of at
// most chanRound messages on channels of capacity = the round's messages;
// otherwise one round.
func chanRounds(b *testing.B, capacity, chans int, round func(cs []chan msg, n int)) {
	perRound := b.N
	if capacity == boundedN {
		perRound = min(b.N, chanRound)
	}
	for left := b.N; left > 0; {
		n := min(left, perRound)
		b.StopTimer()
		size := capacity
		if size == boundedN {
			size = n
		}
		cs := make([]chan msg, chans)
		for i := range cs {
			cs[i] = make(chan msg, size)
		}
		b.StartTimer()
		round(cs, n)
		left -= n
	}
}

func benchSeq(b *testing.B, capacity int) {
	chanRounds(b, capacity, 1, func(cs []chan msg, n int) {
		c := cs[0]
		for i := 0; i < n; i++ {
			c <- msg(i)
		}
		for i := 0; i < n; i++ {
			<-c
		}
	})
}

// send sends n messages on c, then calls wg.Done.
func send(c chan msg, n int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < n; i++ {
		c <- msg(i)
	}
}

// receive receives n messages from c, then calls wg.Done.
func receive(c chan msg, n int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < n; i++ {
		<-c
	}
}

// benchToOneReceiver: producers goroutines share the messages, one more
// receives them all (Spsc: 1 producer, Mpsc: 3).
func benchToOneReceiver(b *testing.B, capacity, producers int) {
	chanRounds(b, capacity, 1, func(cs []chan msg, n int) {
		var wg sync.WaitGroup
		wg.Add(producers + 1)
		for p := 0; p < producers; p++ {
			go send(cs[0], share(n, producers, p), &wg)
		}
		go receive(cs[0], n, &wg)
		wg.Wait()
	})
}

// benchMpmc: 2 producers and 2 consumers share the messages evenly.
func benchMpmc(b *testing.B, capacity int) {
	chanRounds(b, capacity, 1, func(cs []chan msg, n int) {
		var wg sync.WaitGroup
		wg.Add(4)
		for p := 0; p < 2; p++ {
			go send(cs[0], share(n, 2, p), &wg)
			go receive(cs[0], share(n, 2, p), &wg)
		}
		wg.Wait()
	})
}

// benchSelectRx: 3 producers, a channel each; one consumer selects over the
// 3 for every message.
func benchSelectRx(b *testing.B, capacity int) {
	chanRounds(b, capacity, 3, func(cs []chan msg, n int) {
		var wg sync.WaitGroup
		wg.Add(4)
		for p := 0; p < 3; p++ {
			go send(cs[p], share(n, 3, p), &wg)
		}
		go func() {
			defer wg.Done()
			c0, c1, c2 := cs[0], cs[1], cs[2]
			for i := 0; i < n; i++ {
				select {
				case <-c0:
				case <-c1:
				case <-c2:
				}
			}
		}()
		wg.Wait()
	})
}

// benchSelectBoth: 2 channels; 2 producers each select a send over both, 2
// consumers each select a receive over both.
func benchSelectBoth(b *testing.B, capacity int) {
	chanRounds(b, capacity, 2, func(cs []chan msg, n int) {
		c0, c1 := cs[0], cs[1]
		var wg sync.WaitGroup
		wg.Add(4)
		for p := 0; p < 2; p++ {
			go func(k int) {
				defer wg.Done()
				for i := 0; i < k; i++ {
					select {
					case c0 <- msg(i):
					case c1 <- msg(i):
					}
				}
			}(share(n, 2, p))
			go func(k int) {
				defer wg.Done()
				for i := 0; i < k; i++ {
					select {
					case <-c0:
					case <-c1:
					}
				}
			}(share(n, 2, p))
		}
		wg.Wait()
	})
}

func BenchmarkChanSpsc_2T_Bounded0(b *testing.B)       { benchToOneReceiver(b, 0, 1) }
func BenchmarkChanMpsc_4T_Bounded0(b *testing.B)       { benchToOneReceiver(b, 0, 3) }
func BenchmarkChanMpmc_4T_Bounded0(b *testing.B)       { benchMpmc(b, 0) }
func BenchmarkChanSelectRx_4T_Bounded0(b *testing.B)   { benchSelectRx(b, 0) }
func BenchmarkChanSelectBoth_4T_Bounded0(b *testing.B) { benchSelectBoth(b, 0) }

func BenchmarkChanSpsc_2T_Bounded1(b *testing.B)       { benchToOneReceiver(b, 1, 1) }
func BenchmarkChanMpsc_4T_Bounded1(b *testing.B)       { benchToOneReceiver(b, 1, 3) }
func BenchmarkChanMpmc_4T_Bounded1(b *testing.B)       { benchMpmc(b, 1) }
func BenchmarkChanSelectRx_4T_Bounded1(b *testing.B)   { benchSelectRx(b, 1) }
func BenchmarkChanSelectBoth_4T_Bounded1(b *testing.B) { benchSelectBoth(b, 1) }

func BenchmarkChanSeq_1T_BoundedN(b *testing.B)        { benchSeq(b, boundedN) }
func BenchmarkChanSpsc_2T_BoundedN(b *testing.B)       { benchToOneReceiver(b, boundedN, 1) }
func BenchmarkChanMpsc_4T_BoundedN(b *testing.B)       { benchToOneReceiver(b, boundedN, 3) }
func BenchmarkChanMpmc_4T_BoundedN(b *testing.B)       { benchMpmc(b, boundedN) }
func BenchmarkChanSelectRx_4T_BoundedN(b *testing.B)   { benchSelectRx(b, boundedN) }
func BenchmarkChanSelectBoth_4T_BoundedN(b *testing.B) { benchSelectBoth(b, boundedN) }

// benchPingPong: two goroutines bounce a value over two channels of the
// given capacity; one op is a round trip.
func benchPingPong(b *testing.B, capacity int) {
	there := make(chan msg, capacity)
	back := make(chan msg, capacity)
	done := make(chan struct{})
	b.ResetTimer()
	go func() {
		for i := 0; i < b.N; i++ {
			v := <-there
			back <- v + 1
		}
		close(done)
	}()
	var v msg
	for i := 0; i < b.N; i++ {
		there <- v
		v = <-back
	}
	<-done
}

func BenchmarkChanPingPong_2T_Bounded0(b *testing.B) { benchPingPong(b, 0) }
func BenchmarkChanPingPong_2T_Bounded1(b *testing.B) { benchPingPong(b, 1) }

// The workloads of Go's src/runtime/chan_test.go, with its names.

// BenchmarkChanNonblocking: a non-blocking receive on an empty unbuffered
// channel that all goroutines share.
func BenchmarkChanNonblocking(b *testing.B) {
	c := make(chan msg)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			select {
			case <-c:
			default:
			}
		}
	})
}

// BenchmarkSelectUncontended: per goroutine two channels of capacity 1, one
// value; each op a select takes it from one and puts it in the other.
func BenchmarkSelectUncontended(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		one := make(chan msg, 1)
		two := make(chan msg, 1)
		one <- 0
		for pb.Next() {
			select {
			case <-one:
				two <- 0
			case <-two:
				one <- 0
			}
		}
	})
}

// chanBurst is the C of Go's ChanUncontended and ChanContended.
const chanBurst = 100

func sendReceiveBurst(c chan msg) {
	for i := 0; i < chanBurst; i++ {
		c <- msg(i)
	}
	for i := 0; i < chanBurst; i++ {
		<-c
	}
}

// BenchmarkChanUncontended: per goroutine a channel of capacity 100; each
// op 100 sends, then 100 receives.
func BenchmarkChanUncontended(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		c := make(chan msg, chanBurst)
		for pb.Next() {
			sendReceiveBurst(c)
		}
	})
}

// BenchmarkChanContended: the same on one channel of capacity
// 100 * GOMAXPROCS that all goroutines share.
func BenchmarkChanContended(b *testing.B) {
	c := make(chan msg, chanBurst*runtime.GOMAXPROCS(0))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			sendReceiveBurst(c)
		}
	})
}

// BenchmarkChanSync: two goroutines on one unbuffered channel; per op one
// receives then sends, the other sends then receives. Each does b.N/2 ops,
// rounded up.
func BenchmarkChanSync(b *testing.B) {
	perGoroutine := (b.N + 1) / 2
	c := make(chan msg)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < perGoroutine; i++ {
			<-c
			c <- 0
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < perGoroutine; i++ {
			c <- 0
			<-c
		}
	}()
	wg.Wait()
}

// callsPerSched: producers take the messages in batches of this many.
const callsPerSched = 1000

// batches hands out the b.N messages in batches of callsPerSched (Go's N).
type batches struct {
	next     atomic.Int64
	messages int64
}

// take returns the size of the next batch, 0 when all are taken.
func (bs *batches) take() int {
	first := (bs.next.Add(1) - 1) * callsPerSched
	return int(max(0, min(callsPerSched, bs.messages-first)))
}

// benchProdCons: GOMAXPROCS producers and as many consumers on one channel
// of capacity size. Producers send batches of 1, then a 0; a consumer
// receives until it gets a 0.
func benchProdCons(b *testing.B, size int) {
	procs := runtime.GOMAXPROCS(0)
	c := make(chan msg, size)
	work := &batches{messages: int64(b.N)}
	var wg sync.WaitGroup
	wg.Add(2 * procs)
	for p := 0; p < procs; p++ {
		go func() {
			defer wg.Done()
			for n := work.take(); n > 0; n = work.take() {
				for i := 0; i < n; i++ {
					c <- 1
				}
			}
			c <- 0
		}()
		go func() {
			defer wg.Done()
			for <-c != 0 {
			}
		}()
	}
	wg.Wait()
}

func BenchmarkChanProdCons0(b *testing.B)   { benchProdCons(b, 0) }
func BenchmarkChanProdCons10(b *testing.B)  { benchProdCons(b, 10) }
func BenchmarkChanProdCons100(b *testing.B) { benchProdCons(b, 100) }

// BenchmarkSelectProdCons: benchProdCons on capacity 128 with 100
// iterations of local work per message on both sides, each send and receive
// a select that also waits on a one-hour timer and a never-closed channel;
// the final 0 is a plain send.
func BenchmarkSelectProdCons(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	c := make(chan msg, 128)
	never := make(chan bool)
	work := &batches{messages: int64(b.N)}
	var sink atomic.Int64
	var wg sync.WaitGroup
	wg.Add(2 * procs)
	for p := 0; p < procs; p++ {
		go func() {
			defer wg.Done()
			local := 0
			timer := time.After(time.Hour)
			for n := work.take(); n > 0; n = work.take() {
				for i := 0; i < n; i++ {
					for j := 0; j < 100; j++ {
						local *= 2
						local /= 2
					}
					select {
					case c <- 1:
					case <-timer:
					case <-never:
					}
				}
			}
			c <- 0
			sink.Add(int64(local))
		}()
		go func() {
			defer wg.Done()
			local := 0
			timer := time.After(time.Hour)
			for {
				select {
				case v := <-c:
					if v == 0 {
						sink.Add(int64(local))
						return
					}
				case <-timer:
				case <-never:
				}
				for j := 0; j < 100; j++ {
					local *= 2
					local /= 2
				}
			}
		}()
	}
	wg.Wait()
}

// popularWaiters is the number of selecting goroutines of ChanPopular.
const popularWaiters = 1000

// BenchmarkChanPopular: popularWaiters goroutines, each with its own
// unbuffered channel, loop b.N times over a select on it and on one shared
// channel that never fires; per op the benchmark goroutine sends once on
// every goroutine's channel.
func BenchmarkChanPopular(b *testing.B) {
	popular := make(chan msg)
	own := make([]chan msg, popularWaiters)
	var wg sync.WaitGroup
	wg.Add(popularWaiters)
	for j := range own {
		d := make(chan msg)
		own[j] = d
		go func() {
			defer wg.Done()
			for i := 0; i < b.N; i++ {
				select {
				case <-popular:
				case <-d:
				}
			}
		}()
	}
	for i := 0; i < b.N; i++ {
		for _, d := range own {
			d <- 1
		}
	}
	wg.Wait()
}

// BenchmarkChanClosed: a non-blocking receive on a closed unbuffered channel
// that all goroutines share; it always finds the channel closed.
func BenchmarkChanClosed(b *testing.B) {
	c := make(chan msg)
	close(c)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			select {
			case <-c:
			default:
				b.Error("a closed channel was not ready")
			}
		}
	})
}
