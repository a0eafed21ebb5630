package dev.memlayer.conformance.support;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A deterministic, dependency-free {@link Embedder} for tests and benchmarks: signed feature hashing
 * (the "hashing trick", Weinberger et al. 2009) of lower-cased word unigrams (weight 1) and bigrams
 * (weight 0.5) into a fixed number of dimensions, L2-normalised.
 *
 * <ul>
 *   <li>The same text always gives the same vector, on every JVM (FNV-1a 64-bit over UTF-8).</li>
 *   <li>Texts that share words have positive cosine similarity; texts with no word in common are
 *       near-orthogonal (exactly orthogonal unless their features collide).</li>
 *   <li>Case and punctuation are ignored: words are maximal runs of Unicode letters and digits,
 *       lower-cased with {@link Locale#ROOT}.</li>
 *   <li>The purpose is ignored.</li>
 * </ul>
 *
 * <p>Thread-safe. It counts the texts it embedded ({@link #textsEmbedded()}), so engine tests can
 * check how often the engine embeds.
 */
public final class HashingEmbedder implements Embedder {

    /** The default dimension (64). */
    public static final int DEFAULT_DIMENSIONS = 64;

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final int dimensions;
    private final AtomicLong texts = new AtomicLong();

    /** An embedder with {@link #DEFAULT_DIMENSIONS} dimensions. */
    public HashingEmbedder() {
        this(DEFAULT_DIMENSIONS);
    }

    /**
     * @param dimensions the vector length, at least 2
     * @throws IllegalArgumentException for fewer than 2 dimensions
     */
    public HashingEmbedder(int dimensions) {
        if (dimensions < 2) {
            throw new IllegalArgumentException("dimensions must be at least 2, got " + dimensions);
        }
        this.dimensions = dimensions;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    /**
     * @return a unit vector of {@link #dimensions()} floats
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a null or blank text
     */
    @Override
    public float[] embed(String text, EmbeddingPurpose purpose) {
        if (text == null || text.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "cannot embed a null or blank text");
        }
        texts.incrementAndGet();
        List<String> words = words(text);
        double[] acc = new double[dimensions];
        if (words.isEmpty()) {
            // only punctuation or symbols: hash the whole stripped text so that the result is still
            // a deterministic unit vector
            add(acc, text.strip(), 1.0);
        }
        for (int i = 0; i < words.size(); i++) {
            add(acc, words.get(i), 1.0);
            if (i + 1 < words.size()) {
                add(acc, words.get(i) + ' ' + words.get(i + 1), 0.5);
            }
        }
        double norm = 0;
        for (double x : acc) {
            norm += x * x;
        }
        float[] out = new float[dimensions];
        if (norm == 0) {
            // features cancelled out exactly (possible with signed hashing): fall back to one axis
            out[(int) Long.remainderUnsigned(hash(text), dimensions)] = 1f;
            return out;
        }
        double inv = 1.0 / Math.sqrt(norm);
        for (int i = 0; i < dimensions; i++) {
            out[i] = (float) (acc[i] * inv);
        }
        return out;
    }

    /** @return how many texts this embedder has embedded so far */
    public long textsEmbedded() {
        return texts.get();
    }

    /**
     * The words of a text as this embedder sees them: maximal runs of Unicode letters and digits,
     * lower-cased with {@link Locale#ROOT}.
     *
     * @param text any text
     * @return the words in order, possibly empty
     */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private void add(double[] acc, String feature, double weight) {
        long h = hash(feature);
        int index = (int) Long.remainderUnsigned(h, dimensions);
        double sign = (h >>> 63) == 0 ? 1.0 : -1.0;
        acc[index] += sign * weight;
    }

    /** FNV-1a, 64 bit, over the UTF-8 bytes, followed by a murmur3 finaliser to spread the bits. */
    private static long hash(String s) {
        long h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public String toString() {
        return "HashingEmbedder[dimensions=" + dimensions + "]";
    }
}
