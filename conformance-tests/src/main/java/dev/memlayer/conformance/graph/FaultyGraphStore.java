package dev.memlayer.conformance.graph;

import dev.memlayer.api.Scope;
import dev.memlayer.api.graph.GraphQuery;
import dev.memlayer.api.graph.GraphSearchResult;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.graph.GraphWrite;
import dev.memlayer.api.graph.GraphWriteResult;
import dev.memlayer.api.graph.ScoredEntity;
import dev.memlayer.api.graph.StoredRelation;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link GraphStore} decorator for failure tests: it passes every call to a real store, and throws
 * a given exception from {@link #write} (without writing) once {@link #failWrites} was called, and
 * from {@link #deleteAll} and {@link #reset} (without deleting) once {@link #failDeletes} was called,
 * until {@link #stopFailing}. It counts writes and reverts. Thread-safe.
 */
public final class FaultyGraphStore implements GraphStore {

    private final GraphStore delegate;
    private volatile RuntimeException writeFailure;
    private volatile RuntimeException deleteFailure;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger reverts = new AtomicInteger();

    /** @param delegate the real store */
    public FaultyGraphStore(GraphStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Makes every later {@link #write} throw this, writing nothing. */
    public void failWrites(RuntimeException failure) {
        writeFailure = Objects.requireNonNull(failure, "failure");
    }

    /** Makes every later {@link #deleteAll} and {@link #reset} throw this, deleting nothing. */
    public void failDeletes(RuntimeException failure) {
        deleteFailure = Objects.requireNonNull(failure, "failure");
    }

    /** Lets writes and deletions through again. */
    public void stopFailing() {
        writeFailure = null;
        deleteFailure = null;
    }

    /** @return how many writes reached the real store */
    public int writes() {
        return writes.get();
    }

    /** @return how many reverts reached the real store */
    public int reverts() {
        return reverts.get();
    }

    @Override
    public List<ScoredEntity> searchEntities(Scope scope, float[] embedding, double threshold, int limit) {
        return delegate.searchEntities(scope, embedding, threshold, limit);
    }

    @Override
    public GraphSearchResult search(GraphQuery query) {
        return delegate.search(query);
    }

    @Override
    public GraphWriteResult write(GraphWrite write) {
        RuntimeException failure = writeFailure;
        if (failure != null) {
            throw failure;
        }
        writes.incrementAndGet();
        return delegate.write(write);
    }

    @Override
    public void revert(GraphWriteResult result) {
        reverts.incrementAndGet();
        delegate.revert(result);
    }

    @Override
    public List<StoredRelation> relations(Scope scope, boolean includeInvalid) {
        return delegate.relations(scope, includeInvalid);
    }

    @Override
    public long deleteAll(Scope scope) {
        RuntimeException failure = deleteFailure;
        if (failure != null) {
            throw failure;
        }
        return delegate.deleteAll(scope);
    }

    @Override
    public void reset() {
        RuntimeException failure = deleteFailure;
        if (failure != null) {
            throw failure;
        }
        delegate.reset();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
