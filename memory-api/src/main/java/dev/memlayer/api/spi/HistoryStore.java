package dev.memlayer.api.spi;

import dev.memlayer.api.HistoryEntry;
import java.util.Collection;
import java.util.List;

/**
 * The append-only audit log of memory changes (SPEC §5). Thread-safe. Must pass
 * conformance-tests' {@code HistoryStoreContract}.
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * Appends entries atomically (all or none), preserving their order.
     *
     * @param entries the entries, each with a unique id
     */
    void append(List<HistoryEntry> entries);

    /**
     * @param memoryId a memory id (existing or deleted)
     * @return its entries in the order they were appended; empty for an unknown id
     */
    List<HistoryEntry> history(String memoryId);

    /** Removes the history of the given memories. */
    void deleteAll(Collection<String> memoryIds);

    /** Removes all history. */
    void reset();

    /** Releases resources. The default does nothing. */
    @Override
    default void close() {
    }
}
