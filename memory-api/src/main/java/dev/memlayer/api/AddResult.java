package dev.memlayer.api;

import java.util.List;

/**
 * What {@code add} did (SPEC §2): the ADD, UPDATE and DELETE events (NONE events are not listed),
 * graph changes when graph memory is on, and diagnostics such as skipped actions that named ids
 * the LLM invented.
 *
 * @param results     the events, in the order they were applied
 * @param relations   graph changes, or null when no graph store is configured
 * @param diagnostics human-readable notes about skipped actions; empty when none
 */
public record AddResult(List<MemoryEvent> results, GraphChanges relations, List<String> diagnostics) {
    public AddResult {
        results = List.copyOf(results);
        diagnostics = List.copyOf(diagnostics);
    }
}
