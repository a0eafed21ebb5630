/**
 * The {@link dev.memlayer.benchmarks.BenchmarkBackend} implementations: in-memory, PostgreSQL +
 * pgvector and Redis 8 vector sets, registered in
 * {@code META-INF/services/dev.memlayer.benchmarks.BenchmarkBackend}.
 */
package dev.memlayer.benchmarks.backends;
