// Package gosyncbench holds Go's sync.WaitGroup benchmarks, rewritten to
// mirror the workloads of the Rust suite in ../benches/waitgroup.rs, so that
// benches/report.sh can put Go's numbers next to gosync's. The benchmarks are in
// waitgroup_bench_test.go; this package has no non-test code.
package gosyncbench
