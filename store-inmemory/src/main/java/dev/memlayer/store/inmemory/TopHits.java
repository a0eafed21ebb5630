package dev.memlayer.store.inmemory;

import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The running top-k of a search: a bounded binary heap whose root is the worst hit kept (lowest
 * score; on equal scores, the greatest id), so a better candidate replaces it in O(log k).
 *
 * <p>Scores are compared after {@link ScoredRecord#similarity} clamping, so the final order is score
 * descending, then id ascending ({@link String#compareTo}) exactly as the contract says, also among
 * records clamped to 0.
 */
final class TopHits {

    private final int limit;
    private double[] scores;
    private MemoryRecord[] records;
    private int size;

    /**
     * @param limit    k, at least 1
     * @param expected an upper bound on the candidates (sizes the arrays without allocating
     *                 {@code limit} slots for a huge limit)
     */
    TopHits(int limit, long expected) {
        this.limit = limit;
        int capacity = (int) Math.max(1, Math.min(limit, Math.min(expected, 1024)));
        this.scores = new double[capacity];
        this.records = new MemoryRecord[capacity];
    }

    /** @return whether a hit with this cosine and id would be kept (cheap: no filter evaluation) */
    /**
     * A cheap test that needs no record: true when the top-k is full and the score is strictly
     * below its worst entry, so the hit cannot enter whatever its id.
     */
    boolean rejects(double cosine) {
        return size >= limit && ScoredRecord.similarity(cosine) < scores[0];
    }

    boolean wouldAccept(double cosine, String id) {
        if (size < limit) {
            return true;
        }
        return better(ScoredRecord.similarity(cosine), id, scores[0], records[0].id());
    }

    /** Offers a hit; keeps it if it is among the best {@code limit} so far. */
    void offer(double cosine, MemoryRecord record) {
        double score = ScoredRecord.similarity(cosine);
        if (size < limit) {
            if (size == scores.length) {
                int capacity = (int) Math.min(limit, (long) scores.length * 2);
                scores = java.util.Arrays.copyOf(scores, capacity);
                records = java.util.Arrays.copyOf(records, capacity);
            }
            int i = size++;
            scores[i] = score;
            records[i] = record;
            siftUp(i);
        } else if (better(score, record.id(), scores[0], records[0].id())) {
            scores[0] = score;
            records[0] = record;
            siftDown(0);
        }
    }

    /** @return the hits, best first */
    List<ScoredRecord> sorted() {
        List<ScoredRecord> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new ScoredRecord(records[i], scores[i]));
        }
        out.sort((a, b) -> better(a.score(), a.record().id(), b.score(), b.record().id()) ? -1
                : better(b.score(), b.record().id(), a.score(), a.record().id()) ? 1 : 0);
        return out;
    }

    /** Score descending, then id ascending. */
    private static boolean better(double s1, String id1, double s2, String id2) {
        return s1 > s2 || (s1 == s2 && id1.compareTo(id2) < 0);
    }

    /** The heap keeps the worse hit above the better one. */
    private boolean worse(int i, int j) {
        return better(scores[j], records[j].id(), scores[i], records[i].id());
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && worse(right, left)) {
                worst = right;
            }
            if (!worse(worst, i)) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int i, int j) {
        double s = scores[i];
        scores[i] = scores[j];
        scores[j] = s;
        MemoryRecord r = records[i];
        records[i] = records[j];
        records[j] = r;
    }
}
