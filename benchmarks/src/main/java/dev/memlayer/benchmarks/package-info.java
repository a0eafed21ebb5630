/**
 * memlayer's JMH benchmarks (run with {@code org.openjdk.jmh.Main}; see {@code benchmarks/bin/run}):
 * search, batch upsert, bulk load and getAll per backend, the add pipeline's own overhead with a
 * zero-latency LLM (in-process and over HTTP), and the local embedder's throughput. Backends plug in
 * through {@link dev.memlayer.benchmarks.BenchmarkBackend}; {@link dev.memlayer.benchmarks.RecallCheck}
 * measures recall@k against exact search.
 */
package dev.memlayer.benchmarks;
