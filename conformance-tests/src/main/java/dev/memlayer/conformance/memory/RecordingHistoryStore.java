package dev.memlayer.conformance.memory;

import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.spi.HistoryStore;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link HistoryStore} that forwards every call to a real store and keeps a journal of the
 * entries that were successfully appended, so a test can prove that a failed operation appended
 * nothing (the history store itself can only be asked per memory id). It can also be told to fail
 * every append ({@link #failAppends}), standing in for a history backend that went down.
 *
 * <p>Thread-safe if the delegate is.
 */
public final class RecordingHistoryStore implements HistoryStore {

    private final HistoryStore delegate;
    private final List<HistoryEntry> journal = new CopyOnWriteArrayList<>();
    private volatile RuntimeException appendFailure;

    /**
     * @param delegate the real history store, not null
     */
    public RecordingHistoryStore(HistoryStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void append(List<HistoryEntry> entries) {
        RuntimeException failure = appendFailure;
        if (failure != null) {
            throw failure;
        }
        delegate.append(entries);
        journal.addAll(entries);
    }

    @Override
    public List<HistoryEntry> history(String memoryId) {
        return delegate.history(memoryId);
    }

    @Override
    public void deleteAll(Collection<String> memoryIds) {
        delegate.deleteAll(memoryIds);
    }

    @Override
    public void reset() {
        delegate.reset();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** @return every entry appended through this store so far, in order (a snapshot) */
    public List<HistoryEntry> journal() {
        return List.copyOf(journal);
    }

    /** @return how many entries were appended through this store so far */
    public int journalSize() {
        return journal.size();
    }

    /** Forgets the journal (the delegate is not touched). */
    public void clearJournal() {
        journal.clear();
    }

    /**
     * Makes every later {@link #append} throw without appending, until {@link #stopFailing()}.
     *
     * @param failure the exception to throw, e.g. a retryable {@link dev.memlayer.api.StoreException}
     */
    public void failAppends(RuntimeException failure) {
        appendFailure = Objects.requireNonNull(failure, "failure");
    }

    /** Lets appends through again. */
    public void stopFailing() {
        appendFailure = null;
    }

    /** @return the real store */
    public HistoryStore delegate() {
        return delegate;
    }
}
