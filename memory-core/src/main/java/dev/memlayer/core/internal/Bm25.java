package dev.memlayer.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Okapi BM25 ranking of a few short documents (Robertson and Zaragoza 2009, "The Probabilistic
 * Relevance Framework: BM25 and Beyond"), as Mem0 ranks graph triples: {@code k1 = 1.2},
 * {@code b = 0.75}, and Lucene's non-negative idf {@code ln(1 + (N - n + 0.5) / (n + 0.5))}.
 * Tokens are maximal runs of Unicode letters and digits, lower-cased ({@link Locale#ROOT}), so
 * {@code "Rex?"} and {@code has_dog} split into {@code rex} and {@code has}, {@code dog}.
 */
final class Bm25 {

    static final double K1 = 1.2;
    static final double B = 0.75;
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Bm25() {
    }

    /** @return the tokens of a text, in order, with repeats */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String t : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * Ranks documents by their BM25 score for the query terms, highest first; equal scores keep the
     * documents' order (the sort is stable).
     *
     * @param docs  the documents
     * @param text  a document's text
     * @param query the query terms (each distinct term counts once)
     * @return the documents, re-ordered
     */
    static <T> List<T> rank(List<T> docs, Function<T, String> text, List<String> query) {
        int n = docs.size();
        if (n <= 1) {
            return List.copyOf(docs);
        }
        List<Map<String, Integer>> tf = new ArrayList<>(n);
        int[] length = new int[n];
        Map<String, Integer> df = new HashMap<>();
        long total = 0;
        for (int i = 0; i < n; i++) {
            Map<String, Integer> counts = new HashMap<>();
            List<String> tokens = tokens(text.apply(docs.get(i)));
            for (String t : tokens) {
                counts.merge(t, 1, Integer::sum);
            }
            counts.keySet().forEach(t -> df.merge(t, 1, Integer::sum));
            tf.add(counts);
            length[i] = tokens.size();
            total += tokens.size();
        }
        double avg = Math.max(1e-9, (double) total / n);
        Set<String> terms = new LinkedHashSet<>(query);
        double[] score = new double[n];
        for (String term : terms) {
            Integer containing = df.get(term);
            if (containing == null) {
                continue;
            }
            double idf = Math.log(1 + (n - containing + 0.5) / (containing + 0.5));
            for (int i = 0; i < n; i++) {
                Integer f = tf.get(i).get(term);
                if (f != null) {
                    score[i] += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length[i] / avg));
                }
            }
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]).reversed());
        List<T> out = new ArrayList<>(n);
        for (Integer i : order) {
            out.add(docs.get(i));
        }
        return out;
    }
}
