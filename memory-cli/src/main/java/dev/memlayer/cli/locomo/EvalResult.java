package dev.memlayer.cli.locomo;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link LocomoEvaluator} measured.
 *
 * @param conversations    conversations ingested
 * @param turns            dialogue turns ingested (one memory each)
 * @param skippedQuestions questions without usable evidence, not evaluated
 * @param overall          recall over every evaluated question
 * @param byCategory       recall per LoCoMo category number (1 multi-hop, 2 temporal, 3 open-domain,
 *                         4 single-hop, 5 adversarial), ascending
 * @param ingestSeconds    wall-clock time of the ingestion, in seconds
 * @param searchSeconds    wall-clock time of all searches (one after the other), in seconds
 * @param searchP50Ms      median search latency in milliseconds (nearest rank)
 * @param searchP95Ms      95th-percentile search latency in milliseconds (nearest rank)
 * @param perQuestion      each evaluated question's outcome, in evaluation order
 */
public record EvalResult(int conversations, int turns, int skippedQuestions, Recall overall,
                         SortedMap<Integer, Recall> byCategory, double ingestSeconds, double searchSeconds,
                         double searchP50Ms, double searchP95Ms, List<QuestionOutcome> perQuestion) {

    public EvalResult {
        byCategory = Collections.unmodifiableSortedMap(new TreeMap<>(byCategory));
        perQuestion = List.copyOf(perQuestion);
    }

    /**
     * One evaluated question.
     *
     * @param sampleId  its conversation
     * @param question  the question text
     * @param category  its LoCoMo category
     * @param evidence  the canonical evidence dia_ids
     * @param retrieved the dia_ids of the search results, best first (at most the search limit)
     * @param recall    recall at 1, 5 and 10
     * @param latencyMs the search's latency in milliseconds
     */
    public record QuestionOutcome(String sampleId, String question, int category, List<String> evidence,
                                  List<String> retrieved, double[] recall, double latencyMs) {
        public QuestionOutcome {
            evidence = List.copyOf(evidence);
            retrieved = List.copyOf(retrieved);
            recall = recall.clone();
        }
    }

    /** @return how many questions were evaluated */
    public int questions() {
        return overall.questions();
    }

    /** @return turns ingested per second (0 when nothing was timed) */
    public double ingestPerSecond() {
        return ingestSeconds <= 0 ? 0 : turns / ingestSeconds;
    }

    /** @return searches per second, one after the other (0 when nothing was timed) */
    public double searchPerSecond() {
        return searchSeconds <= 0 ? 0 : questions() / searchSeconds;
    }
}
