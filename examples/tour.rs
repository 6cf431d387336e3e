//! A short tour of gosync: `cargo run --release --example tour`.
//!
//! Each section shows one primitive doing the job it is for.

use std::panic;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gosync::atomic_value::AtomicValue;
use gosync::channel::{after, bounded, select, select_async, Receiver, Sender};
use gosync::concurrent_map::Map;
use gosync::waitgroup::WaitGroup;

fn main() {
    println!("gosync tour\n===========");
    fan_out();
    fan_out_tasks();
    go_collects_results();
    guard_survives_a_panic();
    wait_with_a_deadline();
    config_hot_swap();
    read_mostly_cache();
    prime_sieve();
    pipeline_closed_from_upstream();
    select_worker_quit_timeout();
    async_pipeline_from_a_thread();
    select_async_worker_quit_timeout();
}

/// The classic: fan 10,000 tasks out over OS threads, join them with one
/// WaitGroup.
fn fan_out() {
    const TASKS: usize = 10_000;
    println!("\n1. Fan out {TASKS} tasks on OS threads, join with a WaitGroup");

    let wg = Arc::new(WaitGroup::new());
    let live = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let sum = Arc::new(AtomicUsize::new(0));

    let start = Instant::now();
    for i in 0..TASKS {
        let (live, peak, sum) = (Arc::clone(&live), Arc::clone(&peak), Arc::clone(&sum));
        // `go` = add(1) + spawn + done() when the closure ends. The handle
        // is dropped: the WaitGroup is how we join.
        drop(wg.go(move || {
            let now = live.fetch_add(1, Ordering::Relaxed) + 1;
            peak.fetch_max(now, Ordering::Relaxed);
            sum.fetch_add(i, Ordering::Relaxed);
            live.fetch_sub(1, Ordering::Relaxed);
        }));
    }
    wg.wait();
    let elapsed = start.elapsed();

    // Every task's writes are visible once `wait` returns (Go memory model).
    assert_eq!(sum.load(Ordering::Relaxed), TASKS * (TASKS - 1) / 2);
    println!(
        "   {TASKS} tasks done in {elapsed:.2?} ({:.1} µs per spawn+join), peak {} tasks running at once",
        elapsed.as_secs_f64() * 1e6 / TASKS as f64,
        peak.load(Ordering::Relaxed)
    );
}

/// The program every Go introduction opens with: 100,000 goroutines joined
/// by a WaitGroup, each sending its result over a channel that is ranged
/// over until `close`. Here the goroutines are tokio tasks: `wg.track`
/// is `wg.Add(1)` plus a `defer wg.Done()`, and `wait_async` is `Wait`.
fn fan_out_tasks() {
    const TASKS: u64 = 100_000;
    println!("\n1b. The same with {TASKS} tokio tasks: track + wait_async, results over a channel");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    let start = Instant::now();
    let sum = runtime.block_on(async {
        let wg = Arc::new(WaitGroup::new());
        let (results, results_rx) = gosync::channel::unbounded::<u64>();
        for i in 0..TASKS {
            let results = results.clone();
            tokio::spawn(wg.track(async move {
                tokio::task::yield_now().await;
                results.send_async(i).await.expect("the reader is running");
            }));
        }
        drop(results);
        // Close the results once every task is done (Go: go func() { wg.Wait(); close(ch) }()).
        let closer = {
            let wg = Arc::clone(&wg);
            tokio::spawn(async move { wg.wait_async().await })
        };
        let mut sum = 0;
        // The channel closes when the last task's sender is dropped.
        let mut stream = results_rx.stream();
        while let Some(v) = futures_next(&mut stream).await {
            sum += v;
        }
        closer.await.expect("the closer finishes");
        sum
    });
    let elapsed = start.elapsed();
    assert_eq!(sum, TASKS * (TASKS - 1) / 2);
    println!(
        "   {TASKS} tasks spawned, joined and ranged over in {elapsed:.2?} ({:.2} µs per task)",
        elapsed.as_secs_f64() * 1e6 / TASKS as f64
    );
}

/// `StreamExt::next` without the `futures` crate: one `poll_next`.
async fn futures_next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}

/// `wg.go` with results sent back over a std channel, Go style.
fn go_collects_results() {
    println!("\n2. wg.go(f): squares computed by 8 tasks");
    let wg = Arc::new(WaitGroup::new());
    let (tx, rx) = std::sync::mpsc::channel();
    for n in 1..=8u64 {
        let tx = tx.clone();
        wg.go(move || tx.send(n * n).unwrap());
    }
    wg.wait();
    drop(tx);
    let mut squares: Vec<u64> = rx.iter().collect();
    squares.sort_unstable();
    println!("   {squares:?}");
}

/// A `DoneGuard` calls `done()` while a panicking worker unwinds, so the
/// waiter is not left hanging (Go's `wg.Go` would crash the program).
fn guard_survives_a_panic() {
    println!("\n3. A DoneGuard survives a panicking worker");
    let wg = WaitGroup::new();
    let quiet = panic::take_hook();
    panic::set_hook(Box::new(|_| {})); // keep the tour's output readable
    let outcomes = std::thread::scope(|s| {
        let workers: Vec<_> = (0..3)
            .map(|id| {
                let guard = wg.guard();
                s.spawn(move || {
                    let _done = guard;
                    if id == 1 {
                        panic!("worker {id} failed");
                    }
                    id
                })
            })
            .collect();
        wg.wait(); // returns: the failed worker's guard called done()
        workers
            .into_iter()
            .map(|w| w.join().map_err(|_| "panicked"))
            .collect::<Vec<_>>()
    });
    panic::set_hook(quiet);
    println!("   wait() returned; worker outcomes: {outcomes:?}");
}

/// `wait_timeout` for a straggler.
fn wait_with_a_deadline() {
    println!("\n4. wait_timeout: give up on a straggler");
    let wg = Arc::new(WaitGroup::new());
    let release = Arc::new(WaitGroup::new());
    release.add(1);
    {
        let release = Arc::clone(&release);
        wg.go(move || release.wait()); // a task that waits for us
    }
    let done = wg.wait_timeout(Duration::from_millis(50));
    println!(
        "   after 50 ms: finished = {done}, still running = {}",
        wg.count()
    );
    release.done();
    wg.wait();
    println!(
        "   after releasing it: finished = true, still running = {}",
        wg.count()
    );
}

/// A configuration that request threads read on every request while an
/// operator thread swaps in new versions: Go's `atomic.Value` use case.
fn config_hot_swap() {
    #[derive(Debug)]
    struct Config {
        version: u64,
        /// Two fields that every version keeps consistent with each other,
        /// so a reader can tell a torn read (there are none).
        limit: u64,
        limit_doubled: u64,
    }
    fn config(version: u64) -> Config {
        Config {
            version,
            limit: version * 10,
            limit_doubled: version * 20,
        }
    }

    const READERS: usize = 3;
    const VERSIONS: u64 = 1_000;
    println!("\n5. AtomicValue: hot-swap a config under {READERS} reading threads");
    let current = Arc::new(AtomicValue::new(config(0)));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let start = Instant::now();
    let readers: Vec<_> = (0..READERS)
        .map(|_| {
            let (current, stop) = (Arc::clone(&current), Arc::clone(&stop));
            std::thread::spawn(move || {
                let (mut requests, mut last_version, mut versions_seen) = (0u64, 0, 1u64);
                // Relaxed: only a stop signal; the config itself is what the
                // AtomicValue publishes.
                while !stop.load(Ordering::Relaxed) {
                    let config = current.load().expect("a config is always stored");
                    assert_eq!(config.limit * 2, config.limit_doubled, "torn config");
                    // One thread's loads never go back in time.
                    assert!(config.version >= last_version);
                    if config.version != last_version {
                        versions_seen += 1;
                        last_version = config.version;
                    }
                    requests += 1;
                }
                (requests, versions_seen)
            })
        })
        .collect();
    for version in 1..=VERSIONS {
        current.store(config(version));
        if version % 100 == 0 {
            std::thread::sleep(Duration::from_millis(1)); // an operator's pace
        }
    }
    // Relaxed: see the readers' loop.
    stop.store(true, Ordering::Relaxed);
    let results: Vec<(u64, u64)> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    let elapsed = start.elapsed();
    let requests: u64 = results.iter().map(|r| r.0).sum();
    println!(
        "   {VERSIONS} versions stored while the readers served {requests} requests in \
         {elapsed:.2?} ({:.0} M loads/s in all, {READERS} readers and a writer on {} CPUs)",
        requests as f64 / elapsed.as_secs_f64() / 1e6,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for (i, (served, seen)) in results.iter().enumerate() {
        println!(
            "   reader {i}: {served} requests, saw {seen} distinct versions, never a torn one"
        );
    }
    println!(
        "   final version {} (loads use {} fences)",
        current.load().unwrap().version,
        if gosync::atomic_value::uses_asymmetric_fences() {
            "asymmetric membarrier"
        } else {
            "symmetric SeqCst"
        }
    );
}

/// A cache that many threads read and a few fill or invalidate: Go's
/// `sync.Map` use case ("an entry written once but read many times").
fn read_mostly_cache() {
    const READERS: usize = 3;
    const USERS: u64 = 1_000;
    const LOOKUPS: u64 = 300_000;
    /// The expensive thing the cache saves: a user's profile, computed.
    fn profile(user: u64) -> (u64, u64) {
        (user, user.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40)
    }

    println!("\n6. Map: a read-mostly cache under {READERS} readers and one invalidating writer");
    let cache: Arc<Map<u64, (u64, u64)>> = Arc::new(Map::new());
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let start = Instant::now();
    let readers: Vec<_> = (0..READERS as u64)
        .map(|reader| {
            let cache = Arc::clone(&cache);
            std::thread::spawn(move || {
                let (mut hits, mut misses) = (0u64, 0u64);
                let mut random = 0x2545_F491_4F6C_DD1D ^ (reader + 1);
                for _ in 0..LOOKUPS {
                    // Skewed, as caches are: 9 lookups in 10 go to the
                    // hottest tenth of the users.
                    random ^= random << 13;
                    random ^= random >> 7;
                    random ^= random << 17;
                    let spread = if random % 10 == 0 { USERS } else { USERS / 10 };
                    let key = (random >> 8) % spread;
                    match cache.load(&key) {
                        Some(found) => {
                            assert_eq!(*found, profile(key), "a wrong profile");
                            hits += 1;
                        }
                        None => {
                            // Fill it; if another reader beat us, use theirs.
                            let (value, _) = cache.load_or_store(key, profile(key));
                            assert_eq!(*value, profile(key));
                            misses += 1;
                        }
                    }
                }
                (hits, misses)
            })
        })
        .collect();
    let invalidator = {
        let (cache, stop) = (Arc::clone(&cache), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut invalidated = 0u64;
            // Relaxed: only a stop signal.
            while !stop.load(Ordering::Relaxed) {
                cache.delete(&(invalidated % USERS));
                invalidated += 1;
                std::thread::sleep(Duration::from_micros(200)); // rare writes
            }
            invalidated
        })
    };
    let results: Vec<(u64, u64)> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    // Relaxed: see the invalidator's loop.
    stop.store(true, Ordering::Relaxed);
    let invalidated = invalidator.join().unwrap();
    let elapsed = start.elapsed();
    let (hits, misses) = results
        .iter()
        .fold((0, 0), |(h, m), (rh, rm)| (h + rh, m + rm));
    let mut cached = 0;
    cache.range(|_, _| {
        cached += 1;
        true
    });
    println!(
        "   {} lookups in {elapsed:.2?}: {hits} hits, {misses} misses ({:.1}% hits), \
         {invalidated} invalidations, {cached} profiles cached at the end",
        hits + misses,
        100.0 * hits as f64 / (hits + misses) as f64
    );
    for (i, (h, m)) in results.iter().enumerate() {
        println!("   reader {i}: {h} hits, {m} misses");
    }
}

/// Go's concurrent prime sieve: a chain of threads joined by unbuffered
/// channels, each filtering out the multiples of one prime.
fn prime_sieve() {
    const PRIMES: usize = 25;
    println!("\n7. Channels: the concurrent prime sieve, {PRIMES} filter threads joined by rendezvous channels");
    /// Sends 2, 3, 4, ... until the channel is closed.
    fn generate(out: Sender<u64>) {
        for n in 2.. {
            if out.send(n).is_err() {
                return; // the sieve is done
            }
        }
    }
    /// Copies what is not a multiple of `prime` from `input` to `out`.
    fn filter(input: Receiver<u64>, out: Sender<u64>, prime: u64) {
        for n in &input {
            if n % prime != 0 && out.send(n).is_err() {
                return;
            }
        }
    }
    let start = Instant::now();
    let (tx, mut input) = bounded(0);
    let mut threads = vec![std::thread::spawn(move || generate(tx))];
    let mut primes = Vec::with_capacity(PRIMES);
    for _ in 0..PRIMES {
        let prime = input.recv().expect("the chain never closes before we stop");
        primes.push(prime);
        let (tx, next) = bounded(0);
        threads.push(std::thread::spawn(move || filter(input, tx, prime)));
        input = next;
    }
    // Closing the last channel makes the last filter's send fail; it
    // returns and drops its input, which makes the one before it fail, and
    // so on up the chain to the generator.
    drop(input);
    for thread in threads {
        thread.join().unwrap();
    }
    println!("   {primes:?}");
    println!(
        "   {PRIMES} primes and {} threads shut down in {:.2?}",
        PRIMES + 1,
        start.elapsed()
    );
    assert_eq!(primes[PRIMES - 1], 97);
}

/// A three-stage pipeline closed from upstream: the source closes its
/// channel when done, each stage drains its input and then closes its
/// output, and the sink sees every item exactly once.
fn pipeline_closed_from_upstream() {
    const ITEMS: u64 = 100_000;
    println!("\n8. Channels: a pipeline closed from upstream drains cleanly ({ITEMS} items)");
    let start = Instant::now();
    let (source_tx, source_rx) = bounded(64);
    let (squared_tx, squared_rx) = bounded(64);
    let source = std::thread::spawn(move || {
        for n in 0..ITEMS {
            source_tx.send(n).unwrap();
        }
        source_tx.close(); // (dropping it would close it too)
    });
    // Two workers share the middle stage; the output closes when both
    // have dropped their senders.
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (input, out) = (source_rx.clone(), squared_tx.clone());
            std::thread::spawn(move || {
                let mut done = 0u64;
                for n in &input {
                    out.send(n * n).unwrap();
                    done += 1;
                }
                done
            })
        })
        .collect();
    drop((source_rx, squared_tx));
    let (count, sum) = squared_rx
        .iter()
        .fold((0u64, 0u64), |(c, s), v| (c + 1, s.wrapping_add(v)));
    source.join().unwrap();
    let shares: Vec<u64> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let expected: u64 = (0..ITEMS).map(|n| n * n).fold(0, u64::wrapping_add);
    assert_eq!(
        (count, sum),
        (ITEMS, expected),
        "every item arrived exactly once"
    );
    println!(
        "   {count} items through 2 stages in {:.2?}; the two workers took {:?}; sink saw the close after the last item",
        start.elapsed(),
        shares
    );
}

/// A select over a worker's results, a quit channel and a timeout: the
/// shape of most Go event loops.
fn select_worker_quit_timeout() {
    println!("\n9. select!: results, quit and a timeout in one loop");
    let (results_tx, results_rx) = bounded::<u64>(8);
    let (quit_tx, quit_rx) = bounded::<()>(0);
    let worker = std::thread::spawn(move || {
        let mut n = 0;
        // Produce until told to quit; `select!` also offers the send.
        loop {
            select! {
                send(results_tx, n * n) -> sent => {
                    if sent.is_err() {
                        return n;
                    }
                    n += 1;
                }
                recv(quit_rx) -> _ => return n, // closed: quit
            }
        }
    });
    let deadline = after(Duration::from_millis(20));
    let (mut received, mut timed_out) = (0u64, false);
    loop {
        select! {
            recv(results_rx) -> result => {
                result.expect("the worker runs until we quit");
                received += 1;
                if received == 1_000 {
                    break;
                }
            }
            recv(deadline) -> _ => {
                timed_out = true;
                break;
            }
        }
    }
    quit_tx.close();
    drop(results_rx); // a send blocked on a full channel fails now
    let produced = worker.join().unwrap();
    println!(
        "   received {received} results ({}), worker produced {produced} and quit on close",
        if timed_out {
            "stopped by after(20ms)"
        } else {
            "stopped at 1000"
        }
    );
}

/// One channel for threads and tasks: a blocking producer thread feeds a
/// pipeline of tokio tasks over two buffered channels.
fn async_pipeline_from_a_thread() {
    const ITEMS: u64 = 100_000;
    println!("\n10. A blocking producer thread feeding async tasks (tokio, 2 workers)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    let (raw_tx, raw_rx) = bounded::<u64>(64);
    let (squares_tx, squares_rx) = bounded::<u64>(64);
    let start = Instant::now();
    // A plain thread, blocking while the channel is full.
    let producer = std::thread::spawn(move || {
        for n in 0..ITEMS {
            raw_tx.send(n).expect("the pipeline is running");
        }
    });
    let sum = runtime.block_on(async move {
        let squarer = tokio::spawn(async move {
            while let Ok(n) = raw_rx.recv_async().await {
                squares_tx
                    .send_async(n * n)
                    .await
                    .expect("the summer is running");
            }
            // `squares_tx` dropped: the summer's loop ends.
        });
        let mut sum = 0u64;
        while let Ok(square) = squares_rx.recv_async().await {
            sum = sum.wrapping_add(square);
        }
        squarer.await.expect("the squarer finishes");
        sum
    });
    producer.join().expect("the producer finishes");
    let elapsed = start.elapsed();
    let expected = (0..ITEMS).fold(0u64, |acc, n| acc.wrapping_add(n * n));
    assert_eq!(sum, expected);
    println!(
        "   {ITEMS} items through thread -> task -> task in {elapsed:.2?} ({:.0} ns per item)",
        elapsed.as_secs_f64() * 1e9 / ITEMS as f64
    );
}

/// Section 9 again, inside a tokio task: `select_async!` with a quit
/// channel and `after()`, and a worker task that selects on its send.
fn select_async_worker_quit_timeout() {
    println!("\n11. select_async!: results, quit and a timeout in a task's loop");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    let (received, produced, timed_out) = runtime.block_on(async {
        let (results_tx, results_rx) = bounded::<u64>(8);
        let (quit_tx, quit_rx) = bounded::<()>(0);
        let worker = tokio::spawn(async move {
            let mut n = 0;
            loop {
                select_async! {
                    send(results_tx, n * n) -> sent => {
                        if sent.is_err() {
                            return n;
                        }
                        n += 1;
                    }
                    recv(quit_rx) -> _ => return n,
                }
            }
        });
        let deadline = after(Duration::from_millis(20));
        let (mut received, mut timed_out) = (0u64, false);
        loop {
            select_async! {
                recv(results_rx) -> result => {
                    result.expect("the worker runs until we quit");
                    received += 1;
                    if received == 1_000 {
                        break;
                    }
                }
                recv(deadline) -> _ => {
                    timed_out = true;
                    break;
                }
            }
        }
        quit_tx.close();
        drop(results_rx);
        let produced = worker.await.expect("the worker quits");
        (received, produced, timed_out)
    });
    println!(
        "   received {received} results ({}), the worker task produced {produced} and quit on close",
        if timed_out {
            "stopped by after(20ms)"
        } else {
            "stopped at 1000"
        }
    );
}
