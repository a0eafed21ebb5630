package dev.memlayer.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.conformance.memory.ScriptEmbedder;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.store.inmemory.InMemoryHistoryStore;
import dev.memlayer.store.inmemory.InMemoryVectorStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Neo4j down: every graph operation is a retryable StoreException, and an add whose graph side fails
 * writes nothing on the vector side either (the graph is written first; see GraphMemoryContract for
 * the reverse case).
 */
@Timeout(60)
class Neo4jUnavailableTest {

    private static Neo4jConfig deadServer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // free now, and nobody listens once it is closed
        }
        return Neo4jConfig.of("bolt://127.0.0.1:" + port, "neo4j", "secret")
                .withTimeouts(Duration.ofMillis(500), Duration.ZERO);
    }

    @Test
    void every_operation_fails_with_a_retryable_store_exception() throws IOException {
        try (GraphStore store = new Neo4jGraphStore(deadServer())) {
            assertThatThrownBy(() -> store.relations(Scope.user("alice"), false))
                    .isInstanceOfSatisfying(StoreException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.getMessage()).contains("Neo4j");
                    });
            assertThatThrownBy(store::reset).isInstanceOf(StoreException.class);
        }
    }

    @Test
    void an_add_with_neo4j_down_fails_and_stores_no_memory() throws IOException {
        InMemoryVectorStore vectors = new InMemoryVectorStore(ScriptEmbedder.DEFAULT_DIMENSIONS);
        InMemoryHistoryStore history = new InMemoryHistoryStore();
        try (Memory memory = Memory.builder().config(MemoryConfig.defaults()).vectorStore(vectors)
                .historyStore(history).embedder(new ScriptEmbedder()).languageModel(new ScriptedLanguageModel())
                .graphStore(new Neo4jGraphStore(deadServer())).build()) {

            assertThatThrownBy(() -> memory.add("Alice's dog is named Rex", Scope.user("alice")))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());

            assertThat(vectors.count(null)).isZero();
            assertThatThrownBy(() -> memory.search("Rex", Scope.user("alice"))).isInstanceOf(StoreException.class);
        }
    }
}
