package dev.memlayer.core.internal;

import dev.memlayer.api.EventType;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of one operation, applied as one batch (SPEC §2 step 6, §5): first
 * {@link VectorStore#write(List, java.util.Collection)} with every upsert and deletion, then one
 * {@link HistoryStore#append(List)}. When either fails, the vector store is compensated — records
 * that existed are restored as they were, records that were added are deleted — and a
 * {@link StoreException} is thrown, so that no half-applied state remains that the history does not
 * describe. Not thread-safe; one per operation.
 */
public final class WriteBatch {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBatch.class);

    private final Map<String, MemoryRecord> upserts = new LinkedHashMap<>();
    private final Set<String> deletes = new LinkedHashSet<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final Map<String, MemoryRecord> previous = new LinkedHashMap<>();
    private final Set<String> added = new LinkedHashSet<>();

    /** Stores a new record; {@code entry} may be null for no history row. */
    public void add(MemoryRecord record, HistoryEntry entry) {
        upserts.put(record.id(), record);
        added.add(record.id());
        if (entry != null) {
            history.add(entry);
        }
    }

    /** Replaces a stored record ({@code before}, with its embedding) by {@code after}; entry may be null. */
    public void replace(MemoryRecord before, MemoryRecord after, HistoryEntry entry) {
        previous.putIfAbsent(before.id(), before);
        upserts.put(after.id(), after);
        if (entry != null) {
            history.add(entry);
        }
    }

    /** Deletes a stored record ({@code before}, with its embedding if known). */
    public void delete(MemoryRecord before, HistoryEntry entry) {
        previous.putIfAbsent(before.id(), before);
        upserts.remove(before.id());
        deletes.add(before.id());
        if (entry != null) {
            history.add(entry);
        }
    }

    /** @return true when there is nothing to write */
    public boolean isEmpty() {
        return upserts.isEmpty() && deletes.isEmpty() && history.isEmpty();
    }

    /**
     * Applies the batch.
     *
     * @param store     the vector store
     * @param log       the history store
     * @param reembed   gives an embedding for a record to restore whose embedding is unknown
     * @throws StoreException when a write failed (after compensation); a {@link MemoryException}
     *                        thrown by the vector store (e.g. a dimension mismatch) is rethrown as is
     */
    public void commit(VectorStore store, HistoryStore log, Function<MemoryRecord, float[]> reembed) {
        if (isEmpty()) {
            return;
        }
        List<MemoryRecord> ups = List.copyOf(upserts.values());
        try {
            store.write(ups, deletes);
        } catch (RuntimeException e) {
            compensate(store, reembed, e);
            if (e instanceof MemoryException me) {
                throw me;
            }
            throw new StoreException("The vector store failed to apply " + ups.size() + " upserts and " + deletes.size()
                    + " deletions; nothing was changed: " + e.getMessage(), false, e);
        }
        if (history.isEmpty()) {
            return;
        }
        try {
            log.append(List.copyOf(history));
        } catch (RuntimeException e) {
            compensate(store, reembed, e);
            boolean retryable = e instanceof StoreException se && se.retryable();
            throw new StoreException("The history store failed to record " + history.size()
                    + " entries; the memory changes were rolled back: " + e.getMessage(), retryable, e);
        }
    }

    private void compensate(VectorStore store, Function<MemoryRecord, float[]> reembed, RuntimeException failure) {
        try {
            List<MemoryRecord> restore = new ArrayList<>(previous.size());
            for (MemoryRecord r : previous.values()) {
                restore.add(r.embedding() != null ? r : r.withEmbedding(reembed.apply(r)));
            }
            store.write(restore, added);
        } catch (RuntimeException rollbackFailure) {
            LOG.error("Could not roll back a failed write ({} records to restore, {} to remove); the store may hold"
                    + " changes that history does not describe", previous.size(), added.size(), rollbackFailure);
            failure.addSuppressed(rollbackFailure);
        }
    }

    /**
     * @return a history entry with a new UUID
     */
    public static HistoryEntry entry(MemoryRecord record, String oldMemory, String newMemory, EventType event,
                                     Instant when) {
        return new HistoryEntry(UUID.randomUUID().toString(), record.id(), oldMemory, newMemory, event,
                record.createdAt(), when, event == EventType.DELETE, record.actorId(), record.role());
    }
}
