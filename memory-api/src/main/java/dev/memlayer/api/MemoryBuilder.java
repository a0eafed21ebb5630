package dev.memlayer.api;

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
     * @return the memory; it owns (and closes) the components given to this builder
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) when a required component
     *                             is missing and no default is on the class path, or the embedder's
     *                             and the store's dimensions differ
     */
    Memory build();
}
