package dev.memlayer.store.pgvector;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Measures the numbers of the pgvector acceptance criteria at 100k x 384 (bulk load, incremental
 * batch upserts, search latency and recall@10 against exact search). Not a test: run it by hand
 * with the test class path, e.g. {@code java -cp ... dev.memlayer.store.pgvector.PgVectorMeasurements}.
 *
 * <p>Data: 100,000 unit vectors around 1,000 random cluster centres (Gaussian noise, cosine to
 * the centre about 0.7); scopes are independent of the clusters and scattered over the table
 * (a seeded permutation, as if users had written over time): user {@code big} has 10,000
 * memories, {@code k5} 5,000, {@code k2} 2,000, {@code k1} 1,000, {@code small} 50, and 900 other
 * users about 90 each. System properties: {@code phases} (default {@code load,write,search}),
 * {@code reload=true} to rebuild the table, {@code table}, {@code n}.
 */
public final class PgVectorMeasurements {

    static final int N = Integer.getInteger("n", 100_000);
    static final int DIMS = 384;
    static final String TABLE = System.getProperty("table", "bench_100k");

    private PgVectorMeasurements() {
    }

    public static void main(String[] args) {
        Random rnd = new Random(42);
        float[][] centres = new float[1000][];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = gaussian(rnd, 1.0);
        }
        int[] rank = new int[N];
        List<Integer> perm = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            perm.add(i);
        }
        java.util.Collections.shuffle(perm, new Random(99));
        for (int i = 0; i < N; i++) {
            rank[perm.get(i)] = i;
        }
        IntFunction<MemoryRecord> record = i -> {
            Random r = new Random(1000L + i);
            float[] v = around(centres[r.nextInt(centres.length)], r);
            int k = i < N ? rank[i] : i;
            String user = k < 10_000 ? "big" : k < 15_000 ? "k5" : k < 17_000 ? "k2" : k < 18_000 ? "k1"
                    : k < 18_050 ? "small" : "u" + (k % 900);
            Instant t = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i);
            return MemoryRecord.builder().id(String.format("m%08d", i)).memory("memory number " + i).hash("h" + i)
                    .embedding(v).metadata(Map.of("topic", (long) (i % 100), "source", i % 2 == 0 ? "chat" : "doc"))
                    .categories(List.of("c" + (i % 10))).createdAt(t).updatedAt(t).userId(user).build();
        };
        PgVectorConfig base = PgVectorConfig.fromEnv(Map.copyOf(System.getenv())).toBuilder().table(TABLE)
                .dimensions(DIMS).poolSize(4).statementTimeout(Duration.ofMinutes(10)).maintenanceWorkMem("1GB").build();

        String phases = System.getProperty("phases", "load,write,search");
        try (PgVectorStore store = PgVectorStore.create(base)) {
            if (phases.contains("load") && (store.count(null) != N || Boolean.getBoolean("reload"))) {
                store.reset();
                List<MemoryRecord> all = new ArrayList<>(N);
                for (int i = 0; i < N; i++) {
                    all.add(record.apply(i)); // generated before timing
                }
                long t0 = System.nanoTime();
                long n = store.bulkLoad(all.iterator());
                double s = (System.nanoTime() - t0) / 1e9;
                boolean indexed = store.awaitIndexed(Duration.ofMinutes(30));
                double s2 = (System.nanoTime() - t0) / 1e9;
                System.out.printf("bulk load (COPY FREEZE into the empty table, B-trees, ANALYZE; HNSW and covering index"
                        + " still building): %d records in %.2f s = %.0f records/s; load + index build (awaitIndexed %s):"
                        + " %.2f s = %.0f records/s%n", n, s, n / s, indexed, s2, n / s2);
            }
            if (phases.contains("write")) {
                incremental(store, base, record);
            }
            if (phases.contains("small")) {
                smallBatches(store, record);
            }
            if (phases.contains("search")) {
                searches(base, centres);
            }
        }
    }

    private static void incremental(PgVectorStore store, PgVectorConfig base, IntFunction<MemoryRecord> record) {
        store.indexPending();
        int[] next = {2_000_000};
        java.util.function.Supplier<List<MemoryRecord>> fresh = () -> {
            List<MemoryRecord> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int id = next[0]++;
                batch.add(record.apply(id).toBuilder().id(String.format("n%08d", id)).build());
            }
            return batch;
        };
        for (int threshold : new int[] {64, Integer.MAX_VALUE}) {
            store.copyThreshold = threshold;
            String how = threshold == 64 ? "COPY+merge" : "multi-row INSERT";
            List<Double> rates = new ArrayList<>();
            for (int b = 0; b < 5; b++) {
                List<MemoryRecord> batch = fresh.get();
                long t0 = System.nanoTime();
                store.upsert(batch);
                rates.add(1000 / ((System.nanoTime() - t0) / 1e9));
            }
            System.out.printf("upsert 1000 NEW records/batch, deferred HNSW indexing (%s): %s records/s%n", how, fmt(rates));
            rates.clear();
            for (int b = 0; b < 5; b++) {
                List<MemoryRecord> batch = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    MemoryRecord r = record.apply(30_000 + b * 1000 + i + (threshold == 64 ? 0 : 5000));
                    batch.add(r.toBuilder().memory(r.memory() + " (updated)").build());
                }
                long t0 = System.nanoTime();
                store.upsert(batch);
                rates.add(1000 / ((System.nanoTime() - t0) / 1e9));
            }
            System.out.printf("upsert 1000 EXISTING records/batch (updates), deferred HNSW indexing (%s): %s records/s%n", how, fmt(rates));
        }
        store.copyThreshold = PgVectorStore.COPY_THRESHOLD;
        long pending = store.pendingCount();
        long t0 = System.nanoTime();
        long promoted = store.indexPending();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("background HNSW indexing: %d pending rows absorbed in %.1f s = %.0f rows/s (%d by this thread,"
                + " the rest by the store's background indexer)%n", pending, s, pending / s, promoted);
        try (PgVectorStore sync = PgVectorStore.create(base.toBuilder().deferIndexing(false).build())) {
            List<Double> rates = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                List<MemoryRecord> batch = fresh.get();
                long t1 = System.nanoTime();
                sync.upsert(batch);
                rates.add(1000 / ((System.nanoTime() - t1) / 1e9));
            }
            System.out.printf("upsert 1000 NEW records/batch, synchronous HNSW insertion (COPY+merge): %s records/s%n", fmt(rates));
        }
        // remove the added rows again so that later runs see the same table
        store.deleteWhere(Filters.gte("id", "n"));
        store.indexPending();
    }

    /** Latency of small upserts through each write path, to place the COPY threshold. */
    private static void smallBatches(PgVectorStore store, IntFunction<MemoryRecord> record) {
        int next = 3_000_000;
        for (int size : new int[] {1, 5, 20, 50, 100, 200}) {
            for (int threshold : new int[] {1, Integer.MAX_VALUE}) {
                store.copyThreshold = threshold;
                double[] ms = new double[25];
                for (int rep = 0; rep < ms.length; rep++) {
                    List<MemoryRecord> batch = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        int id = next++;
                        batch.add(record.apply(id).toBuilder().id(String.format("s%08d", id)).build());
                    }
                    long t0 = System.nanoTime();
                    store.upsert(batch);
                    ms[rep] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf("upsert of %3d new records via %-16s: median %.2f ms%n", size,
                        threshold == 1 ? "COPY+merge" : "multi-row INSERT", ms[ms.length / 2]);
            }
        }
        store.copyThreshold = PgVectorStore.COPY_THRESHOLD;
        store.deleteWhere(Filters.gte("id", "s"));
        store.indexPending();
    }

    private static void searches(PgVectorConfig base, float[][] centres) {
        Random rnd = new Random(7);
        List<float[]> queries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            queries.add(around(centres[rnd.nextInt(centres.length)], rnd));
        }
        record Scenario(String name, Filter filter) {
        }
        List<Scenario> scenarios = List.of(
                new Scenario("unscoped", null),
                new Scenario("user big (10k of 100k)", Filters.eq("user_id", "big")),
                new Scenario("user k5 (5k of 100k)", Filters.eq("user_id", "k5")),
                new Scenario("user k2 (2k of 100k)", Filters.eq("user_id", "k2")),
                new Scenario("user k1 (1k of 100k)", Filters.eq("user_id", "k1")),
                new Scenario("user small (50 of 100k)", Filters.eq("user_id", "small")),
                new Scenario("user u7 (~90 of 100k)", Filters.eq("user_id", "u7")),
                new Scenario("metadata topic=7 (1%, no scope column)", Filters.eq("topic", 7)),
                new Scenario("user big + source=chat", Filters.and(Filters.eq("user_id", "big"), Filters.eq("source", "chat"))));
        int[][] settings = parseSettings(System.getProperty("settings", "100:20000,40:20000,100:0"));
        for (int[] s : settings) {
            PgVectorConfig c = base.toBuilder().efSearch(s[0]).exactSearchThreshold(s[1]).build();
            try (PgVectorStore store = PgVectorStore.create(c)) {
                String only = System.getProperty("scenarios", "");
                for (Scenario sc : scenarios) {
                    if (sc.filter() == null && s[1] == 0 || !only.isEmpty() && java.util.Arrays.stream(only.split(","))
                            .noneMatch(sc.name()::startsWith)) {
                        continue;
                    }
                    // warm up
                    for (int i = 0; i < 30; i++) {
                        store.search(new VectorQuery(queries.get(i), sc.filter(), 10));
                    }
                    double[] lat = new double[queries.size()];
                    double recall = 0;
                    int full = 0;
                    for (int i = 0; i < queries.size(); i++) {
                        VectorQuery q = new VectorQuery(queries.get(i), sc.filter(), 10);
                        long t0 = System.nanoTime();
                        List<ScoredRecord> got = store.search(q);
                        lat[i] = (System.nanoTime() - t0) / 1e6;
                        List<ScoredRecord> truth = store.searchExact(q);
                        Set<String> want = new HashSet<>();
                        truth.forEach(t -> want.add(t.record().id()));
                        long hit = got.stream().filter(g -> want.contains(g.record().id())).count();
                        recall += truth.isEmpty() ? 1 : (double) hit / truth.size();
                        if (got.size() == Math.min(10, truth.size())) {
                            full++;
                        }
                    }
                    Arrays.sort(lat);
                    System.out.printf("search %-42s ef_search=%3d exactThreshold=%5d: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, recall@10 %.4f, full pages %d/%d%n",
                            sc.name(), s[0], s[1], lat[lat.length / 2], lat[(int) (lat.length * 0.95)],
                            lat[(int) (lat.length * 0.99)], recall / queries.size(), full, queries.size());
                }
            }
        }
    }

    private static int[][] parseSettings(String spec) {
        return Arrays.stream(spec.split(",")).map(x -> x.split(":"))
                .map(a -> Arrays.stream(a).mapToInt(Integer::parseInt).toArray()).toArray(int[][]::new);
    }

    private static String fmt(List<Double> rates) {
        double[] r = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("median %.0f (min %.0f, max %.0f)", r[r.length / 2], r[0], r[r.length - 1]);
    }

    static float[] gaussian(Random r, double sigma) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) (r.nextGaussian() * sigma);
        }
        return normalise(v);
    }

    static float[] around(float[] centre, Random r) {
        float[] v = new float[DIMS];
        double sigma = 1.0 / Math.sqrt(DIMS);
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) (centre[i] + r.nextGaussian() * sigma);
        }
        return normalise(v);
    }

    static float[] normalise(float[] v) {
        double n = 0;
        for (float f : v) {
            n += f * f;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
