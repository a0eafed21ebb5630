package dev.memlayer.store.pgvector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration parsing and the Guice module's wiring. */
class PgVectorConfigTest {

    @Test
    void from_env_reads_the_memlayer_variables_with_project_defaults() {
        PgVectorConfig defaults = PgVectorConfig.fromEnv(Map.of());
        assertThat(defaults.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:55432/memlayer");
        assertThat(defaults.user()).isEqualTo("memlayer");
        assertThat(defaults.password()).isEqualTo("memlayer");
        assertThat(defaults.dimensions()).isZero();

        PgVectorConfig c = PgVectorConfig.fromEnv(Map.of("MEMLAYER_PG_URL", "postgresql://bob:s%40cret@db.example:6543/mem",
                "MEMLAYER_PG_TABLE", "memories", "MEMLAYER_PG_DIMENSIONS", "768", "MEMLAYER_PG_EF_SEARCH", "64",
                "MEMLAYER_PG_STATEMENT_TIMEOUT_MS", "1500", "MEMLAYER_PG_DEFER_INDEXING", "false"));
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/mem");
        assertThat(c.user()).isEqualTo("bob");
        assertThat(c.password()).isEqualTo("s@cret");
        assertThat(c.table()).isEqualTo("memories");
        assertThat(c.historyTable()).isEqualTo("memories_history");
        assertThat(c.dimensions()).isEqualTo(768);
        assertThat(c.efSearch()).isEqualTo(64);
        assertThat(c.statementTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.deferIndexing()).isFalse();
        assertThat(c.toString()).doesNotContain("s@cret");
    }

    @Test
    void invalid_settings_are_rejected_with_the_setting_named() {
        assertThatThrownBy(() -> PgVectorConfig.builder().jdbcUrl("jdbc:postgresql://h/db").table("bad-name").build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).contains("table");
                });
        assertThatThrownBy(() -> PgVectorConfig.builder().jdbcUrl("jdbc:postgresql://h/db").table("x\"; DROP").build())
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> PgVectorConfig.builder().jdbcUrl("jdbc:mysql://h/db").build())
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> PgVectorConfig.builder().host("h").hnswM(8).hnswEfConstruction(8).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).contains("hnswEfConstruction"));
        assertThatThrownBy(() -> PgVectorConfig.fromEnv(Map.of("MEMLAYER_PG_POOL_SIZE", "many")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).contains("MEMLAYER_PG_POOL_SIZE"));
        assertThat(PgVectorConfig.builder().host("db").port(5433).database("mem").build().jdbcUrl())
                .isEqualTo("jdbc:postgresql://db:5433/mem");
    }

    @Test
    void the_guice_module_connects_only_when_the_store_is_first_needed() {
        PgVectorConfig unreachable = PgTestSupport.config("guice", 4).jdbcUrl("jdbc:postgresql://127.0.0.1:1/none")
                .connectTimeout(Duration.ofMillis(500)).build();

        Injector injector = Guice.createInjector(new PgVectorModule(unreachable)); // no connection yet

        assertThatThrownBy(() -> injector.getInstance(VectorStore.class)).isInstanceOf(ProvisionException.class)
                .hasCauseInstanceOf(StoreException.class);
    }

    @Test
    void the_guice_module_binds_both_stores_on_one_pool() {
        PgVectorConfig config = PgTestSupport.config("guice", 4).build();
        try {
            Injector injector = Guice.createInjector(new PgVectorModule(config));
            VectorStore store = injector.getInstance(VectorStore.class);
            HistoryStore history = injector.getInstance(HistoryStore.class);

            assertThat(store).isSameAs(injector.getInstance(PgVectorStore.class));
            assertThat(store.dimensions()).isEqualTo(4);
            assertThat(history.history("nothing")).isEmpty();
            store.close();
            assertThat(history.history("still open")).isEmpty();
            history.close();
            assertThatThrownBy(() -> history.history("closed")).isInstanceOf(RuntimeException.class);
        } finally {
            PgTestSupport.drop(config);
        }
    }

    @Test
    void without_dimensions_or_an_embedder_the_module_explains_what_to_set() {
        PgVectorConfig config = PgTestSupport.config("guice", 4).dimensions(0).build();
        Injector injector = Guice.createInjector(new PgVectorModule(config));

        assertThatThrownBy(() -> injector.getInstance(VectorStore.class)).isInstanceOf(ProvisionException.class)
                .rootCause().isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.getMessage()).contains("MEMLAYER_PG_DIMENSIONS"));
    }
}
