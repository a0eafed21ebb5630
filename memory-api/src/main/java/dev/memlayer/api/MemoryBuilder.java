package dev.memlayer.api;

import dev.memlayer.api.graph.GraphConfig;
import dev.memlayer.api.graph.GraphExtractor;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.LlmExtractor;
import dev.memlayer.api.spi.VectorStore;

/**
 * Assembles a {@link Memory} without Guice ({@link Memory#builder()}). Components not given fall back
 * to defaults found on the class path: a {@link dev.memlayer.api.spi.VectorStoreProvider} (the
 * in-memory store) and an {@link dev.memlayer.api.spi.EmbedderProvider} (the local ONNX embedder).
 * Without a language model, {@code infer=true} fails with {@link ErrorCode#LLM_NOT_CONFIGURED}.
 */
public interface MemoryBuilder {

    MemoryBuilder config(MemoryConfig config);

    MemoryBuilder vectorStore(VectorStore store);

    MemoryBuilder historyStore(HistoryStore store);

    MemoryBuilder embedder(Embedder embedder);

    MemoryBuilder languageModel(LanguageModel model);

    /** Replaces the default extractor built on the language model. */
    MemoryBuilder llmExtractor(LlmExtractor extractor);

    /**
     * Turns graph memory on: {@code add} also extracts entities and relations into this store, and
     * {@code search} also returns relations. Graph memory needs a language model (or a
     * {@link #graphExtractor}). The default implementation refuses, for builders that have no graph
     * memory.
     *
     * @param store the graph store; the built memory owns and closes it
     * @return this builder
     * @throws UnsupportedOperationException if this builder has no graph memory
     */
    default MemoryBuilder graphStore(GraphStore store) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support graph memory");
    }

    /**
     * Replaces the default graph extractor built on the language model.
     *
     * @return this builder
     * @throws UnsupportedOperationException if this builder has no graph memory
     */
    default MemoryBuilder graphExtractor(GraphExtractor extractor) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support graph memory");
    }

    /**
     * Sets graph memory's thresholds and limits ({@link GraphConfig#defaults()} when not called).
     *
     * @return this builder
     * @throws UnsupportedOperationException if this builder has no graph memory
     */
    default MemoryBuilder graphConfig(GraphConfig config) {
        throw new UnsupportedOperationException(getClass().getName() + " does not support graph memory");
    }

    /**
     * @return the memory; it owns (and closes) the components given to this builder
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) when a required component
     *                             is missing and no default is on the class path, or the embedder's
     *                             and the store's dimensions differ
     */
    Memory build();
}
