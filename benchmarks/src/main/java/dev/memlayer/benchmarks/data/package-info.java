/**
 * Benchmark data: deterministic datasets of unit vectors with realistic memory texts and metadata
 * ({@link dev.memlayer.benchmarks.data.Dataset}), the sentence generator behind them
 * ({@link dev.memlayer.benchmarks.data.Corpus}), the search cases of the benchmarks and exact
 * search for recall@k ground truth.
 */
package dev.memlayer.benchmarks.data;
