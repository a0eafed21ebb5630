package dev.memlayer.store.redis;

import static dev.memlayer.api.filter.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.conformance.support.TestVectors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A quick measurement, not part of the build (the benchmarks module has the JMH ones): batch
 * upsert throughput and scoped search latency with N memories of 384 dimensions in scopes of S
 * memories (user ids), k = 10. Run it by hand:
 *
 * <pre>
 * mvn -pl store-redis test -Dtest=RedisStoreMeasurement -Dmemlayer.measure=true \
 *     [-Dmemlayer.measure.records=100000] [-Dmemlayer.measure.scope=50] [-Dmemlayer.measure.batch=1000]
 * </pre>
 *
 * It prints records/s (acknowledged, then including the indexing of the backlog the writes left,
 * see {@link RedisConfig#indexBacklog()}) and the p50/p95/p99 search latency in milliseconds (3,000 queries after 500
 * warm-up queries, one client thread).
 */
@EnabledIfSystemProperty(named = "memlayer.measure", matches = "true")
class RedisStoreMeasurement {

    @Test
    void measure_batch_upsert_and_scoped_search() {
        int n = Integer.getInteger("memlayer.measure.records", 100_000);
        int scopeSize = Integer.getInteger("memlayer.measure.scope", 50);
        int batch = Integer.getInteger("memlayer.measure.batch", 1000);
        int dims = 384;
        String prefix = RedisTestSupport.uniquePrefix(RedisStoreMeasurement.class);
        RedisConfig config = RedisTestSupport.config(prefix, dims).toBuilder().commandTimeout(Duration.ofSeconds(60)).build();
        try (RedisVectorStore store = RedisVectorStore.create(config)) {
            store.reset();
            try {
                Random rnd = new Random(1);
                int scopes = Math.max(1, n / scopeSize);
                long writeNanos = 0;
                for (int from = 0; from < n; from += batch) {
                    List<MemoryRecord> records = new ArrayList<>(batch);
                    for (int i = from; i < Math.min(n, from + batch); i++) {
                        records.add(TestVectors.record("m" + i, rnd, dims).userId("user-" + (i % scopes)).build());
                    }
                    long t0 = System.nanoTime();
                    store.upsert(records);
                    writeNanos += System.nanoTime() - t0;
                }
                System.out.printf(Locale.ROOT, "upsert: %d records x %d dims in batches of %d: %.0f records/s%n", n, dims,
                        batch, n / (writeNanos / 1e9));
                long indexStart = System.nanoTime();
                long left = store.indexPending();
                long indexNanos = System.nanoTime() - indexStart;
                System.out.printf(Locale.ROOT, "indexing the %d vectors still pending: %.1f s; with it: %.0f records/s%n",
                        left, indexNanos / 1e9, n / ((writeNanos + indexNanos) / 1e9));

                int queries = 3000;
                int warmUp = 500;
                long[] nanos = new long[queries];
                for (int i = 0; i < queries + warmUp; i++) {
                    float[] q = TestVectors.randomUnit(rnd, dims);
                    String user = "user-" + rnd.nextInt(scopes);
                    long t0 = System.nanoTime();
                    int hits = store.search(new VectorQuery(q, eq("user_id", user), 10)).size();
                    long t = System.nanoTime() - t0;
                    assertThat(hits).isEqualTo(Math.min(10, scopeSize));
                    if (i >= warmUp) {
                        nanos[i - warmUp] = t;
                    }
                }
                Arrays.sort(nanos);
                System.out.printf(Locale.ROOT,
                        "scoped search (scope of %d among %d, k=10): p50 %.3f ms, p95 %.3f ms, p99 %.3f ms%n",
                        scopeSize, n, nanos[queries / 2] / 1e6, nanos[queries * 95 / 100] / 1e6,
                        nanos[queries * 99 / 100] / 1e6);
            } finally {
                store.reset();
            }
        }
    }
}
