/**
 * The shared contract suites every backend runs: abstract JUnit 5 classes
 * ({@link dev.memlayer.conformance.VectorStoreContract}, {@link dev.memlayer.conformance.FilterContract},
 * {@link dev.memlayer.conformance.HistoryStoreContract}) that a backend's test class extends,
 * supplying only factory hooks. The in-memory store and {@link dev.memlayer.api.filter.FilterEvaluator}
 * are the reference; every backend must give the same answers.
 */
package dev.memlayer.conformance;
