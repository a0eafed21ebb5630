package dev.memlayer.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns JMH JSON result files ({@code -rf json}) and {@code RecallCheck} JSON files into one Markdown
 * page: the targets of the issues with measured values and verdicts, the add-overhead comparison
 * (in-process vs HTTP LLM), one table per benchmark (parameters, p50/p90/p99 and mean for sampled
 * latencies, throughput, and a derived rate in operations per second), and recall@k.
 *
 * <pre>
 * java -cp benchmarks.jar dev.memlayer.benchmarks.report.JmhToMarkdown \
 *     [--note TEXT] [--command TEXT]... [--generator TEXT] [--out FILE] FILE.json...
 * </pre>
 */
public final class JmhToMarkdown {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> OPERATION = Map.of(
            "SearchBenchmark", "searches",
            "BatchUpsertBenchmark", "records",
            "BulkLoadBenchmark", "records",
            "GetAllBenchmark", "pages",
            "AddPipelineBenchmark", "adds",
            "HttpAddPipelineBenchmark", "adds",
            "EmbedderBenchmark", "sentences",
            "EmbedderTwoCallersBenchmark", "sentences",
            "GraphAddBenchmark", "adds",
            "GraphSearchBenchmark", "searches");

    /** One JMH result. */
    record Row(String source, String benchmark, String mode, Map<String, String> params, double score,
               double error, String unit, Map<String, Double> percentiles, int threads, JsonNode raw) {

        String shortName() {
            String[] parts = benchmark.split("\\.");
            return parts.length < 2 ? benchmark : parts[parts.length - 2] + "." + parts[parts.length - 1];
        }

        String className() {
            return shortName().substring(0, shortName().indexOf('.'));
        }

        /** @return milliseconds per unit of the score, or NaN for a throughput unit */
        double msFactor() {
            return switch (unit) {
                case "ns/op" -> 1e-6;
                case "us/op" -> 1e-3;
                case "ms/op" -> 1;
                case "s/op" -> 1e3;
                default -> Double.NaN;
            };
        }

        /** @return operations per second per unit of a throughput score, or NaN for a time unit */
        double rateFactor() {
            return switch (unit) {
                case "ops/s" -> 1;
                case "ops/ms" -> 1e3;
                case "ops/us" -> 1e6;
                case "ops/ns" -> 1e9;
                case "ops/min" -> 1.0 / 60;
                default -> Double.NaN;
            };
        }

        Double percentileMs(String p) {
            Double v = percentiles.get(p);
            return v == null || Double.isNaN(msFactor()) ? null : v * msFactor();
        }

        Double meanMs() {
            return Double.isNaN(msFactor()) ? null : score * msFactor();
        }

        double rate() {
            return Double.isNaN(msFactor()) ? score * rateFactor() : 1000.0 / (score * msFactor());
        }
    }

    /** One {@code RecallCheck} result. */
    record Recall(String source, Map<String, String> fields, double recall, double minRecall, int candidates,
                  int queries, int limit, int shortResults) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Recall> recalls = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();

    /**
     * Reads a JMH or recall JSON file.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException if it is neither
     */
    void read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        String source = file.getFileName().toString();
        sources.add(source);
        if (root != null && root.isArray()) {
            for (JsonNode r : root) {
                Map<String, String> params = new LinkedHashMap<>();
                r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
                JsonNode pm = r.path("primaryMetric");
                Map<String, Double> pct = new LinkedHashMap<>();
                pm.path("scorePercentiles").properties().forEach(e -> pct.put(e.getKey(), e.getValue().asDouble()));
                rows.add(new Row(source, r.path("benchmark").asText(), r.path("mode").asText(), params,
                        pm.path("score").asDouble(), pm.path("scoreError").asDouble(Double.NaN),
                        pm.path("scoreUnit").asText(), pct, r.path("threads").asInt(1), r));
            }
        } else if (root != null && "recall".equals(root.path("kind").asText())) {
            for (JsonNode r : root.path("results")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String k : List.of("backend", "distribution", "searchCase", "filter")) {
                    fields.put(k, r.path(k).asText());
                }
                recalls.add(new Recall(source, fields, r.path("recall").asDouble(), r.path("minRecall").asDouble(),
                        r.path("candidates").asInt(), r.path("queries").asInt(), r.path("limit").asInt(),
                        r.path("shortResults").asInt()));
            }
        } else {
            throw new IllegalArgumentException(file + " is neither JMH JSON output (an array) nor a RecallCheck file");
        }
    }

    /** @return the Markdown page */
    String render(String note, List<String> commands, String generator) {
        StringBuilder md = new StringBuilder();
        md.append("# memlayer benchmark results\n\n");
        if (note != null && !note.isBlank()) {
            md.append(note.strip()).append("\n\n");
        }
        if (!commands.isEmpty()) {
            md.append("Measured with:\n\n```\n");
            commands.forEach(c -> md.append(c).append('\n'));
            md.append("```\n\n");
        }
        md.append("Table generated by `").append(generator).append("` from ")
                .append(String.join(", ", sources.stream().map(s -> "`" + s + "`").toList())).append(".\n\n");
        environment(md);
        targets(md);
        addComparison(md);
        Map<String, List<Row>> byBenchmark = new LinkedHashMap<>();
        rows.forEach(r -> byBenchmark.computeIfAbsent(r.shortName(), k -> new ArrayList<>()).add(r));
        if (!byBenchmark.isEmpty()) {
            md.append("## All results\n\n");
            md.append("Latencies in milliseconds; min/p50/p90/p99 from JMH's sample mode (on a busy machine the "
                    + "minimum is the best estimate of the unloaded cost of CPU-bound work); ± is JMH's 99.9% "
                    + "confidence half-interval of the mean; rate = operations per second (for latencies 1 / mean, "
                    + "one thread).\n\n");
        }
        byBenchmark.forEach((name, list) -> benchmarkTable(md, name, list));
        recallTable(md);
        return md.toString();
    }

    private void environment(StringBuilder md) {
        Set<String> lines = new LinkedHashSet<>();
        for (Row r : rows) {
            JsonNode j = r.raw();
            lines.add("`" + r.source() + "`: JDK " + j.path("jdkVersion").asText() + " (" + j.path("vmName").asText()
                    + " " + j.path("vmVersion").asText() + "), JMH " + j.path("jmhVersion").asText() + ", "
                    + j.path("forks").asInt() + " fork(s), warm-up " + j.path("warmupIterations").asInt() + " x "
                    + j.path("warmupTime").asText() + ", measurement " + j.path("measurementIterations").asInt() + " x "
                    + j.path("measurementTime").asText() + (r.mode().equals("ss") ? " (single shot)" : ""));
        }
        for (Recall r : recalls) {
            lines.add("`" + r.source() + "`: recall check, " + r.queries() + " queries per row, k = " + r.limit());
        }
        if (!lines.isEmpty()) {
            lines.forEach(l -> md.append("- ").append(l).append('\n'));
            md.append('\n');
        }
    }

    private void targets(StringBuilder md) {
        md.append("## Targets\n\n");
        md.append("| Target | Measured | Goal | Verdict |\n|---|---:|---:|---|\n");
        for (Target t : Target.all()) {
            Double measured = measure(t);
            String goal = (t.atMost() ? "<= " : ">= ") + number(t.goal()) + unitSuffix(t.unit());
            String verdict;
            if (measured == null) {
                verdict = "not measured";
            } else if (t.atMost() ? measured <= t.goal() : measured >= t.goal()) {
                verdict = "met";
            } else {
                double by = t.atMost() ? (measured / t.goal() - 1) * 100 : (1 - measured / t.goal()) * 100;
                verdict = String.format(Locale.ROOT, "**missed** (%s by %.0f%%)", t.atMost() ? "over" : "short", by);
            }
            md.append("| ").append(t.label()).append(" | ")
                    .append(measured == null ? "–" : number(measured) + unitSuffix(t.unit())).append(" | ")
                    .append(goal).append(" | ").append(verdict).append(" |\n");
        }
        md.append('\n');
    }

    private static String unitSuffix(String unit) {
        return unit.isEmpty() ? "" : " " + unit;
    }

    /** @return the target's measured value, or null when no result matches */
    Double measure(Target t) {
        if (t.metric() == Target.Metric.RECALL) {
            for (Recall r : recalls) {
                if (matches(r.fields(), t.params())) {
                    return r.recall();
                }
            }
            return null;
        }
        Row found = null;
        for (Row r : rows) {
            if (r.shortName().equals(t.benchmark()) && matches(r.params(), t.params())
                    && "clustered".equals(r.params().getOrDefault("distribution", "clustered"))) {
                found = r; // the last file wins: later runs replace earlier ones
            }
        }
        if (found == null) {
            return null;
        }
        return switch (t.metric()) {
            case P50_MS -> found.percentileMs("50.0");
            case MEAN_MS -> found.meanMs();
            case RATE -> found.rate();
            case RATE_FROM_P50 -> {
                Double p50 = found.percentileMs("50.0");
                yield p50 == null ? null : t.scale() / (p50 / 1000.0);
            }
            case RECALL -> null;
        };
    }

    private static boolean matches(Map<String, String> actual, Map<String, String> wanted) {
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!Objects.equals(actual.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private void addComparison(StringBuilder md) {
        List<Row> local = rows.stream().filter(r -> r.shortName().equals("AddPipelineBenchmark.add")
                && "true".equals(r.params().get("infer")) && "inmemory".equals(r.params().get("backend"))).toList();
        List<Row> http = rows.stream().filter(r -> r.shortName().equals("HttpAddPipelineBenchmark.add")).toList();
        if (local.isEmpty() || http.isEmpty()) {
            return;
        }
        md.append("## Add overhead (infer=true, in-memory store): in-process LLM vs LLM over HTTP\n\n");
        md.append("Zero-latency LLM in both cases; over HTTP it is `OpenAiLanguageModel` against a local "
                + "OpenAI-compatible server on 127.0.0.1 (two chat calls per add).\n\n");
        md.append("| Memories in scope | LLM | Embedder | min ms | p50 ms | p99 ms | mean ms |\n"
                + "|---:|---|---|---:|---:|---:|---:|\n");
        Set<String> sizes = new LinkedHashSet<>();
        local.forEach(r -> sizes.add(r.params().get("memoriesInScope")));
        http.forEach(r -> sizes.add(r.params().get("memoriesInScope")));
        for (String size : sizes) {
            for (Row r : local) {
                if (size.equals(r.params().get("memoriesInScope"))) {
                    comparisonRow(md, size, "in-process (scripted)", "in-process (hashing)", r);
                }
            }
            for (Row r : http) {
                if (size.equals(r.params().get("memoriesInScope"))) {
                    comparisonRow(md, size, "HTTP (OpenAiLanguageModel)", "openai".equals(r.params().get("embedder"))
                            ? "HTTP (OpenAiEmbedder)" : "in-process (hashing)", r);
                }
            }
        }
        md.append('\n');
    }

    private static void comparisonRow(StringBuilder md, String size, String llm, String embedder, Row r) {
        md.append("| ").append(size).append(" | ").append(llm).append(" | ").append(embedder).append(" | ")
                .append(optional(r.percentileMs("0.0"))).append(" | ").append(optional(r.percentileMs("50.0"))).append(" | ").append(optional(r.percentileMs("99.0")))
                .append(" | ").append(optional(r.meanMs())).append(" |\n");
    }

    private static void benchmarkTable(StringBuilder md, String name, List<Row> list) {
        Set<String> keys = new LinkedHashSet<>();
        list.forEach(r -> keys.addAll(r.params().keySet()));
        String op = OPERATION.getOrDefault(list.get(0).className(), "ops");
        boolean sampled = list.stream().anyMatch(r -> r.mode().equals("sample"));
        boolean timed = list.stream().anyMatch(r -> !Double.isNaN(r.msFactor()));
        boolean files = list.stream().map(Row::source).distinct().count() > 1;
        md.append("### ").append(name).append("\n\n");
        StringBuilder header = new StringBuilder("|");
        StringBuilder align = new StringBuilder("|");
        if (files) {
            header.append(" file |");
            align.append("---|");
        }
        for (String k : keys) {
            header.append(' ').append(k).append(" |");
            align.append("---|");
        }
        header.append(" mode | threads |");
        align.append("---|---:|");
        if (sampled) {
            header.append(" min ms | p50 ms | p90 ms | p99 ms |");
            align.append("---:|---:|---:|---:|");
        }
        if (timed) {
            header.append(" mean ms ± |");
            align.append("---:|");
        }
        header.append(" rate (").append(op).append("/s) |");
        align.append("---:|");
        md.append(header).append('\n').append(align).append('\n');
        for (Row r : list) {
            md.append('|');
            if (files) {
                md.append(' ').append(r.source()).append(" |");
            }
            for (String k : keys) {
                md.append(' ').append(r.params().getOrDefault(k, "")).append(" |");
            }
            md.append(' ').append(r.mode()).append(" | ").append(r.threads()).append(" |");
            if (sampled) {
                md.append(' ').append(optional(r.percentileMs("0.0"))).append(" | ")
                        .append(optional(r.percentileMs("50.0"))).append(" | ")
                        .append(optional(r.percentileMs("90.0"))).append(" | ")
                        .append(optional(r.percentileMs("99.0"))).append(" |");
            }
            if (timed) {
                Double mean = r.meanMs();
                md.append(' ').append(mean == null ? "" : number(mean) + errorSuffix(r.error() * r.msFactor()))
                        .append(" |");
            }
            String rate = number(r.rate());
            if (Double.isNaN(r.msFactor())) {
                rate += errorSuffix(r.error() * r.rateFactor());
            }
            md.append(' ').append(rate).append(" |\n");
        }
        md.append('\n');
    }

    private static String errorSuffix(double error) {
        return Double.isNaN(error) || error == 0 ? "" : " ± " + number(error);
    }

    private void recallTable(StringBuilder md) {
        if (recalls.isEmpty()) {
            return;
        }
        md.append("## Recall@k against exact search\n\n");
        md.append("Same collections and query distribution as `SearchBenchmark`; exact top-k computed in Java with "
                + "the reference filter semantics. short = queries answered with fewer than k hits.\n\n");
        md.append("| backend | vectors | case | filter | candidates | queries | recall@k (mean) | worst query | short |\n");
        md.append("|---|---|---|---|---:|---:|---:|---:|---:|\n");
        for (Recall r : recalls) {
            md.append("| ").append(String.join(" | ", r.fields().values())).append(" | ")
                    .append(r.candidates()).append(" | ").append(r.queries()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.4f", r.recall())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", r.minRecall())).append(" | ")
                    .append(r.shortResults()).append(" |\n");
        }
        md.append('\n');
    }

    private static String optional(Double v) {
        return v == null ? "" : number(v);
    }

    /** Three significant digits, thousands separated; no exponent. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        } else if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        } else if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        } else if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        } else if (a >= 0.01) {
            return String.format(Locale.ROOT, "%.3f", v);
        } else if (a == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.5f", v);
    }

    public static void main(String[] args) throws IOException {
        String note = null;
        String out = null;
        String generator = null;
        List<String> commands = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Iterator<String> it = List.of(args).iterator();
        while (it.hasNext()) {
            String a = it.next();
            switch (a) {
                case "--note" -> note = next(it, a);
                case "--command" -> commands.add(next(it, a));
                case "--out" -> out = next(it, a);
                case "--generator" -> generator = next(it, a);
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a
                                + "; usage: JmhToMarkdown [--note TEXT] [--command TEXT]... [--generator TEXT] [--out FILE] "
                                + "FILE.json...");
                    }
                    files.add(Path.of(a));
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("usage: JmhToMarkdown [--note TEXT] [--command TEXT]... [--out FILE] "
                    + "FILE.json...");
        }
        JmhToMarkdown report = new JmhToMarkdown();
        for (Path f : files) {
            report.read(f);
        }
        if (generator == null) {
            generator = "benchmarks/bin/jmh-to-markdown " + String.join(" ", List.of(args).stream()
                    .map(JmhToMarkdown::shellQuote).toList());
        }
        String md = report.render(note, commands, generator);
        if (out == null) {
            System.out.print(md);
        } else {
            Files.writeString(Path.of(out), md, StandardCharsets.UTF_8);
        }
    }

    private static String next(Iterator<String> it, String option) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return it.next();
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./=:,@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
