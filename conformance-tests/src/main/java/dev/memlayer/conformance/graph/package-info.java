/**
 * The contract suites of graph memory: {@link dev.memlayer.conformance.graph.GraphStoreContract}
 * (what every {@link dev.memlayer.api.graph.GraphStore} must do) and
 * {@link dev.memlayer.conformance.graph.GraphMemoryContract} (graph memory seen through the
 * {@link dev.memlayer.api.Memory} facade, with the scripted language model), plus a failure-injecting
 * graph store decorator. graph-store's tests run both suites for every implementation.
 */
package dev.memlayer.conformance.graph;
