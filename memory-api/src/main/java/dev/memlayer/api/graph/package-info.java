/**
 * Graph memory's contract: the {@link dev.memlayer.api.graph.GraphStore} SPI that keeps entities
 * (with embeddings) and the relations between them per scope, with soft deletion of outdated
 * relations; the {@link dev.memlayer.api.graph.GraphExtractor} SPI for the LLM side (entities,
 * relations, outdated relations); and the values they exchange. memory-core runs graph memory beside
 * the vector pipeline when a graph store is configured; graph-store implements the store.
 */
package dev.memlayer.api.graph;
