package dev.memlayer.api;

import dev.memlayer.api.filter.Filter;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous view of a {@link Memory}: the same operations, each run on a virtual thread.
 * Futures complete exceptionally with the exceptions {@link Memory} documents.
 */
public interface AsyncMemory {

    CompletableFuture<AddResult> add(AddRequest request);

    CompletableFuture<SearchResult> search(SearchRequest request);

    CompletableFuture<MemoryItem> get(String memoryId);

    CompletableFuture<Page<MemoryItem>> getAll(GetAllRequest request);

    CompletableFuture<MemoryItem> update(MemoryUpdate update);

    CompletableFuture<Void> delete(String memoryId);

    CompletableFuture<Long> deleteAll(Scope scope, Filter filter);

    CompletableFuture<List<HistoryEntry>> history(String memoryId);

    CompletableFuture<List<EntitySummary>> entities();

    CompletableFuture<Long> deleteEntities(EntityType type, String id);

    CompletableFuture<BatchResult> batchUpdate(List<MemoryUpdate> updates);

    CompletableFuture<BatchResult> batchDelete(List<String> memoryIds);

    CompletableFuture<Void> reset();

    /** @return the synchronous facade */
    Memory sync();
}
