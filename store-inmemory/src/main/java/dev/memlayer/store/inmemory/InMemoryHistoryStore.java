package dev.memlayer.store.inmemory;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.EventType;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.HistoryStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-process {@link HistoryStore}: an append-only list of entries per memory id.
 *
 * <p>Thread-safe: a read-write lock makes each {@link #append} atomic (readers see all of its entries
 * or none, and the entries of one call are contiguous in every memory's history) while reads run
 * concurrently. Entries are validated before anything is written. Nothing is persisted.
 */
public final class InMemoryHistoryStore implements HistoryStore {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, List<HistoryEntry>> byMemory = new HashMap<>();
    private final Set<String> entryIds = new HashSet<>();

    /** Creates an empty history store. */
    public InMemoryHistoryStore() {
    }

    /**
     * {@inheritDoc}
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a null entry, an entry
     *                             without id, memory id or event, the event NONE (never recorded),
     *                             or an entry id that is already stored or given twice; nothing is
     *                             appended then
     */
    @Override
    public void append(List<HistoryEntry> entries) {
        Set<String> batchIds = new HashSet<>();
        for (HistoryEntry e : entries) {
            if (e == null) {
                throw invalid("a null history entry");
            }
            if (e.id() == null || e.memoryId() == null || e.event() == null) {
                throw invalid("history entry " + e + " lacks an id, a memory id or an event");
            }
            if (e.event() == EventType.NONE) {
                throw invalid("history entry " + e.id() + " has the event NONE, which is never recorded");
            }
            if (!batchIds.add(e.id())) {
                throw invalid("history entry id " + e.id() + " is given twice");
            }
        }
        if (entries.isEmpty()) {
            return;
        }
        Lock w = lock.writeLock();
        w.lock();
        try {
            for (String id : batchIds) {
                if (entryIds.contains(id)) {
                    throw invalid("history entry id " + id + " is already stored");
                }
            }
            for (HistoryEntry e : entries) {
                byMemory.computeIfAbsent(e.memoryId(), k -> new ArrayList<>()).add(e);
            }
            entryIds.addAll(batchIds);
        } finally {
            w.unlock();
        }
    }

    @Override
    public List<HistoryEntry> history(String memoryId) {
        Lock r = lock.readLock();
        r.lock();
        try {
            List<HistoryEntry> entries = byMemory.get(memoryId);
            return entries == null ? List.of() : List.copyOf(entries);
        } finally {
            r.unlock();
        }
    }

    @Override
    public void deleteAll(Collection<String> memoryIds) {
        Lock w = lock.writeLock();
        w.lock();
        try {
            for (String memoryId : memoryIds) {
                List<HistoryEntry> removed = byMemory.remove(memoryId);
                if (removed != null) {
                    removed.forEach(e -> entryIds.remove(e.id()));
                }
            }
        } finally {
            w.unlock();
        }
    }

    @Override
    public void reset() {
        Lock w = lock.writeLock();
        w.lock();
        try {
            byMemory.clear();
            entryIds.clear();
        } finally {
            w.unlock();
        }
    }

    private static ValidationException invalid(String what) {
        return new ValidationException(ErrorCode.INVALID_ARGUMENT, "Cannot append " + what);
    }

    @Override
    public String toString() {
        return "InMemoryHistoryStore";
    }
}
