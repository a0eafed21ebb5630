/**
 * Test utilities shared by the contract suites, backend tests and benchmarks: seeded vectors and
 * record builders ({@link dev.memlayer.conformance.support.TestVectors}), a deterministic
 * feature-hashing embedder ({@link dev.memlayer.conformance.support.HashingEmbedder}), random
 * records and filters for differential testing, and record assertions.
 */
package dev.memlayer.conformance.support;
