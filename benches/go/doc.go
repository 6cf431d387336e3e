// Package gosyncbench holds Go's benchmarks for the types gosync mirrors,
// rewritten to match the workloads of the Rust suites in ../benches/, so that
// benches/report.sh can put Go's numbers next to gosync's: sync.WaitGroup in
// waitgroup_bench_test.go (../benches/waitgroup.rs) and sync/atomic.Value in
// value_bench_test.go (../benches/atomic_value.rs). Each Benchmark<Name>
// matches the criterion group <Name>. This package has no non-test code.
package gosyncbench
