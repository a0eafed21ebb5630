package dev.memlayer.cli.locomo;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Mean recall of evidence turns at k = 1, 5 and 10 over a group of questions.
 *
 * <p>For one question with evidence set E and ranked results r1, r2, ...: recall@k =
 * |E ∩ {r1..rk}| / |E| (in [0,1]); a group's value is the unweighted mean over its questions.
 *
 * @param questions how many questions were averaged, at least 0
 * @param at1       mean recall@1, in [0,1] (0 for an empty group)
 * @param at5       mean recall@5, in [0,1]
 * @param at10      mean recall@10, in [0,1]
 */
public record Recall(int questions, double at1, double at5, double at10) {

    /**
     * Recall@k of one question.
     *
     * @param ranked   the retrieved dia_ids, best first (duplicates count once)
     * @param evidence the question's evidence dia_ids, not empty
     * @param k        the cut-off, at least 1
     * @return the fraction of the evidence found among the first k results, in [0,1]
     * @throws IllegalArgumentException for empty evidence or k below 1
     */
    public static double atK(List<String> ranked, Collection<String> evidence, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        Set<String> wanted = new HashSet<>(evidence);
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("recall is undefined for a question without evidence");
        }
        Set<String> top = new HashSet<>(ranked.subList(0, Math.min(k, ranked.size())));
        top.retainAll(wanted);
        return (double) top.size() / wanted.size();
    }

    /**
     * @param perQuestion the questions' recall values, each {@code [r@1, r@5, r@10]}
     * @return their means
     */
    public static Recall mean(List<double[]> perQuestion) {
        double a1 = 0;
        double a5 = 0;
        double a10 = 0;
        for (double[] r : perQuestion) {
            a1 += r[0];
            a5 += r[1];
            a10 += r[2];
        }
        int n = perQuestion.size();
        return n == 0 ? new Recall(0, 0, 0, 0) : new Recall(n, a1 / n, a5 / n, a10 / n);
    }
}
