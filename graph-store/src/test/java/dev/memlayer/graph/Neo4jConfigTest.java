package dev.memlayer.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Neo4jConfigTest {

    @Test
    void from_env_reads_uri_credentials_database_and_collection() {
        Neo4jConfig c = Neo4jConfig.fromMap(Map.of("NEO4J_URI", "neo4j://graph:7687", "NEO4J_USER", "neo4j",
                "NEO4J_PASSWORD", "pw", "NEO4J_DATABASE", "memories", "MEMLAYER_GRAPH_COLLECTION", "tenant_a"));

        assertThat(c.uri()).isEqualTo("neo4j://graph:7687");
        assertThat(c.user()).isEqualTo("neo4j");
        assertThat(c.password()).isEqualTo("pw");
        assertThat(c.database()).isEqualTo("memories");
        assertThat(c.collection()).isEqualTo("tenant_a");
        assertThat(c.useVectorIndex()).isTrue();
        assertThat(c.exactScanLimit()).isEqualTo(Neo4jConfig.DEFAULT_EXACT_SCAN_LIMIT);
    }

    @Test
    void from_env_defaults_to_a_local_server_without_authentication() {
        Neo4jConfig c = Neo4jConfig.fromMap(Map.of());

        assertThat(c.uri()).isEqualTo(Neo4jConfig.DEFAULT_URI);
        assertThat(c.user()).isNull();
        assertThat(c.database()).isNull();
        assertThat(c.collection()).isEqualTo(Neo4jConfig.DEFAULT_COLLECTION);
        assertThat(c.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void bad_values_are_rejected_with_invalid_configuration() {
        for (Runnable r : new Runnable[] {
            () -> Neo4jConfig.of(" ", null, null),
            () -> Neo4jConfig.of(Neo4jConfig.DEFAULT_URI, "neo4j", null),
            () -> Neo4jConfig.of(Neo4jConfig.DEFAULT_URI, null, null).withCollection("a b"),
            () -> Neo4jConfig.of(Neo4jConfig.DEFAULT_URI, null, null).withCollection("x`}) DELETE n"),
            () -> Neo4jConfig.of(Neo4jConfig.DEFAULT_URI, null, null).withTimeouts(Duration.ZERO, Duration.ZERO),
            () -> Neo4jConfig.of(Neo4jConfig.DEFAULT_URI, null, null).withExactScanLimit(-1)}) {
            assertThatThrownBy(r::run).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
        }
    }

    @Test
    void the_password_never_shows_in_to_string() {
        assertThat(Neo4jConfig.of(Neo4jConfig.DEFAULT_URI, "neo4j", "hunter2").toString())
                .doesNotContain("hunter2").contains("***");
    }

    @Test
    void a_malformed_uri_is_a_configuration_error() {
        assertThatThrownBy(() -> new Neo4jGraphStore(Neo4jConfig.of("http://not-bolt", null, null)))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    }
}
