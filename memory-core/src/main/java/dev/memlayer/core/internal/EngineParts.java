package dev.memlayer.core.internal;

import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.LlmExtractor;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * What the engine's parts share: configuration, backends, the checked embedder, the optional
 * extractor and the scope locks, plus the clock-derived values.
 *
 * @param config     engine settings (clock, candidates per fact, prompts)
 * @param store      the vector store
 * @param history    the history store
 * @param embeddings the checked embedder
 * @param extractor  the LLM extractor, or null when no language model is configured
 * @param locks      the in-process scope locks
 * @param graph      graph memory, or null when no graph store is configured
 */
record EngineParts(MemoryConfig config, VectorStore store, HistoryStore history, Embeddings embeddings,
                   LlmExtractor extractor, ScopeLocks locks, GraphMemory graph) {

    /** @return now from the configured clock, truncated to milliseconds (every backend keeps those) */
    Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** @return today's date in UTC from the configured clock */
    LocalDate today() {
        return LocalDate.ofInstant(config.clock().instant(), ZoneOffset.UTC);
    }

    /**
     * The filter excluding expired memories: a memory is expired when today (UTC) &gt;= its
     * expiration date, so it is kept when it has none or its date is after today (ISO dates compare
     * as strings).
     */
    Filter notExpired() {
        return Filters.or(Filters.not(Filters.exists(FilterFields.EXPIRATION_DATE)),
                Filters.gt(FilterFields.EXPIRATION_DATE, today().toString()));
    }

    /** Re-embeds a record's text, to restore a record whose embedding a store did not return. */
    float[] reembed(MemoryRecord record) {
        return embeddings.embed(record.memory(), EmbeddingPurpose.ADD);
    }

    /** Commits a batch against the configured stores. */
    void commit(WriteBatch batch) {
        batch.commit(store, history, this::reembed);
    }

    /** Runs a backend call, turning a non-memlayer failure into a {@link StoreException}. */
    static <T> T backend(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (MemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), false, e);
        }
    }
}
