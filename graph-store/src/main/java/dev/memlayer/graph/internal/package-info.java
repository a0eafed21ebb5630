/**
 * Helpers shared by the graph stores (scope matching and keys, similarity, result order). Not API:
 * nothing outside graph-store uses them.
 */
package dev.memlayer.graph.internal;
