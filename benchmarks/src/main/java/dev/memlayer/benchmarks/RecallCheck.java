package dev.memlayer.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.benchmarks.data.Dataset;
import dev.memlayer.benchmarks.data.Distribution;
import dev.memlayer.benchmarks.data.ExactSearch;
import dev.memlayer.benchmarks.data.SearchCase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * recall@k of each backend's search against exact search, on the same collections and search cases
 * as {@link SearchBenchmark}: for every (distribution, case, filter), {@code --queries} query vectors
 * drawn like the benchmark's, the exact top-k computed in Java over the dataset (filters by the
 * reference {@link dev.memlayer.api.filter.FilterEvaluator}), and the mean and minimum of
 * |found ∩ exact| / k. Not a JMH benchmark: a quick check whose JSON the Markdown report reads.
 *
 * <pre>
 * java -cp benchmarks.jar dev.memlayer.benchmarks.RecallCheck \
 *     [--backends inmemory,pgvector,redis] [--distributions clustered,uniform] \
 *     [--cases scoped-1k,scoped-10k,unscoped-10k,unscoped-100k] [--queries 200] [--limit 10] [--out FILE]
 * </pre>
 */
public final class RecallCheck {

    /**
     * One measured combination.
     *
     * @param backend      the backend name
     * @param distribution the vector distribution
     * @param searchCase   the {@link SearchCase#label()}
     * @param filter       {@code none} or {@code metadata}
     * @param candidates   memories the filter accepts
     * @param queries      queries asked
     * @param limit        k
     * @param recall       mean recall@k
     * @param minRecall    the worst query's recall@k
     * @param shortResults queries that returned fewer than min(k, candidates) hits
     */
    public record Result(String backend, String distribution, String searchCase, String filter, int candidates,
                         int queries, int limit, double recall, double minRecall, int shortResults) {
    }

    private RecallCheck() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = options(args);
        List<String> backends = list(opts.getOrDefault("backends", "inmemory,pgvector,redis"));
        List<Distribution> distributions = list(opts.getOrDefault("distributions", "clustered,uniform")).stream()
                .map(Distribution::parse).toList();
        List<SearchCase> cases = list(opts.getOrDefault("cases", "scoped-1k,scoped-10k,unscoped-10k,unscoped-100k"))
                .stream().map(SearchCase::parse).toList();
        int queries = Integer.parseInt(opts.getOrDefault("queries", "200"));
        int limit = Integer.parseInt(opts.getOrDefault("limit", "10"));
        List<Result> results = run(backends, distributions, cases, queries, limit, 1, System.out);
        print(results, System.out);
        String out = opts.get("out");
        if (out != null) {
            write(results, Path.of(out));
            System.out.println("wrote " + out);
        }
    }

    /**
     * Runs the check.
     *
     * @param divisor divides the dataset sizes (1 for the real check)
     * @param log     where progress goes
     * @return one result per backend, distribution, case and filter
     */
    public static List<Result> run(List<String> backends, List<Distribution> distributions, List<SearchCase> cases,
                                   int queries, int limit, int divisor, PrintStream log) {
        List<Result> out = new ArrayList<>();
        for (Distribution distribution : distributions) {
            Map<Dataset, List<SearchCase>> byDataset = new LinkedHashMap<>();
            for (SearchCase c : cases) {
                byDataset.computeIfAbsent(c.dataset(distribution, divisor), d -> new ArrayList<>()).add(c);
            }
            for (Map.Entry<Dataset, List<SearchCase>> e : byDataset.entrySet()) {
                Dataset dataset = e.getKey();
                log.println("exact top-" + limit + " for " + dataset + " ...");
                List<MemoryRecord> records = dataset.materialize();
                record Truth(SearchCase c, boolean metadata, Filter filter, int candidates, float[][] queries,
                             List<List<String>> topK) {
                }
                List<Truth> truths = new ArrayList<>();
                for (SearchCase c : e.getValue()) {
                    float[][] q = dataset.queries(queries, 7_001L + c.ordinal());
                    for (boolean metadata : new boolean[] {false, true}) {
                        Filter filter = c.filter(dataset, metadata);
                        ExactSearch exact = new ExactSearch(records, filter);
                        List<List<String>> topK = IntStream.range(0, queries).parallel()
                                .mapToObj(i -> exact.topK(q[i], limit)).toList();
                        truths.add(new Truth(c, metadata, filter, exact.candidates(), q, topK));
                    }
                }
                for (String backendName : backends) {
                    BenchmarkBackend backend = BenchmarkBackend.named(backendName);
                    log.println(backendName + ": loading or reusing " + dataset.collectionName("") + " ...");
                    try (VectorStore store = StoreFixture.openLoaded(backend, dataset, "")) {
                        for (Truth t : truths) {
                            double sum = 0;
                            double min = 1;
                            int shortResults = 0;
                            for (int i = 0; i < queries; i++) {
                                List<ScoredRecord> hits = store.search(new VectorQuery(t.queries()[i], t.filter(), limit));
                                if (hits.size() < Math.min(limit, t.candidates())) {
                                    shortResults++;
                                }
                                double r = ExactSearch.recall(t.topK().get(i), hits.stream().map(h -> h.record().id()).toList());
                                sum += r;
                                min = Math.min(min, r);
                            }
                            Result result = new Result(backendName, distribution.name().toLowerCase(Locale.ROOT),
                                    t.c().label(), t.metadata() ? "metadata" : "none", t.candidates(), queries, limit,
                                    sum / queries, min, shortResults);
                            log.println("  " + result);
                            out.add(result);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Prints a plain table. */
    static void print(List<Result> results, PrintStream out) {
        out.printf(Locale.ROOT, "%-10s %-10s %-14s %-9s %10s %8s %10s %8s%n", "backend", "vectors", "case", "filter",
                "candidates", "recall", "min", "short");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-10s %-10s %-14s %-9s %10d %8.4f %10.2f %8d%n", r.backend(), r.distribution(),
                    r.searchCase(), r.filter(), r.candidates(), r.recall(), r.minRecall(), r.shortResults());
        }
    }

    /** Writes {@code {"kind": "recall", "generated": ..., "results": [...]}}. */
    static void write(List<Result> results, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kind", "recall");
        root.put("generated", Instant.now().toString());
        root.put("results", results);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: RecallCheck [--backends a,b] [--distributions clustered,uniform]"
                        + " [--cases scoped-1k,...] [--queries N] [--limit K] [--out FILE]; got " + Arrays.toString(args));
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
