package dev.memlayer.core.internal;

import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.AsyncMemory;
import dev.memlayer.api.BatchResult;
import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.GetAllRequest;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.MemoryUpdate;
import dev.memlayer.api.Page;
import dev.memlayer.api.Scope;
import dev.memlayer.api.SearchRequest;
import dev.memlayer.api.SearchResult;
import dev.memlayer.api.filter.Filter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * {@link AsyncMemory} over a {@link Memory}: every call runs on its own virtual thread
 * ({@link Executors#newVirtualThreadPerTaskExecutor()}); a future completes exceptionally with
 * exactly the exception the synchronous call threw (not wrapped).
 */
public final class AsyncMemoryAdapter implements AsyncMemory {

    private final Memory memory;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** @param memory the synchronous memory */
    public AsyncMemoryAdapter(Memory memory) {
        this.memory = memory;
    }

    private <T> CompletableFuture<T> run(Supplier<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    future.complete(work.get());
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new IllegalStateException("this memory is closed", e));
        }
        return future;
    }

    private CompletableFuture<Void> runVoid(Runnable work) {
        return run(() -> {
            work.run();
            return null;
        });
    }

    @Override
    public CompletableFuture<AddResult> add(AddRequest request) {
        return run(() -> memory.add(request));
    }

    @Override
    public CompletableFuture<SearchResult> search(SearchRequest request) {
        return run(() -> memory.search(request));
    }

    @Override
    public CompletableFuture<MemoryItem> get(String memoryId) {
        return run(() -> memory.get(memoryId));
    }

    @Override
    public CompletableFuture<Page<MemoryItem>> getAll(GetAllRequest request) {
        return run(() -> memory.getAll(request));
    }

    @Override
    public CompletableFuture<MemoryItem> update(MemoryUpdate update) {
        return run(() -> memory.update(update));
    }

    @Override
    public CompletableFuture<Void> delete(String memoryId) {
        return runVoid(() -> memory.delete(memoryId));
    }

    @Override
    public CompletableFuture<Long> deleteAll(Scope scope, Filter filter) {
        return run(() -> memory.deleteAll(scope, filter));
    }

    @Override
    public CompletableFuture<List<HistoryEntry>> history(String memoryId) {
        return run(() -> memory.history(memoryId));
    }

    @Override
    public CompletableFuture<List<EntitySummary>> entities() {
        return run(memory::entities);
    }

    @Override
    public CompletableFuture<Long> deleteEntities(EntityType type, String id) {
        return run(() -> memory.deleteEntities(type, id));
    }

    @Override
    public CompletableFuture<BatchResult> batchUpdate(List<MemoryUpdate> updates) {
        return run(() -> memory.batchUpdate(updates));
    }

    @Override
    public CompletableFuture<BatchResult> batchDelete(List<String> memoryIds) {
        return run(() -> memory.batchDelete(memoryIds));
    }

    @Override
    public CompletableFuture<Void> reset() {
        return runVoid(memory::reset);
    }

    @Override
    public Memory sync() {
        return memory;
    }

    /** Stops accepting work; running calls finish. */
    void shutdown() {
        executor.shutdown();
    }
}
