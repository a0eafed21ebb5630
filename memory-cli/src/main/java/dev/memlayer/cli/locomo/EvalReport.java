package dev.memlayer.cli.locomo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation's measurements with what they were measured on, rendered as a table for people or
 * as JSON for machines.
 *
 * @param data     the data file, as given or found
 * @param store    the vector store's name ({@code inmemory}, ...)
 * @param embedder the embedder's name ({@code bge-small}, ...)
 * @param result   the measurements
 */
public record EvalReport(String data, String store, String embedder, EvalResult result) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * The machine-readable form: {@code recall_at_1}, {@code recall_at_5}, {@code recall_at_10}
     * (means in [0,1]), {@code by_category} (category name to {@code {category, questions,
     * recall_at_1, recall_at_5, recall_at_10}}), {@code questions} (evaluated),
     * {@code skipped_questions}, {@code conversations}, {@code turns}, {@code ingest_seconds},
     * {@code ingest_per_s} (turns), {@code search_seconds}, {@code search_per_s},
     * {@code search_p50_ms}, {@code search_p95_ms}, {@code store}, {@code embedder}, {@code data}.
     *
     * @return a new JSON object
     */
    public ObjectNode toJson() {
        ObjectNode n = NODES.objectNode();
        putRecall(n, result.overall());
        ObjectNode categories = n.putObject("by_category");
        for (Map.Entry<Integer, Recall> e : result.byCategory().entrySet()) {
            ObjectNode c = categories.putObject(LocomoDataset.categoryName(e.getKey()));
            c.put("category", e.getKey());
            c.put("questions", e.getValue().questions());
            putRecall(c, e.getValue());
        }
        n.put("questions", result.questions());
        n.put("skipped_questions", result.skippedQuestions());
        n.put("conversations", result.conversations());
        n.put("turns", result.turns());
        n.put("ingest_seconds", round(result.ingestSeconds(), 3));
        n.put("ingest_per_s", round(result.ingestPerSecond(), 1));
        n.put("search_seconds", round(result.searchSeconds(), 3));
        n.put("search_per_s", round(result.searchPerSecond(), 1));
        n.put("search_p50_ms", round(result.searchP50Ms(), 3));
        n.put("search_p95_ms", round(result.searchP95Ms(), 3));
        n.put("search_limit", LocomoEvaluator.SEARCH_LIMIT);
        n.put("store", store);
        n.put("embedder", embedder);
        n.put("data", data);
        return n;
    }

    /**
     * The human-readable form: a header, the recall table (one row per category and one for all
     * questions) and the throughput lines.
     *
     * @return the text, lines separated by {@code \n}, ending with one
     */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "LoCoMo retrieval: recall of evidence turns in the top k%n"));
        s.append(String.format(Locale.ROOT, "data %s: %d conversations, %d turns, %d questions with evidence%n", data,
                result.conversations(), result.turns(), result.questions()));
        s.append(String.format(Locale.ROOT, "store %s, embedder %s, one memory per turn, search limit %d%n%n", store,
                embedder, LocomoEvaluator.SEARCH_LIMIT));
        String row = "%-13s %9s %7s %7s %7s%n";
        s.append(String.format(Locale.ROOT, row, "category", "questions", "R@1", "R@5", "R@10"));
        s.append(String.format(Locale.ROOT, row, "-".repeat(13), "-".repeat(9), "-".repeat(7), "-".repeat(7), "-".repeat(7)));
        for (Map.Entry<Integer, Recall> e : result.byCategory().entrySet()) {
            s.append(recallRow(row, e.getKey() + " " + LocomoDataset.categoryName(e.getKey()), e.getValue()));
        }
        s.append(String.format(Locale.ROOT, row, "-".repeat(13), "-".repeat(9), "-".repeat(7), "-".repeat(7), "-".repeat(7)));
        s.append(recallRow(row, "all", result.overall()));
        s.append('\n');
        s.append(String.format(Locale.ROOT, "ingest  %d turns in %.1f s: %.0f turns/s%n", result.turns(),
                result.ingestSeconds(), result.ingestPerSecond()));
        s.append(String.format(Locale.ROOT, "search  %d queries in %.1f s: %.0f queries/s, latency p50 %.2f ms, p95 %.2f ms%n",
                result.questions(), result.searchSeconds(), result.searchPerSecond(), result.searchP50Ms(),
                result.searchP95Ms()));
        if (result.skippedQuestions() > 0) {
            s.append(String.format(Locale.ROOT, "(%d questions without usable evidence were skipped)%n",
                    result.skippedQuestions()));
        }
        return s.toString();
    }

    private static String recallRow(String format, String label, Recall r) {
        return String.format(Locale.ROOT, format, label, r.questions(), three(r.at1()), three(r.at5()), three(r.at10()));
    }

    private static String three(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void putRecall(ObjectNode n, Recall r) {
        n.put("recall_at_1", round(r.at1(), 4));
        n.put("recall_at_5", round(r.at5(), 4));
        n.put("recall_at_10", round(r.at10(), 4));
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
