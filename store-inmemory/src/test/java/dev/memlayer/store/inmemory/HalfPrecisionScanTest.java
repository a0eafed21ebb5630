package dev.memlayer.store.inmemory;

import static dev.memlayer.conformance.support.TestVectors.id;
import static dev.memlayer.conformance.support.TestVectors.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The half-precision pre-scan of large partitions must not change a single result: every search
 * is compared with a brute-force scan that scores every record with the exact formula (same float
 * dot product, same inverse norms) and the contract's order (score descending, then id).
 */
class HalfPrecisionScanTest {

    private static final int DIMS = 384;

    /** The records as stored, by id, in insertion order (the brute-force reference reads these). */
    private final Map<String, MemoryRecord> stored = new LinkedHashMap<>();
    private final InMemoryVectorStore store = new InMemoryVectorStore(DIMS);

    @Test
    void random_vectors_give_the_same_top_k_as_an_exact_scan() {
        Random rnd = new Random(101);
        for (int i = 0; i < 3_000; i++) {
            put(record("r" + i, gaussian(rnd, 1.0)).userId("alice")
                    .metadata(Map.of("n", (long) rnd.nextInt(10))).build());
        }
        assertThat(partition("alice").hasHalves()).isTrue();
        for (int t = 0; t < 60; t++) {
            Filter filter = t % 3 == 0 ? Filters.eq("user_id", "alice")
                    : Filters.and(Filters.eq("user_id", "alice"), Filters.gte("n", (long) rnd.nextInt(10)));
            assertSameAsExact(gaussian(rnd, 1.0), filter, 1 + rnd.nextInt(40));
        }
    }

    @Test
    void near_duplicates_closer_than_the_half_precision_error_are_ranked_exactly() {
        Random rnd = new Random(102);
        float[] base = gaussian(rnd, 1.0);
        for (int i = 0; i < 1_500; i++) {
            // perturbations of 1e-5 to 1e-3 relative: many pairs are closer than the bound (~6.7e-4)
            double noise = Math.pow(10, -5 + 2 * rnd.nextDouble());
            float[] v = base.clone();
            for (int d = 0; d < DIMS; d++) {
                v[d] += (float) (noise * rnd.nextGaussian());
            }
            put(record("d" + i, v).userId("bob").build());
        }
        // exact duplicates: equal scores, ordered by id
        for (int i = 0; i < 20; i++) {
            put(record("same" + i, base.clone()).userId("bob").build());
        }
        for (int t = 0; t < 40; t++) {
            float[] q = base.clone();
            for (int d = 0; d < DIMS; d++) {
                q[d] += (float) (0.01 * rnd.nextGaussian());
            }
            assertSameAsExact(q, Filters.eq("user_id", "bob"), 1 + rnd.nextInt(50));
        }
        assertSameAsExact(base.clone(), Filters.eq("user_id", "bob"), 25);
    }

    @Test
    void vectors_of_extreme_magnitude_and_tiny_components_are_ranked_exactly() {
        Random rnd = new Random(103);
        double[] scales = {1e-30, 1e-12, 1e-9, 1e-3, 1, 1e3, 1e9, 1e12, 1e30};
        for (int i = 0; i < 1_200; i++) {
            float[] v = gaussian(rnd, scales[rnd.nextInt(scales.length)]);
            if (i % 5 == 0) {
                // components far below binary16's smallest normal (6.1e-5) next to large ones
                for (int d = 0; d < DIMS; d += 2) {
                    v[d] *= 1e-7f;
                }
            }
            put(record("m" + i, v).userId("carol").build());
        }
        put(record("zero", new float[DIMS]).userId("carol").build());
        for (int t = 0; t < 40; t++) {
            assertSameAsExact(gaussian(rnd, scales[rnd.nextInt(scales.length)]), Filters.eq("user_id", "carol"),
                    1 + rnd.nextInt(30));
        }
    }

    @Test
    void a_limit_beyond_the_positive_cosines_orders_the_zero_scores_by_id() {
        Random rnd = new Random(104);
        float[] direction = gaussian(rnd, 1.0);
        for (int i = 0; i < 600; i++) {
            float[] v = gaussian(rnd, 1.0);
            // most records point away from the query: their similarity clamps to 0
            float sign = i % 10 == 0 ? 1f : -1f;
            for (int d = 0; d < DIMS; d++) {
                v[d] = sign * Math.abs(v[d]) * Math.signum(direction[d]) + 0.01f * v[d];
            }
            put(record("z" + i, v).userId("dave").build());
        }
        assertSameAsExact(direction, Filters.eq("user_id", "dave"), 200);
        assertSameAsExact(direction, Filters.eq("user_id", "dave"), 600);
    }

    @Test
    void updates_and_removals_keep_the_half_precision_copy_in_step() {
        Random rnd = new Random(105);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            put(record("u" + i, gaussian(rnd, 1.0)).userId("erin").build());
            ids.add(id("u" + i));
        }
        for (int round = 0; round < 6; round++) {
            // remove a random third (the last slots move into the holes), re-point another third
            List<String> removed = new ArrayList<>();
            for (int i = 0; i < 300 && ids.size() > 1; i++) {
                removed.add(ids.remove(rnd.nextInt(ids.size())));
            }
            store.delete(removed);
            removed.forEach(stored::remove);
            for (int i = 0; i < 200; i++) {
                String target = ids.get(rnd.nextInt(ids.size()));
                MemoryRecord old = stored.get(target);
                put(old.toBuilder().embedding(gaussian(rnd, 1.0)).build());
            }
            for (int i = 0; i < 250; i++) {
                String name = "u" + round + "_" + i;
                put(record(name, gaussian(rnd, 1.0)).userId("erin").build());
                ids.add(id(name));
            }
            for (int t = 0; t < 10; t++) {
                assertSameAsExact(gaussian(rnd, 1.0), Filters.eq("user_id", "erin"), 1 + rnd.nextInt(20));
            }
        }
    }

    @Test
    void the_copy_is_built_from_256_records_and_dropped_below_64() {
        Random rnd = new Random(106);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < Partition.HALVES_FROM - 1; i++) {
            put(record("g" + i, gaussian(rnd, 1.0)).userId("frank").build());
            ids.add(id("g" + i));
        }
        assertThat(partition("frank").hasHalves()).isFalse();
        put(record("g-last", gaussian(rnd, 1.0)).userId("frank").build());
        assertThat(partition("frank").hasHalves()).isTrue();
        assertSameAsExact(gaussian(rnd, 1.0), Filters.eq("user_id", "frank"), 10);

        List<String> removed = new ArrayList<>(ids.subList(0, ids.size() - Partition.HALVES_DROP_BELOW + 2));
        store.delete(removed);
        removed.forEach(stored::remove);
        assertThat(partition("frank").size()).isEqualTo(Partition.HALVES_DROP_BELOW - 1);
        assertThat(partition("frank").hasHalves()).isFalse();
        assertSameAsExact(gaussian(rnd, 1.0), Filters.eq("user_id", "frank"), 10);
    }

    @Test
    void the_error_bound_covers_the_measured_differences() {
        // the bound is derived analytically; this checks it is not below what is observed
        Random rnd = new Random(107);
        float[] unitQuery = unit(gaussian(rnd, 1.0));
        short[] halves = new short[VectorMath.BLOCK * DIMS];
        float[][] rows = new float[VectorMath.BLOCK][];
        double worst = 0;
        for (int round = 0; round < 200; round++) {
            for (int j = 0; j < VectorMath.BLOCK; j++) {
                rows[j] = gaussian(rnd, Math.pow(10, rnd.nextInt(9) - 4));
                float inverse = VectorMath.inverseNorm(rows[j]);
                for (int d = 0; d < DIMS; d++) {
                    halves[d * VectorMath.BLOCK + j] = Float.floatToFloat16((float) (rows[j][d] * (double) inverse));
                }
            }
            float[] approx = new float[VectorMath.BLOCK];
            VectorMath.halfScores(halves, 0, DIMS, unitQuery, approx);
            for (int j = 0; j < VectorMath.BLOCK; j++) {
                double exact = (double) VectorMath.dot(rows[j], 0, unitQuery, DIMS) * VectorMath.inverseNorm(rows[j])
                        * VectorMath.inverseNorm(unitQuery);
                worst = Math.max(worst, Math.abs(exact - approx[j]));
            }
        }
        assertThat(worst).isGreaterThan(0).isLessThan(VectorMath.halfErrorBound(DIMS));
        assertThat(VectorMath.halfErrorBound(DIMS)).isBetween(5e-4, 8e-4);
    }

    // ------------------------------------------------------------------ helpers

    private void put(MemoryRecord record) {
        store.upsert(List.of(record));
        stored.put(record.id(), record);
    }

    private Partition partition(String user) {
        return store.partitionForTests(new ScopeKey(user, null, null));
    }

    private void assertSameAsExact(float[] query, Filter filter, int limit) {
        float queryInverse = VectorMath.inverseNorm(query);
        List<ScoredRecord> expected = stored.values().stream()
                .filter(r -> FilterEvaluator.matches(filter, r))
                .map(r -> new ScoredRecord(r, ScoredRecord.similarity((double) VectorMath.dot(r.embedding(), 0, query,
                        DIMS) * VectorMath.inverseNorm(r.embedding()) * queryInverse)))
                .sorted(Comparator.comparingDouble(ScoredRecord::score).reversed()
                        .thenComparing(s -> s.record().id()))
                .limit(limit)
                .toList();

        List<ScoredRecord> hits = store.search(new VectorQuery(query, filter, limit));

        assertThat(hits).extracting(h -> h.record().id())
                .containsExactlyElementsOf(expected.stream().map(h -> h.record().id()).toList());
        assertThat(hits).extracting(ScoredRecord::score)
                .containsExactlyElementsOf(expected.stream().map(ScoredRecord::score).toList());
    }

    private static float[] gaussian(Random rnd, double scale) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (scale * rnd.nextGaussian());
        }
        return v;
    }

    private static float[] unit(float[] v) {
        float inverse = VectorMath.inverseNorm(v);
        float[] u = new float[v.length];
        for (int d = 0; d < v.length; d++) {
            u[d] = (float) (v[d] * (double) inverse);
        }
        return u;
    }
}
