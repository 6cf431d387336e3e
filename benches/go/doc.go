// Package gosyncbench holds Go's benchmarks for the types gosync mirrors,
// rewritten to match the workloads of the Rust suites in ../benches/, so that
// benches/report.sh can put Go's numbers next to gosync's: sync.WaitGroup in
// waitgroup_bench_test.go (../benches/waitgroup.rs), sync/atomic.Value in
// value_bench_test.go (../benches/atomic_value.rs) and sync.Map in
// map_bench_test.go (../benches/concurrent_map.rs; there the workloads are
// Go's own, copied from src/sync/map_bench_test.go). Each Benchmark<Name>
// matches the criterion group <Name>. This package has no non-test code.
package gosyncbench
