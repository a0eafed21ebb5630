package dev.memlayer.store.pgvector;

import static dev.memlayer.store.pgvector.PgTestSupport.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PgVectorStore#bulkLoad} returns once the rows are committed, the HNSW and covering indexes
 * are built afterwards in the background, and searches are exact until they are valid; the
 * covering scope index never hides rows whose ids are too long for it.
 */
class PgBulkLoadTest {

    private static final int DIMS = 16;
    private static final Instant T = Instant.parse("2024-05-01T00:00:00Z");

    @Test
    void bulk_load_returns_before_the_index_build_and_searches_are_exact_until_it_is_valid() throws Exception {
        PgVectorConfig config = PgTestSupport.config("bulkbg", DIMS).build();
        Random random = new Random(11);
        List<MemoryRecord> rows = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            rows.add(record("r" + i, i % 4 == 0 ? "big" : "u" + (i % 40), random));
        }
        try (PgVectorStore store = PgVectorStore.create(config);
             Connection blocker = PgTestSupport.openSnapshot(config)) {
            // an open snapshot older than the build keeps CREATE INDEX CONCURRENTLY from marking the index valid

            assertThat(store.bulkLoad(rows.iterator())).isEqualTo(4_000);

            assertThat(store.count(null)).isEqualTo(4_000);
            assertThat(store.awaitIndexed(Duration.ofMillis(300))).isFalse();
            assertThat(hnswValid(config)).isFalse();
            for (int q = 0; q < 10; q++) {
                float[] v = vector(random);
                for (Filter f : java.util.Arrays.asList(null, Filters.eq("user_id", "big"), Filters.eq("user_id", "u3"))) {
                    VectorQuery query = new VectorQuery(v, f, 10);
                    assertThat(ids(store.search(query))).isEqualTo(ids(store.searchExact(query)));
                }
            }

            blocker.rollback();
            assertThat(store.awaitIndexed(Duration.ofSeconds(60))).isTrue();

            assertThat(hnswValid(config)).isTrue();
            assertThat(store.pendingCount()).isZero();
            double recall = 0;
            for (int q = 0; q < 10; q++) {
                VectorQuery query = new VectorQuery(vector(random), null, 10);
                List<String> exact = ids(store.searchExact(query));
                recall += ids(store.search(query)).stream().filter(exact::contains).count() / 100.0;
            }
            assertThat(recall).isGreaterThanOrEqualTo(0.9);
        } finally {
            PgTestSupport.drop(config);
        }
    }

    @Test
    void right_after_a_bulk_load_searches_are_exact_and_the_scope_indexes_and_statistics_follow_in_the_background()
            throws Exception {
        PgVectorConfig config = PgTestSupport.config("bulkstats", DIMS).build();
        Random random = new Random(14);
        List<MemoryRecord> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rows.add(record("r" + i, "u" + (i % 100), random));
        }
        try (PgVectorStore store = PgVectorStore.create(config);
             Connection blocker = PgTestSupport.openSnapshot(config)) {

            store.bulkLoad(rows.iterator());

            VectorQuery scoped = new VectorQuery(vector(random), Filters.eq("user_id", "u7"), 10);
            List<String> expected = ids(store.searchExact(scoped));
            assertThat(expected).hasSize(10);
            assertThat(ids(store.search(scoped))).isEqualTo(expected);
            assertThat(store.awaitIndexed(Duration.ofMillis(500))).isFalse();
            blocker.rollback();
            assertThat(store.awaitIndexed(Duration.ofSeconds(60))).isTrue();
            assertThat(store.explainExact(scoped)).contains(config.table() + "_user_").doesNotContain("Seq Scan");
            assertThat(ids(store.search(scoped))).isEqualTo(expected);
            assertThat(analysedColumns(config)).contains("user_id", "agent_id", "run_id");
        } finally {
            PgTestSupport.drop(config);
        }
    }

    private static List<String> analysedColumns(PgVectorConfig config) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT attname FROM pg_stats WHERE schemaname = '" + config.schema()
                     + "' AND tablename = '" + config.table() + "'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void a_users_rows_with_ids_too_long_for_the_covering_index_are_still_found() {
        PgVectorConfig config = PgTestSupport.config("longids", DIMS).build();
        Random random = new Random(12);
        try (PgVectorStore store = PgVectorStore.create(config)) {
            List<MemoryRecord> rows = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                rows.add(record("r" + i, "alex", random));
            }
            MemoryRecord longId = record("x".repeat(3_000), "alex", random);
            rows.add(longId);
            store.upsert(rows);
            store.awaitIndexed(Duration.ofSeconds(30));

            List<ScoredRecord> hits = store.search(new VectorQuery(longId.embedding(), Filters.eq("user_id", "alex"), 3));

            assertThat(hits).first().satisfies(h -> assertThat(h.record().id()).isEqualTo(longId.id()));
            assertThat(hits.get(0).score()).isGreaterThan(0.999);
        } finally {
            PgTestSupport.drop(config);
        }
    }

    @Test
    void reset_during_a_background_build_does_not_wait_for_it_and_the_index_comes_back() throws Exception {
        PgVectorConfig config = PgTestSupport.config("resetbg", DIMS).build();
        Random random = new Random(13);
        List<MemoryRecord> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            rows.add(record("r" + i, "u" + (i % 10), random));
        }
        try (PgVectorStore store = PgVectorStore.create(config);
             Connection blocker = PgTestSupport.openSnapshot(config)) {
            store.bulkLoad(rows.iterator());
            Thread.sleep(300); // the build is under way, waiting for the blocker's snapshot

            long t0 = System.nanoTime();
            store.reset();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            blocker.rollback();

            assertThat(store.count(null)).isZero();
            assertThat(store.awaitIndexed(Duration.ofSeconds(30))).isTrue();
            assertThat(hnswValid(config)).isTrue();
        } finally {
            PgTestSupport.drop(config);
        }
    }

    private static boolean hnswValid(PgVectorConfig config) throws SQLException {
        try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce((SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('\""
                     + config.schema() + "\".\"" + config.table() + "_embedding_hnsw\"')), false)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static MemoryRecord record(String id, String user, Random random) {
        return MemoryRecord.builder().id(id).memory("memory " + id).hash("h").embedding(vector(random))
                .createdAt(T).updatedAt(T).userId(user).build();
    }

    private static float[] vector(Random random) {
        return PgTestSupport.gaussian(random, DIMS);
    }
}
