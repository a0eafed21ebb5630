package dev.memlayer.store.pgvector;

import static dev.memlayer.store.pgvector.PgTestSupport.idsAndScores;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The covering scope index {@code (user_id) INCLUDE (id, expiration_date, embedding)} serves the
 * searches the engine actually sends (scope pin AND "not expired") with an index-only scan, with
 * the same results as a heap scan; tables with the older index without expiration_date are
 * migrated in the background.
 */
class PgCoveringIndexTest {

    private static final int DIMS = 16;
    private static final Instant T = Instant.parse("2024-05-01T00:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    /** The engine's filter (EngineParts.notExpired): no expiration date, or one after today. */
    private static Filter notExpired() {
        return Filters.or(Filters.not(Filters.exists(FilterFields.EXPIRATION_DATE)),
                Filters.gt(FilterFields.EXPIRATION_DATE, TODAY.toString()));
    }

    @Test
    void a_user_scoped_search_with_the_not_expired_filter_is_an_index_only_scan_with_exact_results() throws Exception {
        PgVectorConfig config = PgTestSupport.config("cover", DIMS).build();
        Random random = new Random(21);
        List<MemoryRecord> rows = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            rows.add(record("r" + i, i % 2 == 0 ? "big" : "u" + (i % 50), expiry(i), random));
        }
        try (PgVectorStore store = PgVectorStore.create(config)) {
            store.upsert(rows);
            assertThat(store.awaitIndexed(Duration.ofSeconds(60))).isTrue();
            vacuum(config);

            Filter engineFilter = Filters.allOf(Filters.eq(FilterFields.USER_ID, "big"), notExpired());
            VectorQuery probe = new VectorQuery(vector(random), engineFilter, 10);
            assertThat(store.explainExact(probe))
                    .contains("Index Only Scan using " + config.table() + "_user_cover_idx");

            // the same condition, but not a scope pin: the exact scan reads the heap rows
            Filter unpinned = Filters.allOf(Filters.or(Filters.eq(FilterFields.USER_ID, "big"),
                    Filters.eq(FilterFields.USER_ID, "big")), notExpired());
            assertThat(store.explainExact(new VectorQuery(probe.vector(), unpinned, 10))).doesNotContain("Index Only Scan");
            for (int q = 0; q < 20; q++) {
                float[] v = vector(random);
                int limit = 1 + random.nextInt(30);
                List<ScoredRecord> viaIndex = store.search(new VectorQuery(v, engineFilter, limit));
                List<ScoredRecord> viaHeap = store.searchExact(new VectorQuery(v, unpinned, limit));
                assertThat(idsAndScores(viaIndex)).isEqualTo(idsAndScores(viaHeap));
                assertThat(viaIndex).hasSize(limit).allSatisfy(h -> {
                    assertThat(h.record().userId()).isEqualTo("big");
                    assertThat(h.record().expirationDate() == null || h.record().expirationDate().isAfter(TODAY)).isTrue();
                });
            }
        } finally {
            PgTestSupport.drop(config);
        }
    }

    @Test
    void the_older_covering_index_without_expiration_date_is_replaced_in_the_background() throws Exception {
        PgVectorConfig config = PgTestSupport.config("covermig", DIMS).build();
        Random random = new Random(22);
        List<MemoryRecord> rows = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            rows.add(record("r" + i, "u" + (i % 5), expiry(i), random));
        }
        String t = "\"" + config.schema() + "\".\"" + config.table() + "\"";
        try (PgVectorStore first = PgVectorStore.create(config)) {
            first.upsert(rows);
            assertThat(first.awaitIndexed(Duration.ofSeconds(30))).isTrue();
        }
        // the schema of the previous version: the covering index without expiration_date
        try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement()) {
            s.execute("DROP INDEX \"" + config.schema() + "\".\"" + config.table() + "_user_cover_idx\"");
            s.execute("CREATE INDEX \"" + config.table() + "_user_vec_idx\" ON " + t
                    + " (user_id) INCLUDE (id, embedding) WHERE octet_length(id) + coalesce(octet_length(user_id), 0) <= "
                    + (2560 - 4 * DIMS));
        }
        try (PgVectorStore store = PgVectorStore.create(config)) {
            assertThat(store.awaitIndexed(Duration.ofSeconds(60))).isTrue();

            assertThat(indexState(config, "_user_cover_idx")).isEqualTo("valid");
            assertThat(indexState(config, "_user_vec_idx")).isEqualTo("missing");
            VectorQuery q = new VectorQuery(vector(random), Filters.allOf(Filters.eq(FilterFields.USER_ID, "u1"), notExpired()), 5);
            assertThat(store.search(q)).hasSize(5);
        } finally {
            PgTestSupport.drop(config);
        }
    }

    private static String indexState(PgVectorConfig config, String suffix) throws SQLException {
        try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce((SELECT CASE WHEN indisvalid THEN 'valid' ELSE 'invalid' END"
                     + " FROM pg_index WHERE indexrelid = to_regclass('\"" + config.schema() + "\".\"" + config.table()
                     + suffix + "\"')), 'missing')")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void vacuum(PgVectorConfig config) throws SQLException {
        try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE \"" + config.schema() + "\".\"" + config.table() + "\"");
        }
    }

    /** A third of the rows expire: a third in the past (or today), a third later, a third never. */
    private static LocalDate expiry(int i) {
        return switch (i % 3) {
            case 0 -> TODAY.minusDays(i % 7);
            case 1 -> TODAY.plusDays(1 + i % 7);
            default -> null;
        };
    }

    private static MemoryRecord record(String id, String user, LocalDate expires, Random random) {
        return MemoryRecord.builder().id(id).memory("memory " + id).hash("h").embedding(vector(random))
                .createdAt(T).updatedAt(T).userId(user).expirationDate(expires).build();
    }

    private static float[] vector(Random random) {
        return PgTestSupport.gaussian(random, DIMS);
    }
}
