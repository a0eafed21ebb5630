package dev.memlayer.api;

import java.util.List;

/**
 * The outcome of an all-or-nothing batch: every listed memory was changed.
 *
 * @param memoryIds the ids changed, in request order
 */
public record BatchResult(List<String> memoryIds) {
    public BatchResult {
        memoryIds = List.copyOf(memoryIds);
    }

    /** @return how many memories were changed */
    public int count() {
        return memoryIds.size();
    }
}
