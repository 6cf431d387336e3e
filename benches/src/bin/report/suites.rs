//! What the report shows: one [`CrateSuite`] per crate (its workloads, its
//! peers, the Go benchmark of each workload) and the false-sharing rows of
//! every crate.
//!
//! A new crate appends its suite to [`CRATES`] (and its false-sharing rows,
//! if any, to [`FALSE_SHARING`]); `benches/report.sh` gets the cargo bench
//! target and the Go benchmark pattern in its `SUITES` list.

/// One implementation under test: a criterion function name in every group
/// of the suite, and how the report labels it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Impl {
    /// The criterion function (`group/<id>`).
    pub(crate) id: &'static str,
    /// Column header and chart legend.
    pub(crate) label: &'static str,
}

/// One workload: a criterion group (one function per implementation) and
/// the Go benchmark that does the same.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Workload {
    /// Row label.
    pub(crate) name: &'static str,
    /// The criterion group.
    pub(crate) group: &'static str,
    /// The Go benchmark, without `Benchmark`; `None` if Go has none.
    pub(crate) go: Option<&'static str>,
}

/// A measurement shown as one line under a crate's table, not as a row
/// (e.g. the cost of the local work that some workloads include).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Calibration {
    /// What it is.
    pub(crate) label: &'static str,
    /// Criterion id (`group/function`) of the Rust measurement.
    pub(crate) rust: &'static str,
    /// The Go benchmark, if there is one.
    pub(crate) go: Option<&'static str>,
}

/// A line under a crate's table: one row's time over another row's, for
/// every implementation and Go (e.g. how a load scales from one thread to
/// two).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowRatio {
    /// What the ratio says (Markdown).
    pub(crate) label: &'static str,
    /// Numerator: the workload's criterion group.
    pub(crate) num: &'static str,
    /// Denominator: the workload's criterion group.
    pub(crate) den: &'static str,
}

/// One crate's side-by-side comparison: a table and a chart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CrateSuite {
    /// The crate (`gosync-waitgroup`).
    pub(crate) krate: &'static str,
    /// Section title (`WaitGroup`).
    pub(crate) title: &'static str,
    /// File stem of the chart in `benches/charts/`.
    pub(crate) chart: &'static str,
    /// The Go type it is measured against (`sync.WaitGroup`).
    pub(crate) go_type: &'static str,
    /// Our implementation.
    pub(crate) ours: Impl,
    /// The Rust implementations we compare with: a column each, and the
    /// fastest of them in a row is that row's "best peer".
    pub(crate) peers: &'static [Impl],
    /// Columns shown after the peers for reference, never "best peer":
    /// another entry point of ours (`AtomicValue::load_arc`) or a floor that
    /// is no implementation at all (a bare `AtomicPtr` load).
    pub(crate) references: &'static [Impl],
    /// The rows.
    pub(crate) workloads: &'static [Workload],
    /// Lines under the table.
    pub(crate) calibrations: &'static [Calibration],
    /// Lines under the table, after the calibrations.
    pub(crate) row_ratios: &'static [RowRatio],
    /// Cells that are not measured because the implementation cannot
    /// express the workload (no select, no shared receiver): they read `—`,
    /// count as no problem and never as "best peer".
    pub(crate) not_expressible: &'static [NotExpressible],
    /// How to read the table (Markdown), printed under it.
    pub(crate) notes: &'static str,
}

/// The workloads one implementation of a [`CrateSuite`] has no criterion
/// function for, because it cannot express them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotExpressible {
    /// The implementation ([`Impl::id`]).
    pub(crate) id: &'static str,
    /// The criterion groups it is absent from.
    pub(crate) groups: &'static [&'static str],
}

impl CrateSuite {
    /// Whether implementation `id` has a result in criterion group `group`
    /// (every implementation does, unless [`CrateSuite::not_expressible`]
    /// says otherwise).
    pub(crate) fn expresses(&self, group: &str, id: &str) -> bool {
        !self
            .not_expressible
            .iter()
            .any(|n| n.id == id && n.groups.contains(&group))
    }
}

/// Where the two threads' objects sit relative to each other: the columns
/// of the false-sharing chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Both in one 64-byte cache line.
    SameLine,
    /// 64 bytes apart: separate lines, one 128-byte pair of lines.
    Apart64,
    /// 128 bytes apart.
    Apart128,
    /// The crate's shipped type, padded as it ships.
    Shipped,
}

impl Layout {
    /// Every layout, in chart order.
    pub(crate) const ALL: [Layout; 4] = [
        Layout::SameLine,
        Layout::Apart64,
        Layout::Apart128,
        Layout::Shipped,
    ];

    /// The chart legend.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Layout::SameLine => "same 64-byte line",
            Layout::Apart64 => "64 bytes apart",
            Layout::Apart128 => "128 bytes apart",
            Layout::Shipped => "shipped type (own 128-byte slot)",
        }
    }
}

/// One false-sharing measurement: a criterion function of the group.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FsEntry {
    /// The layout.
    pub(crate) layout: Layout,
    /// The criterion function.
    pub(crate) function: &'static str,
    /// What it is (table text).
    pub(crate) what: &'static str,
}

/// A ratio worth a line of its own under the false-sharing table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Headline {
    /// What the ratio says.
    pub(crate) text: &'static str,
    /// Numerator function.
    pub(crate) num: &'static str,
    /// Denominator function.
    pub(crate) den: &'static str,
}

/// A false-sharing criterion group: two threads, each on its own object,
/// the objects laid out in several ways.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FalseSharing {
    /// The crate, or `calibration`.
    pub(crate) krate: &'static str,
    /// Chart row label.
    pub(crate) label: &'static str,
    /// The criterion group.
    pub(crate) group: &'static str,
    /// Its functions.
    pub(crate) entries: &'static [FsEntry],
    /// The function every entry's ratio is relative to.
    pub(crate) baseline: &'static str,
    /// Lines under the table.
    pub(crate) headlines: &'static [Headline],
}

/// Every crate's comparison, in report order.
pub(crate) const CRATES: &[CrateSuite] = &[
    WAITGROUP,
    ATOMIC_VALUE_LOADS,
    ATOMIC_VALUE_CACHED_LOADS,
    ATOMIC_VALUE_WRITES,
    MAP_READS,
    MAP_WRITES,
    CHANNEL_BOUNDED_0_1,
    CHANNEL_BOUNDED_N_UNBOUNDED,
    CHANNEL_PING_PONG,
    CHANNEL_GO_RUNTIME,
    CHANNEL_ASYNC_MT,
    CHANNEL_ASYNC_CT,
    WAITGROUP_ASYNC,
];

/// Every crate's false-sharing groups, in report order; one table and one
/// chart for all of them.
pub(crate) const FALSE_SHARING: &[FalseSharing] = &[
    FalseSharing {
        krate: "gosync-waitgroup",
        label: "WaitGroup add(1); done()",
        group: "FalseSharingAddDone",
        entries: &[
            FsEntry {
                layout: Layout::Shipped,
                function: "gosync_padded128",
                what: "shipped gosync WaitGroup, 128-byte slots",
            },
            FsEntry {
                layout: Layout::SameLine,
                function: "raw_unpadded",
                what: "same code, unpadded (24 bytes apart, one 64-byte line)",
            },
            FsEntry {
                layout: Layout::Apart64,
                function: "raw_padded64",
                what: "same code, 64 bytes apart",
            },
            FsEntry {
                layout: Layout::Apart128,
                function: "raw_padded128",
                what: "same code, 128 bytes apart",
            },
        ],
        baseline: "raw_padded128",
        headlines: &[
            Headline {
                text: "WaitGroup, unpadded / shipped padded gosync",
                num: "raw_unpadded",
                den: "gosync_padded128",
            },
            Headline {
                text: "WaitGroup, 64-byte spacing / 128-byte spacing",
                num: "raw_padded64",
                den: "raw_padded128",
            },
            Headline {
                text: "WaitGroup, re-padded to 128 / shipped gosync (same code and spacing: \
                       expected ≈ 1)",
                num: "raw_padded128",
                den: "gosync_padded128",
            },
        ],
    },
    FalseSharing {
        krate: "gosync-atomic-value",
        label: "AtomicValue store; load",
        group: "FalseSharingAtomicValue",
        entries: &[
            FsEntry {
                layout: Layout::Shipped,
                function: "gosync_padded128",
                what: "shipped gosync AtomicValue, 128-byte slots",
            },
            FsEntry {
                layout: Layout::SameLine,
                function: "raw_unpadded",
                what: "same code, unpadded (adjacent: the line where the first ends and \
                       the second begins holds parts of both)",
            },
            FsEntry {
                layout: Layout::Apart128,
                function: "raw_padded128",
                what: "same code, 128 bytes apart (CachePadded; the value is over 64 bytes, \
                       so there is no 64-byte variant)",
            },
        ],
        baseline: "raw_padded128",
        headlines: &[
            Headline {
                text: "AtomicValue, unpadded / shipped padded gosync",
                num: "raw_unpadded",
                den: "gosync_padded128",
            },
            Headline {
                text: "AtomicValue, re-padded to 128 / shipped gosync (same code and spacing: \
                       expected ≈ 1)",
                num: "raw_padded128",
                den: "gosync_padded128",
            },
        ],
    },
    FalseSharing {
        krate: "gosync-concurrent-map",
        label: "Map LoadMostlyHits",
        group: "FalseSharingMap",
        entries: &[
            FsEntry {
                layout: Layout::Shipped,
                function: "shipped",
                what: "shipped gosync Map, Go's LoadMostlyHits on a thread's own map",
            },
            FsEntry {
                layout: Layout::SameLine,
                function: "unpadded",
                what: "same code without its padding (UnpaddedMap), the two maps adjacent",
            },
        ],
        baseline: "shipped",
        headlines: &[Headline {
            text: "Map, unpadded / shipped padded gosync (LoadMostlyHits on a thread's own map)",
            num: "unpadded",
            den: "shipped",
        }],
    },
    FalseSharing {
        krate: "gosync-concurrent-map",
        label: "Map LoadMostlyHits beside a misser",
        group: "FalseSharingMapMisses",
        entries: &[
            FsEntry {
                layout: Layout::Shipped,
                function: "shipped",
                what: "shipped gosync Map: one thread's lock-free loads while another takes the lock and counts misses on the same map",
            },
            FsEntry {
                layout: Layout::SameLine,
                function: "unpadded",
                what: "same code without its padding (UnpaddedMap): snapshot pointer, lock and misses counter in one line",
            },
        ],
        baseline: "shipped",
        headlines: &[Headline {
            text: "Map, unpadded / shipped padded gosync (the reader's loads while another thread misses the same map)",
            num: "unpadded",
            den: "shipped",
        }],
    },
    FalseSharing {
        krate: "gosync-channel",
        label: "channel SPSC, bounded(1024)",
        group: "FalseSharingChannel",
        entries: &[
            FsEntry {
                layout: Layout::Shipped,
                function: "shipped",
                what: "gosync's bounded channel as shipped (`RawBounded<u64, Padded>`): one \
                       producer, one consumer, capacity 1024",
            },
            FsEntry {
                layout: Layout::SameLine,
                function: "unpadded",
                what: "same code without its cache-line padding (`RawBounded<u64, Unpadded>`): \
                       the producer's and the consumer's indices share lines",
            },
        ],
        baseline: "shipped",
        headlines: &[Headline {
            text: "channel, unpadded / shipped padded gosync (SPSC over bounded(1024))",
            num: "unpadded",
            den: "shipped",
        }],
    },
    FalseSharing {
        krate: "calibration",
        label: "bare AtomicU64 fetch_add",
        group: "FalseSharingAtomic",
        entries: &[
            FsEntry {
                layout: Layout::SameLine,
                function: "shared_line",
                what: "bare AtomicU64 fetch_add, same line",
            },
            FsEntry {
                layout: Layout::Apart64,
                function: "padded64",
                what: "bare AtomicU64 fetch_add, 64 bytes apart",
            },
            FsEntry {
                layout: Layout::Apart128,
                function: "padded128",
                what: "bare AtomicU64 fetch_add, 128 bytes apart (CachePadded)",
            },
        ],
        baseline: "padded128",
        headlines: &[Headline {
            text: "calibration, bare atomics on one line / 128 bytes apart \
                   (the machine's raw false-sharing cost)",
            num: "shared_line",
            den: "padded128",
        }],
    },
];

const WAITGROUP: CrateSuite = CrateSuite {
    krate: "gosync-waitgroup",
    title: "WaitGroup",
    chart: "waitgroup",
    go_type: "sync.WaitGroup",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: &[
        Impl {
            id: "crossbeam",
            label: "crossbeam",
        },
        Impl {
            id: "mutex_condvar",
            label: "mutex+condvar",
        },
    ],
    references: &[],
    workloads: &[
        Workload {
            name: "Uncontended",
            group: "WaitGroupUncontended",
            go: Some("WaitGroupUncontended"),
        },
        Workload {
            name: "AddDone",
            group: "WaitGroupAddDone",
            go: Some("WaitGroupAddDone"),
        },
        Workload {
            name: "AddDoneWork",
            group: "WaitGroupAddDoneWork",
            go: Some("WaitGroupAddDoneWork"),
        },
        Workload {
            name: "Wait",
            group: "WaitGroupWait",
            go: Some("WaitGroupWait"),
        },
        Workload {
            name: "WaitWork",
            group: "WaitGroupWaitWork",
            go: Some("WaitGroupWaitWork"),
        },
        Workload {
            name: "ActuallyWait",
            group: "WaitGroupActuallyWait",
            go: Some("WaitGroupActuallyWait"),
        },
        Workload {
            name: "ActuallyWaitSingle",
            group: "WaitGroupActuallyWaitSingle",
            go: Some("WaitGroupActuallyWaitSingle"),
        },
        Workload {
            name: "WakeLatency",
            group: "WaitGroupWakeLatency",
            go: Some("WaitGroupWakeLatency"),
        },
        Workload {
            name: "WakeLatencyParked",
            group: "WaitGroupWakeLatencyParked",
            go: Some("WaitGroupWakeLatencyParked"),
        },
    ],
    calibrations: &[Calibration {
        label: "Local work alone (`LocalWorkOnly`, calibration for the ...Work rows)",
        rust: "LocalWorkOnly/rust",
        go: Some("LocalWorkOnly"),
    }],
    row_ratios: &[],
    not_expressible: &[],
    notes: "Reading notes (details in `benches/README.md`): the `...Work` rows include the \
        local work, which costs more in Rust than in Go (Go's compiler deletes its arithmetic; \
        see the calibration line). `ActuallyWait` runs 4 OS threads on 2 cores in Rust but \
        goroutines on 2 Ps in Go, so its Go ratio compares mechanisms; `ActuallyWaitSingle` is \
        the same with one waiter and one helper, not oversubscribed. `WakeLatency` and \
        `WakeLatencyParked` depend on where the scheduler puts the two threads and on how fast \
        the VM wakes an idle vCPU (30-50 µs when the waiter's vCPU has gone idle, ~1-3 µs for \
        an ordinary context switch, ~0.15 µs when a spinning waiter just sees the done); which \
        mix a run gets varies, so these rows (and `ActuallyWait`) can move 10-300x between \
        runs, and their min–max ranges are wide. Rerun before trusting one run's ratio there.",
};

/// The three load groups, shared by the plain and the cached loads' tables.
const VALUE_LOAD_WORKLOADS: &[Workload] = &[
    Workload {
        name: "Load",
        group: "ValueLoad",
        go: Some("ValueLoad"),
    },
    Workload {
        name: "LoadParallel (per thread)",
        group: "ValueLoadParallel",
        go: Some("ValueLoadParallel"),
    },
    Workload {
        name: "LoadWhileStoring",
        group: "ValueLoadWhileStoring",
        go: Some("ValueLoadWhileStoring"),
    },
];

/// `AtomicValue`'s read side. Ours is `load()` (the guard); the peers are
/// what a Rust program would use instead, so "best peer" is normally
/// arc-swap's `load()`, the other guard-based lock-free load. `load_arc()`
/// (ours, another entry point) and the bare `AtomicPtr` floor are
/// references: columns, never "best peer".
const ATOMIC_VALUE_LOADS: CrateSuite = CrateSuite {
    krate: "gosync-atomic-value",
    title: "AtomicValue loads",
    chart: "atomic_value_load",
    go_type: "atomic.Value",
    ours: Impl {
        id: "gosync",
        label: "gosync load()",
    },
    peers: &[
        Impl {
            id: "arc_swap_load",
            label: "arc-swap load()",
        },
        Impl {
            id: "arc_swap_load_full",
            label: "arc-swap load_full()",
        },
        Impl {
            id: "rwlock_arc",
            label: "RwLock read guard",
        },
    ],
    references: &[
        Impl {
            id: "gosync_load_arc",
            label: "gosync load_arc()",
        },
        Impl {
            id: "atomic_ptr_floor",
            label: "AtomicPtr floor",
        },
    ],
    workloads: VALUE_LOAD_WORKLOADS,
    calibrations: &[],
    row_ratios: &[RowRatio {
        label: "Read scaling, `ValueLoadParallel` / `ValueLoad` (time per load of one thread, \
                2 threads / 1 thread; at most 1.11 means each of 2 threads keeps at least 0.9× \
                the single-thread throughput, i.e. the loads share no written cache line; \
                the floor writes nothing at all, so its ratio is what the machine itself \
                allows, e.g. when its two vCPUs share a host core)",
        num: "ValueLoadParallel",
        den: "ValueLoad",
    }],
    not_expressible: &[],
    notes: "Reading notes (details in `benches/README.md`): every load reads the `u64` through \
        what the load returned and drops it. Unlike the other tables, every time here is per \
        operation *of one thread*: `LoadParallel` runs the full count of loads on each of the 2 \
        threads (Go's `BenchmarkValueRead` shape; the Go benchmark reports the same per-goroutine \
        time), and `LoadWhileStoring` times the loading thread while a second thread stores \
        back to back. \"best peer\" is the fastest of arc-swap `load()`, arc-swap `load_full()` \
        and the `RwLock` read guard; `gosync load_arc()` (our `Arc`-returning load) and the \
        `AtomicPtr` floor (an Acquire load of a pointer to a never-freed `static` and a read \
        through it: no protection, no reclamation, what no real implementation can beat) are \
        reference columns only. The floor's \"stores\" only flip the pointer between two \
        statics, without allocating.",
};

/// The cached readers (`Reader` and arc-swap's `Cache`), one per loading
/// thread, in the same load groups: ours against arc-swap's, with the plain
/// `load()` and the `AtomicPtr` floor as references.
const ATOMIC_VALUE_CACHED_LOADS: CrateSuite = CrateSuite {
    krate: "gosync-atomic-value",
    title: "AtomicValue cached loads",
    chart: "atomic_value_reader",
    go_type: "atomic.Value",
    ours: Impl {
        id: "gosync_reader",
        label: "gosync Reader::load()",
    },
    peers: &[Impl {
        id: "arc_swap_cache",
        label: "arc-swap Cache::load()",
    }],
    references: &[
        Impl {
            id: "gosync",
            label: "gosync load()",
        },
        Impl {
            id: "atomic_ptr_floor",
            label: "AtomicPtr floor",
        },
    ],
    workloads: VALUE_LOAD_WORKLOADS,
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[],
    notes: "Reading notes: each loading thread keeps its own cached reader (`AtomicValue::reader()`, \
        `arc_swap::Cache::new(&swap)`), made and loaded once before the clock starts; times are per \
        load of one thread, as in the table above. Go has no cached reader: its column is Go's plain \
        `Load`, the same as above. `LoadWhileStoring` makes most loads find a new value (the storer \
        stores back to back), so it measures the refresh as much as the check.",
};

/// `AtomicValue`'s write side: `store`, `swap`, `compare_and_swap`.
const ATOMIC_VALUE_WRITES: CrateSuite = CrateSuite {
    krate: "gosync-atomic-value",
    title: "AtomicValue writes",
    chart: "atomic_value_store",
    go_type: "atomic.Value",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: &[
        Impl {
            id: "arc_swap",
            label: "arc-swap",
        },
        Impl {
            id: "rwlock_arc",
            label: "RwLock write",
        },
    ],
    references: &[],
    workloads: &[
        Workload {
            name: "Store",
            group: "ValueStore",
            go: Some("ValueStore"),
        },
        Workload {
            name: "Swap",
            group: "ValueSwap",
            go: Some("ValueSwap"),
        },
        Workload {
            name: "CompareAndSwap",
            group: "ValueCompareAndSwap",
            go: Some("ValueCompareAndSwap"),
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[],
    notes: "Reading notes (details in `benches/README.md`): one thread, nobody loading. Every \
        write allocates the new value (`Arc::new`; in Go, boxing the `uint64` in an interface) \
        and, in Rust, frees the old one (or hands it to the implementation's reclamation); Go \
        leaves the old one to its garbage collector, whose cost shows only in part. arc-swap's \
        `compare_and_swap` compares pointers, so its row loads, compares the value, then \
        compare-and-swaps against the loaded pointer (one extra load); ours and Go's compare \
        values. The `RwLock` rows drop the old `Arc` after releasing the write lock.",
};

/// The notes under both `Map` tables.
const MAP_NOTES: &str = "Reading notes (details in `benches/README.md`): every row is one of \
    the 24 benchmarks of Go's own `src/sync/map_bench_test.go` (same key spaces, setup and \
    per-goroutine bodies; keys and values `u64`, Go's boxed `int`s), 2 threads, time per \
    operation = wall time over the iterations of both threads (Go's `RunParallel` ns/op; an \
    iteration may make several calls, e.g. `Swap` then `Delete`). `gosync`, papaya, dashmap and \
    the `RwLock<HashMap>` all hash with std's SipHash-1-3 (`RandomState`); `gosync + foldhash` \
    is the same gosync map with `foldhash::fast::RandomState`, a reference column (never \
    \"best peer\") that shows how much of a row is hashing. papaya pins per call (`map.pin()`); \
    operations a peer lacks use its natural primitive (papaya `compute` for `CompareAndSwap`, \
    dashmap `get_mut`, `entry` and `remove_if`, the `RwLock` as Go's `RWMutexMap`: read lock \
    for `Load`, write lock for the rest). Go's column is Go 1.27's `sync.Map`, since Go 1.24 a \
    hash-trie (not the read/dirty split that gosync mirrors), with `any` keys and values.";

/// `Map`'s loads, `LoadOrStore`, `LoadAndDelete`, `Range` and Go's two
/// adversarial workloads: the first half of Go's `map_bench_test.go`.
const MAP_READS: CrateSuite = CrateSuite {
    krate: "gosync-concurrent-map",
    title: "Map: Load, LoadOrStore, LoadAndDelete, Range",
    chart: "concurrent_map_load",
    go_type: "sync.Map",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: &[
        Impl {
            id: "papaya",
            label: "papaya",
        },
        Impl {
            id: "dashmap",
            label: "dashmap",
        },
        Impl {
            id: "rwlock_hashmap",
            label: "RwLock+HashMap",
        },
    ],
    references: &[Impl {
        id: "gosync_foldhash",
        label: "gosync + foldhash",
    }],
    workloads: &[
        Workload {
            name: "LoadMostlyHits",
            group: "MapLoadMostlyHits",
            go: Some("MapLoadMostlyHits"),
        },
        Workload {
            name: "LoadMostlyMisses",
            group: "MapLoadMostlyMisses",
            go: Some("MapLoadMostlyMisses"),
        },
        Workload {
            name: "LoadOrStoreBalanced",
            group: "MapLoadOrStoreBalanced",
            go: Some("MapLoadOrStoreBalanced"),
        },
        Workload {
            name: "LoadOrStoreUnique",
            group: "MapLoadOrStoreUnique",
            go: Some("MapLoadOrStoreUnique"),
        },
        Workload {
            name: "LoadOrStoreCollision",
            group: "MapLoadOrStoreCollision",
            go: Some("MapLoadOrStoreCollision"),
        },
        Workload {
            name: "LoadAndDeleteBalanced",
            group: "MapLoadAndDeleteBalanced",
            go: Some("MapLoadAndDeleteBalanced"),
        },
        Workload {
            name: "LoadAndDeleteUnique",
            group: "MapLoadAndDeleteUnique",
            go: Some("MapLoadAndDeleteUnique"),
        },
        Workload {
            name: "LoadAndDeleteCollision",
            group: "MapLoadAndDeleteCollision",
            go: Some("MapLoadAndDeleteCollision"),
        },
        Workload {
            name: "Range",
            group: "MapRange",
            go: Some("MapRange"),
        },
        Workload {
            name: "AdversarialAlloc",
            group: "MapAdversarialAlloc",
            go: Some("MapAdversarialAlloc"),
        },
        Workload {
            name: "AdversarialDelete",
            group: "MapAdversarialDelete",
            go: Some("MapAdversarialDelete"),
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[],
    notes: MAP_NOTES,
};

/// `Map`'s `Delete`, `Swap`, `CompareAndSwap`, `CompareAndDelete` and
/// `Clear`: the second half of Go's `map_bench_test.go`.
const MAP_WRITES: CrateSuite = CrateSuite {
    krate: "gosync-concurrent-map",
    title: "Map: Delete, Swap, CompareAndSwap, CompareAndDelete, Clear",
    chart: "concurrent_map_write",
    go_type: "sync.Map",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: &[
        Impl {
            id: "papaya",
            label: "papaya",
        },
        Impl {
            id: "dashmap",
            label: "dashmap",
        },
        Impl {
            id: "rwlock_hashmap",
            label: "RwLock+HashMap",
        },
    ],
    references: &[Impl {
        id: "gosync_foldhash",
        label: "gosync + foldhash",
    }],
    workloads: &[
        Workload {
            name: "DeleteCollision",
            group: "MapDeleteCollision",
            go: Some("MapDeleteCollision"),
        },
        Workload {
            name: "SwapCollision",
            group: "MapSwapCollision",
            go: Some("MapSwapCollision"),
        },
        Workload {
            name: "SwapMostlyHits",
            group: "MapSwapMostlyHits",
            go: Some("MapSwapMostlyHits"),
        },
        Workload {
            name: "SwapMostlyMisses",
            group: "MapSwapMostlyMisses",
            go: Some("MapSwapMostlyMisses"),
        },
        Workload {
            name: "CompareAndSwapCollision",
            group: "MapCompareAndSwapCollision",
            go: Some("MapCompareAndSwapCollision"),
        },
        Workload {
            name: "CompareAndSwapNoExistingKey",
            group: "MapCompareAndSwapNoExistingKey",
            go: Some("MapCompareAndSwapNoExistingKey"),
        },
        Workload {
            name: "CompareAndSwapValueNotEqual",
            group: "MapCompareAndSwapValueNotEqual",
            go: Some("MapCompareAndSwapValueNotEqual"),
        },
        Workload {
            name: "CompareAndSwapMostlyHits",
            group: "MapCompareAndSwapMostlyHits",
            go: Some("MapCompareAndSwapMostlyHits"),
        },
        Workload {
            name: "CompareAndSwapMostlyMisses",
            group: "MapCompareAndSwapMostlyMisses",
            go: Some("MapCompareAndSwapMostlyMisses"),
        },
        Workload {
            name: "CompareAndDeleteCollision",
            group: "MapCompareAndDeleteCollision",
            go: Some("MapCompareAndDeleteCollision"),
        },
        Workload {
            name: "CompareAndDeleteMostlyHits",
            group: "MapCompareAndDeleteMostlyHits",
            go: Some("MapCompareAndDeleteMostlyHits"),
        },
        Workload {
            name: "CompareAndDeleteMostlyMisses",
            group: "MapCompareAndDeleteMostlyMisses",
            go: Some("MapCompareAndDeleteMostlyMisses"),
        },
        Workload {
            name: "Clear",
            group: "MapClear",
            go: Some("MapClear"),
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[],
    notes: MAP_NOTES,
};

/// The implementations of every channel table. std's `mpsc` stands for
/// `sync_channel(cap)` on the bounded flavors and `channel()` on
/// `unbounded`; kanal is its blocking API.
const CHANNEL_PEERS: &[Impl] = &[
    Impl {
        id: "crossbeam",
        label: "crossbeam-channel",
    },
    Impl {
        id: "flume",
        label: "flume",
    },
    Impl {
        id: "kanal",
        label: "kanal",
    },
    Impl {
        id: "std_mpsc",
        label: "std mpsc",
    },
];

/// The notes under the two tables of crossbeam-channel's workloads.
const CHANNEL_SUITE_NOTES: &str = "Reading notes (details in `benches/README.md`): the \
    workloads of crossbeam-channel's own benchmark suite, one row per workload and channel \
    flavor, time per **message** (wall time over all messages of all threads). On this 2-core \
    machine `spsc` runs 2 threads and the others 4 (**oversubscribed**: two threads per core, so \
    a blocked thread's wake-up often waits for the scheduler): `mpsc` 3 producers and 1 \
    consumer, `mpmc` 2 and 2, `select_rx` 3 producers (a channel each) and 1 consumer selecting \
    over the 3, `select_both` 2 producers selecting a send over 2 channels and 2 consumers \
    selecting a receive over them. `bounded(N)` has room for every message (rounds of at most \
    2^18 messages on a fresh channel of that capacity). A `—` is a workload the implementation \
    cannot express: std's `Receiver` cannot be shared between threads (no `mpmc`, no select) \
    and kanal has no select; flume is not run on `select_both`, where its `Selector` (0.12) \
    loses wake-ups with several threads selecting on both sides of the same channels (the run \
    hangs). Go's column runs goroutines on 2 Ps, so its blocking hand-overs \
    are user-space goroutine switches, not OS wake-ups; Go has no unbounded channel.";

/// crossbeam-channel's workloads on the unbuffered and one-slot flavors.
const CHANNEL_BOUNDED_0_1: CrateSuite = CrateSuite {
    krate: "gosync-channel",
    title: "Channel: crossbeam-channel's workloads, bounded(0) and bounded(1)",
    chart: "channel_bounded_0_1",
    go_type: "chan",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: CHANNEL_PEERS,
    references: &[],
    workloads: &[
        Workload {
            name: "spsc, bounded(0) (2 threads)",
            group: "ChanSpsc_2T_Bounded0",
            go: Some("ChanSpsc_2T_Bounded0"),
        },
        Workload {
            name: "mpsc 3→1, bounded(0) (4 threads: oversubscribed)",
            group: "ChanMpsc_4T_Bounded0",
            go: Some("ChanMpsc_4T_Bounded0"),
        },
        Workload {
            name: "mpmc 2→2, bounded(0) (4 threads: oversubscribed)",
            group: "ChanMpmc_4T_Bounded0",
            go: Some("ChanMpmc_4T_Bounded0"),
        },
        Workload {
            name: "select_rx 3→1, bounded(0) (4 threads: oversubscribed)",
            group: "ChanSelectRx_4T_Bounded0",
            go: Some("ChanSelectRx_4T_Bounded0"),
        },
        Workload {
            name: "select_both 2→2, bounded(0) (4 threads: oversubscribed)",
            group: "ChanSelectBoth_4T_Bounded0",
            go: Some("ChanSelectBoth_4T_Bounded0"),
        },
        Workload {
            name: "spsc, bounded(1) (2 threads)",
            group: "ChanSpsc_2T_Bounded1",
            go: Some("ChanSpsc_2T_Bounded1"),
        },
        Workload {
            name: "mpsc 3→1, bounded(1) (4 threads: oversubscribed)",
            group: "ChanMpsc_4T_Bounded1",
            go: Some("ChanMpsc_4T_Bounded1"),
        },
        Workload {
            name: "mpmc 2→2, bounded(1) (4 threads: oversubscribed)",
            group: "ChanMpmc_4T_Bounded1",
            go: Some("ChanMpmc_4T_Bounded1"),
        },
        Workload {
            name: "select_rx 3→1, bounded(1) (4 threads: oversubscribed)",
            group: "ChanSelectRx_4T_Bounded1",
            go: Some("ChanSelectRx_4T_Bounded1"),
        },
        Workload {
            name: "select_both 2→2, bounded(1) (4 threads: oversubscribed)",
            group: "ChanSelectBoth_4T_Bounded1",
            go: Some("ChanSelectBoth_4T_Bounded1"),
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[
        // flume's Selector hangs there (lost wake-ups; benches/channel.rs).
        NotExpressible {
            id: "flume",
            groups: &["ChanSelectBoth_4T_Bounded0", "ChanSelectBoth_4T_Bounded1"],
        },
        NotExpressible {
            id: "kanal",
            groups: &[
                "ChanSelectRx_4T_Bounded0",
                "ChanSelectBoth_4T_Bounded0",
                "ChanSelectRx_4T_Bounded1",
                "ChanSelectBoth_4T_Bounded1",
            ],
        },
        NotExpressible {
            id: "std_mpsc",
            groups: &[
                "ChanMpmc_4T_Bounded0",
                "ChanMpmc_4T_Bounded1",
                "ChanSelectRx_4T_Bounded0",
                "ChanSelectBoth_4T_Bounded0",
                "ChanSelectRx_4T_Bounded1",
                "ChanSelectBoth_4T_Bounded1",
            ],
        },
    ],
    notes: CHANNEL_SUITE_NOTES,
};

/// crossbeam-channel's workloads on the flavors that do not fill.
const CHANNEL_BOUNDED_N_UNBOUNDED: CrateSuite = CrateSuite {
    krate: "gosync-channel",
    title: "Channel: crossbeam-channel's workloads, bounded(N) and unbounded",
    chart: "channel_bounded_n_unbounded",
    go_type: "chan",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: CHANNEL_PEERS,
    references: &[],
    workloads: &[
        Workload {
            name: "seq, bounded(N) (1 thread)",
            group: "ChanSeq_1T_BoundedN",
            go: Some("ChanSeq_1T_BoundedN"),
        },
        Workload {
            name: "spsc, bounded(N) (2 threads)",
            group: "ChanSpsc_2T_BoundedN",
            go: Some("ChanSpsc_2T_BoundedN"),
        },
        Workload {
            name: "mpsc 3→1, bounded(N) (4 threads: oversubscribed)",
            group: "ChanMpsc_4T_BoundedN",
            go: Some("ChanMpsc_4T_BoundedN"),
        },
        Workload {
            name: "mpmc 2→2, bounded(N) (4 threads: oversubscribed)",
            group: "ChanMpmc_4T_BoundedN",
            go: Some("ChanMpmc_4T_BoundedN"),
        },
        Workload {
            name: "select_rx 3→1, bounded(N) (4 threads: oversubscribed)",
            group: "ChanSelectRx_4T_BoundedN",
            go: Some("ChanSelectRx_4T_BoundedN"),
        },
        Workload {
            name: "select_both 2→2, bounded(N) (4 threads: oversubscribed)",
            group: "ChanSelectBoth_4T_BoundedN",
            go: Some("ChanSelectBoth_4T_BoundedN"),
        },
        Workload {
            name: "seq, unbounded (1 thread)",
            group: "ChanSeq_1T_Unbounded",
            go: None,
        },
        Workload {
            name: "spsc, unbounded (2 threads)",
            group: "ChanSpsc_2T_Unbounded",
            go: None,
        },
        Workload {
            name: "mpsc 3→1, unbounded (4 threads: oversubscribed)",
            group: "ChanMpsc_4T_Unbounded",
            go: None,
        },
        Workload {
            name: "mpmc 2→2, unbounded (4 threads: oversubscribed)",
            group: "ChanMpmc_4T_Unbounded",
            go: None,
        },
        Workload {
            name: "select_rx 3→1, unbounded (4 threads: oversubscribed)",
            group: "ChanSelectRx_4T_Unbounded",
            go: None,
        },
        Workload {
            name: "select_both 2→2, unbounded (4 threads: oversubscribed)",
            group: "ChanSelectBoth_4T_Unbounded",
            go: None,
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[
        // flume's Selector hangs there (lost wake-ups; benches/channel.rs).
        NotExpressible {
            id: "flume",
            groups: &["ChanSelectBoth_4T_BoundedN", "ChanSelectBoth_4T_Unbounded"],
        },
        NotExpressible {
            id: "kanal",
            groups: &[
                "ChanSelectRx_4T_BoundedN",
                "ChanSelectBoth_4T_BoundedN",
                "ChanSelectRx_4T_Unbounded",
                "ChanSelectBoth_4T_Unbounded",
            ],
        },
        NotExpressible {
            id: "std_mpsc",
            groups: &[
                "ChanMpmc_4T_BoundedN",
                "ChanMpmc_4T_Unbounded",
                "ChanSelectRx_4T_BoundedN",
                "ChanSelectBoth_4T_BoundedN",
                "ChanSelectRx_4T_Unbounded",
                "ChanSelectBoth_4T_Unbounded",
            ],
        },
    ],
    notes: CHANNEL_SUITE_NOTES,
};

/// Ping-pong latency, with the hardware floor as a reference column.
const CHANNEL_PING_PONG: CrateSuite = CrateSuite {
    krate: "gosync-channel",
    title: "Channel: ping-pong",
    chart: "channel_ping_pong",
    go_type: "chan",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: CHANNEL_PEERS,
    references: &[Impl {
        id: "atomic_floor",
        label: "atomic spin floor",
    }],
    workloads: &[
        Workload {
            name: "ping-pong, bounded(0) (2 threads; per round trip)",
            group: "ChanPingPong_2T_Bounded0",
            go: Some("ChanPingPong_2T_Bounded0"),
        },
        Workload {
            name: "ping-pong, bounded(1) (2 threads; per round trip)",
            group: "ChanPingPong_2T_Bounded1",
            go: Some("ChanPingPong_2T_Bounded1"),
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[],
    notes: "Reading notes (details in `benches/README.md`): two threads bounce a value over two \
        channels (there and back), time per **round trip**. The atomic spin floor is the same \
        round trip through one `AtomicU64` that the two threads take turns to bump, each pinned \
        to its own CPU and spinning without yielding (no channel, no parking): what moving a \
        cache line between two cores and back costs, a reference column, never \"best peer\". \
        The channels' threads are not pinned: when the scheduler keeps both on one vCPU every \
        hand-over is a context switch, and which placement a run gets varies, so these rows can \
        move several-fold between runs. Go's column is goroutines on 2 Ps.",
};

/// The workloads of Go's `src/runtime/chan_test.go` benchmarks.
const CHANNEL_GO_RUNTIME: CrateSuite = CrateSuite {
    krate: "gosync-channel",
    title: "Channel: Go's runtime benchmarks",
    chart: "channel_go_runtime",
    go_type: "chan",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: CHANNEL_PEERS,
    references: &[],
    workloads: &[
        Workload {
            name: "Nonblocking (2 threads)",
            group: "ChanNonblocking",
            go: Some("ChanNonblocking"),
        },
        Workload {
            name: "SelectUncontended (2 threads)",
            group: "SelectUncontended",
            go: Some("SelectUncontended"),
        },
        Workload {
            name: "Uncontended (2 threads; per 100 sends + 100 receives)",
            group: "ChanUncontended",
            go: Some("ChanUncontended"),
        },
        Workload {
            name: "Contended (2 threads; per 100 sends + 100 receives)",
            group: "ChanContended",
            go: Some("ChanContended"),
        },
        Workload {
            name: "Sync (2 threads)",
            group: "ChanSync",
            go: Some("ChanSync"),
        },
        Workload {
            name: "ProdCons0 (4 threads: oversubscribed)",
            group: "ChanProdCons0",
            go: Some("ChanProdCons0"),
        },
        Workload {
            name: "ProdCons10 (4 threads: oversubscribed)",
            group: "ChanProdCons10",
            go: Some("ChanProdCons10"),
        },
        Workload {
            name: "ProdCons100 (4 threads: oversubscribed)",
            group: "ChanProdCons100",
            go: Some("ChanProdCons100"),
        },
        Workload {
            name: "SelectProdCons (4 threads: oversubscribed)",
            group: "SelectProdCons",
            go: Some("SelectProdCons"),
        },
        Workload {
            name: "Popular (1000 selecting threads; per 1000 sends)",
            group: "ChanPopular",
            go: Some("ChanPopular"),
        },
        Workload {
            name: "Closed (2 threads)",
            group: "ChanClosed",
            go: Some("ChanClosed"),
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[
        // flume's Selector hangs there (lost wake-ups; benches/channel.rs).
        NotExpressible {
            id: "flume",
            groups: &["SelectProdCons"],
        },
        NotExpressible {
            id: "kanal",
            groups: &["SelectUncontended", "SelectProdCons", "ChanPopular"],
        },
        NotExpressible {
            id: "std_mpsc",
            groups: &[
                "ChanNonblocking",
                "SelectUncontended",
                "ChanContended",
                "ChanSync",
                "ChanProdCons0",
                "ChanProdCons10",
                "ChanProdCons100",
                "SelectProdCons",
                "ChanPopular",
                "ChanClosed",
            ],
        },
    ],
    notes: "Reading notes (details in `benches/README.md`): the workloads of Go's own \
        `src/runtime/chan_test.go` benchmarks, rewritten for each implementation; time per \
        operation as Go reports it (`RunParallel`: wall time over the operations of all \
        threads). What an operation is differs per row (`Uncontended`/`Contended`: 100 sends \
        and 100 receives; `ProdCons`: one message; `Popular`: one send to each of 1000 threads \
        blocked in a select). `Nonblocking` and `Closed` are Go's `select` with a `default`, which \
        Go compiles to a non-blocking receive: `try_recv` in Rust. `SelectProdCons` selects over \
        the data channel, a one-hour timer and a never-closed channel, with 100 iterations of local work per message. \
        `Popular` runs 1000 OS threads in Rust against 1000 goroutines in Go. A `—` is a \
        workload the implementation cannot express (std: one receiver per channel, no select; \
        kanal: no select), or, for flume's `SelectProdCons`, one where its `Selector` (0.12) \
        hangs (lost wake-ups with several threads selecting on both sides of one channel).",
};
/// The async peers of `gosync-channel`'s async suite (`benches/channel_async.rs`).
const ASYNC_CHANNEL_PEERS: &[Impl] = &[
    Impl {
        id: "flume",
        label: "flume",
    },
    Impl {
        id: "kanal",
        label: "kanal",
    },
    Impl {
        id: "async_channel",
        label: "async-channel",
    },
    Impl {
        id: "tokio_mpsc",
        label: "tokio mpsc",
    },
];

/// The peers of `track` + `wait_async` (`benches/channel_async.rs`).
const ASYNC_WAITGROUP_PEERS: &[Impl] = &[
    Impl {
        id: "joinset",
        label: "tokio JoinSet",
    },
    Impl {
        id: "task_tracker",
        label: "tokio-util TaskTracker",
    },
    Impl {
        id: "tokio_notify",
        label: "tokio Notify",
    },
];

/// Both async channel tables read the same way.
const CHANNEL_ASYNC_NOTES: &str = "Reading notes (details in `benches/benches/channel_async.rs`): tokio tasks; one op is one message unless the row says otherwise. A `—` is a capacity or shape the peer lacks (tokio and async-channel have no capacity 0; tokio's receiver cannot be shared) or where it hangs (kanal 0.1.1 on `SelectRx`; flume 0.12 on `Mpmc` `bounded(0)`). Go's column is goroutines on `GOMAXPROCS=2` (the same Go benchmark for the multi-thread and the current-thread table); the mixed rows have no Go column (every goroutine is both).";

/// `send_async`/`recv_async`/`select_async!` on a tokio multi-thread runtime with 2 workers.
const CHANNEL_ASYNC_MT: CrateSuite = CrateSuite {
    krate: "gosync-channel",
    title: "Channel async: tokio multi-thread, 2 workers",
    chart: "channel_async_mt",
    go_type: "goroutines and chan",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: ASYNC_CHANNEL_PEERS,
    references: &[],
    workloads: &[
        Workload {
            name: "spsc, bounded(0)",
            group: "AsyncSpsc_MT_Bounded0",
            go: Some("AsyncSpsc_Bounded0"),
        },
        Workload {
            name: "mpsc (3 + 1 tasks), bounded(0)",
            group: "AsyncMpsc_MT_Bounded0",
            go: Some("AsyncMpsc_Bounded0"),
        },
        Workload {
            name: "mpmc (2 + 2 tasks), bounded(0)",
            group: "AsyncMpmc_MT_Bounded0",
            go: Some("AsyncMpmc_Bounded0"),
        },
        Workload {
            name: "spsc, bounded(1)",
            group: "AsyncSpsc_MT_Bounded1",
            go: Some("AsyncSpsc_Bounded1"),
        },
        Workload {
            name: "mpsc (3 + 1 tasks), bounded(1)",
            group: "AsyncMpsc_MT_Bounded1",
            go: Some("AsyncMpsc_Bounded1"),
        },
        Workload {
            name: "mpmc (2 + 2 tasks), bounded(1)",
            group: "AsyncMpmc_MT_Bounded1",
            go: Some("AsyncMpmc_Bounded1"),
        },
        Workload {
            name: "spsc, bounded(1024)",
            group: "AsyncSpsc_MT_Bounded1024",
            go: Some("AsyncSpsc_Bounded1024"),
        },
        Workload {
            name: "mpsc (3 + 1 tasks), bounded(1024)",
            group: "AsyncMpsc_MT_Bounded1024",
            go: Some("AsyncMpsc_Bounded1024"),
        },
        Workload {
            name: "mpmc (2 + 2 tasks), bounded(1024)",
            group: "AsyncMpmc_MT_Bounded1024",
            go: Some("AsyncMpmc_Bounded1024"),
        },
        Workload {
            name: "spsc, unbounded",
            group: "AsyncSpsc_MT_Unbounded",
            go: None,
        },
        Workload {
            name: "mpsc (3 + 1 tasks), unbounded",
            group: "AsyncMpsc_MT_Unbounded",
            go: None,
        },
        Workload {
            name: "mpmc (2 + 2 tasks), unbounded",
            group: "AsyncMpmc_MT_Unbounded",
            go: None,
        },
        Workload {
            name: "ping-pong (per round trip), bounded(0)",
            group: "AsyncPingPong_MT_Bounded0",
            go: Some("AsyncPingPong_Bounded0"),
        },
        Workload {
            name: "ping-pong (per round trip), bounded(1)",
            group: "AsyncPingPong_MT_Bounded1",
            go: Some("AsyncPingPong_Bounded1"),
        },
        Workload {
            name: "select over 2 receivers (2 + 1 tasks), bounded(0)",
            group: "AsyncSelectRx_MT_Bounded0",
            go: Some("AsyncSelectRx_Bounded0"),
        },
        Workload {
            name: "select over 2 receivers (2 + 1 tasks), bounded(1024)",
            group: "AsyncSelectRx_MT_Bounded1024",
            go: Some("AsyncSelectRx_Bounded1024"),
        },
        Workload {
            name: "blocking thread → task, bounded(1024)",
            group: "AsyncMixedThreadToTask_MT_Bounded1024",
            go: None,
        },
        Workload {
            name: "blocking thread → task, bounded(0)",
            group: "AsyncMixedThreadToTask_MT_Bounded0",
            go: None,
        },
        Workload {
            name: "task → blocking thread, bounded(1024)",
            group: "AsyncMixedTaskToThread_MT_Bounded1024",
            go: None,
        },
        Workload {
            name: "task → blocking thread, bounded(0)",
            group: "AsyncMixedTaskToThread_MT_Bounded0",
            go: None,
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[
        NotExpressible {
            id: "flume",
            groups: &["AsyncMpmc_MT_Bounded0"],
        },
        NotExpressible {
            id: "kanal",
            groups: &["AsyncSelectRx_MT_Bounded0", "AsyncSelectRx_MT_Bounded1024"],
        },
        NotExpressible {
            id: "async_channel",
            groups: &[
                "AsyncSpsc_MT_Bounded0",
                "AsyncMpsc_MT_Bounded0",
                "AsyncMpmc_MT_Bounded0",
                "AsyncPingPong_MT_Bounded0",
                "AsyncSelectRx_MT_Bounded0",
                "AsyncMixedThreadToTask_MT_Bounded0",
                "AsyncMixedTaskToThread_MT_Bounded0",
            ],
        },
        NotExpressible {
            id: "tokio_mpsc",
            groups: &[
                "AsyncSpsc_MT_Bounded0",
                "AsyncMpsc_MT_Bounded0",
                "AsyncMpmc_MT_Bounded0",
                "AsyncMpmc_MT_Bounded1",
                "AsyncMpmc_MT_Bounded1024",
                "AsyncMpmc_MT_Unbounded",
                "AsyncPingPong_MT_Bounded0",
                "AsyncSelectRx_MT_Bounded0",
                "AsyncMixedThreadToTask_MT_Bounded0",
                "AsyncMixedTaskToThread_MT_Bounded0",
            ],
        },
    ],
    notes: CHANNEL_ASYNC_NOTES,
};

/// The same on a tokio current-thread runtime.
const CHANNEL_ASYNC_CT: CrateSuite = CrateSuite {
    krate: "gosync-channel",
    title: "Channel async: tokio current-thread",
    chart: "channel_async_ct",
    go_type: "goroutines and chan",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: ASYNC_CHANNEL_PEERS,
    references: &[],
    workloads: &[
        Workload {
            name: "spsc, bounded(0)",
            group: "AsyncSpsc_CT_Bounded0",
            go: Some("AsyncSpsc_Bounded0"),
        },
        Workload {
            name: "mpsc (3 + 1 tasks), bounded(0)",
            group: "AsyncMpsc_CT_Bounded0",
            go: Some("AsyncMpsc_Bounded0"),
        },
        Workload {
            name: "mpmc (2 + 2 tasks), bounded(0)",
            group: "AsyncMpmc_CT_Bounded0",
            go: Some("AsyncMpmc_Bounded0"),
        },
        Workload {
            name: "spsc, bounded(1)",
            group: "AsyncSpsc_CT_Bounded1",
            go: Some("AsyncSpsc_Bounded1"),
        },
        Workload {
            name: "mpsc (3 + 1 tasks), bounded(1)",
            group: "AsyncMpsc_CT_Bounded1",
            go: Some("AsyncMpsc_Bounded1"),
        },
        Workload {
            name: "mpmc (2 + 2 tasks), bounded(1)",
            group: "AsyncMpmc_CT_Bounded1",
            go: Some("AsyncMpmc_Bounded1"),
        },
        Workload {
            name: "spsc, bounded(1024)",
            group: "AsyncSpsc_CT_Bounded1024",
            go: Some("AsyncSpsc_Bounded1024"),
        },
        Workload {
            name: "mpsc (3 + 1 tasks), bounded(1024)",
            group: "AsyncMpsc_CT_Bounded1024",
            go: Some("AsyncMpsc_Bounded1024"),
        },
        Workload {
            name: "mpmc (2 + 2 tasks), bounded(1024)",
            group: "AsyncMpmc_CT_Bounded1024",
            go: Some("AsyncMpmc_Bounded1024"),
        },
        Workload {
            name: "spsc, unbounded",
            group: "AsyncSpsc_CT_Unbounded",
            go: None,
        },
        Workload {
            name: "mpsc (3 + 1 tasks), unbounded",
            group: "AsyncMpsc_CT_Unbounded",
            go: None,
        },
        Workload {
            name: "mpmc (2 + 2 tasks), unbounded",
            group: "AsyncMpmc_CT_Unbounded",
            go: None,
        },
        Workload {
            name: "ping-pong (per round trip), bounded(0)",
            group: "AsyncPingPong_CT_Bounded0",
            go: Some("AsyncPingPong_Bounded0"),
        },
        Workload {
            name: "ping-pong (per round trip), bounded(1)",
            group: "AsyncPingPong_CT_Bounded1",
            go: Some("AsyncPingPong_Bounded1"),
        },
        Workload {
            name: "select over 2 receivers (2 + 1 tasks), bounded(0)",
            group: "AsyncSelectRx_CT_Bounded0",
            go: Some("AsyncSelectRx_Bounded0"),
        },
        Workload {
            name: "select over 2 receivers (2 + 1 tasks), bounded(1024)",
            group: "AsyncSelectRx_CT_Bounded1024",
            go: Some("AsyncSelectRx_Bounded1024"),
        },
        Workload {
            name: "blocking thread → task, bounded(1024)",
            group: "AsyncMixedThreadToTask_CT_Bounded1024",
            go: None,
        },
        Workload {
            name: "blocking thread → task, bounded(0)",
            group: "AsyncMixedThreadToTask_CT_Bounded0",
            go: None,
        },
        Workload {
            name: "task → blocking thread, bounded(1024)",
            group: "AsyncMixedTaskToThread_CT_Bounded1024",
            go: None,
        },
        Workload {
            name: "task → blocking thread, bounded(0)",
            group: "AsyncMixedTaskToThread_CT_Bounded0",
            go: None,
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[
        NotExpressible {
            id: "flume",
            groups: &["AsyncMpmc_CT_Bounded0"],
        },
        NotExpressible {
            id: "kanal",
            groups: &["AsyncSelectRx_CT_Bounded0", "AsyncSelectRx_CT_Bounded1024"],
        },
        NotExpressible {
            id: "async_channel",
            groups: &[
                "AsyncSpsc_CT_Bounded0",
                "AsyncMpsc_CT_Bounded0",
                "AsyncMpmc_CT_Bounded0",
                "AsyncPingPong_CT_Bounded0",
                "AsyncSelectRx_CT_Bounded0",
                "AsyncMixedThreadToTask_CT_Bounded0",
                "AsyncMixedTaskToThread_CT_Bounded0",
            ],
        },
        NotExpressible {
            id: "tokio_mpsc",
            groups: &[
                "AsyncSpsc_CT_Bounded0",
                "AsyncMpsc_CT_Bounded0",
                "AsyncMpmc_CT_Bounded0",
                "AsyncMpmc_CT_Bounded1",
                "AsyncMpmc_CT_Bounded1024",
                "AsyncMpmc_CT_Unbounded",
                "AsyncPingPong_CT_Bounded0",
                "AsyncSelectRx_CT_Bounded0",
                "AsyncMixedThreadToTask_CT_Bounded0",
                "AsyncMixedTaskToThread_CT_Bounded0",
            ],
        },
    ],
    notes: CHANNEL_ASYNC_NOTES,
};

/// `track` + `wait_async`: the fan-out program and the wake latency, on both runtimes.
const WAITGROUP_ASYNC: CrateSuite = CrateSuite {
    krate: "gosync-waitgroup",
    title: "WaitGroup async: track + wait_async",
    chart: "waitgroup_async",
    go_type: "goroutines and sync.WaitGroup",
    ours: Impl {
        id: "gosync",
        label: "gosync",
    },
    peers: ASYNC_WAITGROUP_PEERS,
    references: &[],
    workloads: &[
        Workload {
            name: "wait_async woken by a thread (per round)",
            group: "AsyncWaitGroupWake_MT",
            go: None,
        },
        Workload {
            name: "100,000 tasks spawned and joined (per program), each yields",
            group: "AsyncFanOut100k_MT_YieldNow",
            go: Some("AsyncFanOut100k_YieldNow"),
        },
        Workload {
            name: "100,000 tasks spawned and joined (per program), each sleeps 1 ns",
            group: "AsyncFanOut100k_MT_Sleep1ns",
            go: Some("AsyncFanOut100k_Sleep1ns"),
        },
        Workload {
            name: "wait_async woken by a thread (per round)",
            group: "AsyncWaitGroupWake_CT",
            go: None,
        },
        Workload {
            name: "100,000 tasks spawned and joined (per program), each yields",
            group: "AsyncFanOut100k_CT_YieldNow",
            go: Some("AsyncFanOut100k_YieldNow"),
        },
        Workload {
            name: "100,000 tasks spawned and joined (per program), each sleeps 1 ns",
            group: "AsyncFanOut100k_CT_Sleep1ns",
            go: Some("AsyncFanOut100k_Sleep1ns"),
        },
    ],
    calibrations: &[],
    row_ratios: &[],
    not_expressible: &[
        NotExpressible {
            id: "joinset",
            groups: &["AsyncWaitGroupWake_MT", "AsyncWaitGroupWake_CT"],
        },
        NotExpressible {
            id: "task_tracker",
            groups: &["AsyncWaitGroupWake_MT", "AsyncWaitGroupWake_CT"],
        },
        NotExpressible {
            id: "tokio_notify",
            groups: &["AsyncFanOut100k_MT_YieldNow", "AsyncFanOut100k_MT_Sleep1ns", "AsyncFanOut100k_CT_YieldNow", "AsyncFanOut100k_CT_Sleep1ns"],
        },
    ],
    notes: "Reading notes (details in `benches/benches/channel_async.rs`): `FanOut100k` is one whole program per op: 100,000 tasks spawned and joined with `track` + `wait_async` (peers: `JoinSet`, `TaskTracker`; Go: `wg.Add`/`go`/`wg.Wait`). `WaitGroupWake` is one round of a task awaiting `wait_async` while an OS thread calls `done` (peer: `Notify`); it measures waking a task from a thread, which depends on where the OS puts the thread and swings between runs.",
};
