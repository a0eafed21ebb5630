package dev.memlayer.store.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.EventType;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.MemoryRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Schema creation and migration on start. */
class PgSchemaTest {

    private static final Instant T = Instant.parse("2024-07-20T10:00:00Z");

    @Test
    void stores_starting_at_the_same_moment_create_the_schema_once_and_all_work() throws Exception {
        PgVectorConfig config = PgTestSupport.config("concurrent", 4).build();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<AutoCloseable>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                boolean history = i % 3 == 2;
                futures.add(pool.submit(() -> {
                    go.await();
                    return history ? PgHistoryStore.create(config) : PgVectorStore.create(config);
                }));
            }
            go.countDown();
            for (Future<AutoCloseable> f : futures) {
                opened.add(f.get(60, TimeUnit.SECONDS));
            }
            PgVectorStore store = (PgVectorStore) opened.get(0);
            store.upsert(List.of(record("a", 4)));
            assertThat(((PgVectorStore) opened.get(1)).get("a")).isPresent();
            try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE schemaname = '" + config.schema()
                        + "' AND tablename = '" + config.table() + "'");
                rs.next();
                assertThat(rs.getInt(1)).as("primary key, 4 B-trees, pending, long ids, covering scope index and HNSW")
                        .isEqualTo(9);
            }
        } finally {
            for (AutoCloseable c : opened) {
                c.close();
            }
            pool.shutdownNow();
            PgTestSupport.drop(config);
        }
    }

    @Test
    void reopening_an_existing_collection_keeps_its_data() {
        PgVectorConfig config = PgTestSupport.config("reopen", 4).build();
        try {
            try (PgVectorStore store = PgVectorStore.create(config); PgHistoryStore history = store.historyStore()) {
                store.upsert(List.of(record("a", 4)));
                history.append(List.of(new HistoryEntry("h1", "a", null, "text", EventType.ADD, T, T, false, null, null)));
            }
            try (PgVectorStore store = PgVectorStore.create(config); PgHistoryStore history = store.historyStore()) {
                assertThat(store.get("a")).contains(record("a", 4));
                assertThat(history.history("a")).hasSize(1);
            }
        } finally {
            PgTestSupport.drop(config);
        }
    }

    @Test
    void a_dimension_mismatch_with_an_existing_table_is_a_clear_error_and_leaves_it_intact() {
        PgVectorConfig config = PgTestSupport.config("dims", 4).build();
        try (PgVectorStore store = PgVectorStore.create(config)) {
            store.upsert(List.of(record("a", 4)));

            assertThatThrownBy(() -> PgVectorStore.create(config.withDimensions(8)))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.DIMENSION_MISMATCH);
                        assertThat(e.getMessage()).contains("4 dimensions").contains("configured for 8");
                    });

            assertThat(store.get("a")).contains(record("a", 4));
            store.upsert(List.of(record("b", 4)));
            assertThat(store.count(null)).isEqualTo(2);
        } finally {
            PgTestSupport.drop(config);
        }
    }

    @Test
    void without_create_schema_a_missing_table_is_reported_not_created() {
        PgVectorConfig config = PgTestSupport.config("nocreate", 4).createSchema(false).build();

        assertThatThrownBy(() -> PgVectorStore.create(config)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.getMessage()).contains("does not exist"));
    }

    @Test
    void an_unreachable_server_fails_creation_quickly_with_a_retryable_error() {
        PgVectorConfig config = PgTestSupport.config("nowhere", 4).jdbcUrl("jdbc:postgresql://127.0.0.1:1/memlayer")
                .connectTimeout(Duration.ofSeconds(1)).build();
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> PgVectorStore.create(config)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.retryable()).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void dimensions_beyond_the_vector_index_use_a_halfvec_index_and_still_search() {
        PgVectorConfig config = PgTestSupport.config("wide", 2500).build();
        try (PgVectorStore store = PgVectorStore.create(config)) {
            store.upsert(List.of(record("a", 2500), record("b", 2500)));
            store.indexPending();
            var hits = store.search(new dev.memlayer.api.spi.VectorQuery(record("a", 2500).embedding(), null, 1));
            assertThat(hits).singleElement().satisfies(h -> assertThat(h.record().id()).isIn("a", "b"));
        } finally {
            PgTestSupport.drop(config);
        }
    }

    private static MemoryRecord record(String id, int dims) {
        float[] v = new float[dims];
        v[0] = 1;
        return MemoryRecord.builder().id(id).memory("memory " + id).hash("h").embedding(v).createdAt(T).updatedAt(T)
                .userId("u").build();
    }
}
