package dev.memlayer.api.spi;

/**
 * Why a text is being embedded. Some models (e.g. BGE, E5, Nomic) embed search queries and stored
 * passages differently; an {@link Embedder} may use the purpose to add a model-specific prefix.
 */
public enum EmbeddingPurpose {
    /** A memory text about to be stored for the first time. */
    ADD,
    /** A search query. */
    SEARCH,
    /** A memory text whose content changed and is re-embedded. */
    UPDATE
}
