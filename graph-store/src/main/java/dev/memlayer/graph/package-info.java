/**
 * Graph memory backends: {@link dev.memlayer.graph.InMemoryGraphStore} (the reference, in process)
 * and {@link dev.memlayer.graph.Neo4jGraphStore} (Neo4j over Bolt with the official Java driver), and
 * the Guice modules that bind them as the engine's {@link dev.memlayer.api.graph.GraphStore}.
 */
package dev.memlayer.graph;
