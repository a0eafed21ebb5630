package dev.memlayer.cli.locomo;

import dev.memlayer.api.spi.EmbeddingPurpose;
import dev.memlayer.api.spi.Embedder;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic test embedder whose similarities can be worked out by hand: one dimension per
 * vocabulary word (the count of that word in the text) plus a constant 0.1 in the last dimension,
 * L2-normalised. Two texts sharing no vocabulary word are still slightly similar (through the
 * constant), less so the more vocabulary words the other text has.
 */
final class KeywordEmbedder implements Embedder {

    static final List<String> VOCABULARY = List.of("guitar", "garden", "paris", "puppy", "marathon", "bakery", "novel",
            "tokyo", "chess");

    @Override
    public int dimensions() {
        return VOCABULARY.size() + 1;
    }

    @Override
    public float[] embed(String text, EmbeddingPurpose purpose) {
        float[] v = new float[dimensions()];
        for (String token : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
            int i = VOCABULARY.indexOf(token);
            if (i >= 0) {
                v[i] += 1;
            }
        }
        v[VOCABULARY.size()] = 0.1f;
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
