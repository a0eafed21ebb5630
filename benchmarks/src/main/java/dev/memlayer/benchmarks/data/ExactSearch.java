package dev.memlayer.benchmarks.data;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ground truth for recall@k: the exact top-k of a query among the records a filter accepts (by the
 * reference semantics, {@link FilterEvaluator}), ranked as the store contract says: by
 * {@link ScoredRecord#similarity} of the dot product in double precision (cosine for unit vectors,
 * clamped to [0,1]), ties by id ascending. Build one per filter; thread-safe once built.
 */
public final class ExactSearch {

    private final String[] ids;
    private final float[][] vectors;

    /**
     * @param records the dataset's records, with embeddings
     * @param filter  the filter, or null for all
     */
    public ExactSearch(List<MemoryRecord> records, Filter filter) {
        List<MemoryRecord> kept = new ArrayList<>();
        for (MemoryRecord r : records) {
            if (filter == null || FilterEvaluator.matches(filter, r)) {
                kept.add(r);
            }
        }
        ids = new String[kept.size()];
        vectors = new float[kept.size()][];
        for (int i = 0; i < kept.size(); i++) {
            ids[i] = kept.get(i).id();
            vectors[i] = kept.get(i).embedding();
        }
    }

    /** @return how many records the filter accepted */
    public int candidates() {
        return ids.length;
    }

    /** @return the ids of the exact top-k, best first */
    public List<String> topK(float[] query, int k) {
        record Hit(String id, double score) {
        }
        Comparator<Hit> worstFirst = Comparator.comparingDouble(Hit::score).thenComparing(Hit::id,
                Comparator.reverseOrder());
        java.util.PriorityQueue<Hit> heap = new java.util.PriorityQueue<>(k + 1, worstFirst);
        for (int i = 0; i < ids.length; i++) {
            float[] v = vectors[i];
            double dot = 0;
            for (int d = 0; d < v.length; d++) {
                dot += (double) query[d] * v[d];
            }
            heap.add(new Hit(ids[i], ScoredRecord.similarity(dot)));
            if (heap.size() > k) {
                heap.poll();
            }
        }
        Hit[] hits = heap.toArray(new Hit[0]);
        Arrays.sort(hits, worstFirst.reversed());
        List<String> out = new ArrayList<>(hits.length);
        for (Hit h : hits) {
            out.add(h.id());
        }
        return out;
    }

    /**
     * @param truth the exact top-k ids
     * @param found the ids a store returned
     * @return |truth ∩ found| / |truth| (1.0 when truth is empty)
     */
    public static double recall(List<String> truth, List<String> found) {
        if (truth.isEmpty()) {
            return 1.0;
        }
        Set<String> got = new HashSet<>(found);
        int hit = 0;
        for (String id : truth) {
            if (got.contains(id)) {
                hit++;
            }
        }
        return (double) hit / truth.size();
    }
}
