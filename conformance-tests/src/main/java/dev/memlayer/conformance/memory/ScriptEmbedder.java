package dev.memlayer.conformance.memory;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.conformance.support.HashingEmbedder;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic {@link Embedder} whose vectors a test can fix: a text {@link #pin pinned} to a
 * vector always embeds to exactly that (unit) vector, so scores are known in advance; every other
 * text embeds with {@link HashingEmbedder} (texts that share words are similar). A text registered
 * with {@link #failOn} makes the embedder throw {@link LlmException}, as a remote embedding service
 * would after its retries.
 *
 * <p>Texts are matched exactly (after {@link String#strip()}). The purpose is ignored. Thread-safe.
 */
public final class ScriptEmbedder implements Embedder {

    /** The default dimension (64). */
    public static final int DEFAULT_DIMENSIONS = HashingEmbedder.DEFAULT_DIMENSIONS;

    private final HashingEmbedder hashing;
    private final Map<String, float[]> pinned = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final AtomicLong texts = new AtomicLong();

    /** An embedder with {@link #DEFAULT_DIMENSIONS} dimensions. */
    public ScriptEmbedder() {
        this(DEFAULT_DIMENSIONS);
    }

    /**
     * @param dimensions the vector length, at least 2
     */
    public ScriptEmbedder(int dimensions) {
        this.hashing = new HashingEmbedder(dimensions);
    }

    @Override
    public int dimensions() {
        return hashing.dimensions();
    }

    /**
     * Fixes the vector of a text: the given leading components, zero-padded to {@link #dimensions()}
     * and L2-normalised. With unit vectors a and b, a test knows the score of b for query a: the
     * clamped cosine {@code max(0, a·b)}.
     *
     * @param text       the text, matched exactly after stripping
     * @param components at most {@link #dimensions()} components, not all zero
     * @return this embedder
     */
    public ScriptEmbedder pin(String text, double... components) {
        if (components.length == 0 || components.length > dimensions()) {
            throw new IllegalArgumentException("need 1 to " + dimensions() + " components, got " + components.length);
        }
        double norm = 0;
        for (double c : components) {
            norm += c * c;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("cannot pin a zero vector");
        }
        float[] v = new float[dimensions()];
        double inv = 1.0 / Math.sqrt(norm);
        for (int i = 0; i < components.length; i++) {
            v[i] = (float) (components[i] * inv);
        }
        pinned.put(key(text), v);
        return this;
    }

    /**
     * Makes every later embedding of this text fail with {@link LlmException}.
     *
     * @param text the text, matched exactly after stripping
     * @return this embedder
     */
    public ScriptEmbedder failOn(String text) {
        failing.add(key(text));
        return this;
    }

    /**
     * @return a unit vector; the pinned one for a pinned text
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a null or blank text
     * @throws LlmException        for a text registered with {@link #failOn}
     */
    @Override
    public float[] embed(String text, EmbeddingPurpose purpose) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "cannot embed a null or blank text");
        }
        String k = key(text);
        if (failing.contains(k)) {
            throw new LlmException("scripted embedding failure for '" + k + "'");
        }
        texts.incrementAndGet();
        float[] v = pinned.get(k);
        return v != null ? v.clone() : hashing.embed(text, purpose);
    }

    /** @return how many texts were embedded successfully so far */
    public long textsEmbedded() {
        return texts.get();
    }

    private static String key(String text) {
        return Objects.requireNonNull(text, "text").strip();
    }

    @Override
    public String toString() {
        return "ScriptEmbedder[dimensions=" + dimensions() + ", pinned=" + pinned.size() + "]";
    }
}
