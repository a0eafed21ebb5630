package dev.memlayer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code eval locomo --store pgvector|redis} against the servers of {@code scripts/services.sh}
 * (MEMLAYER_PG_URL and MEMLAYER_REDIS_URL, with their defaults); skipped when a server is not
 * reachable. The recall on the tiny file must equal the in-memory store's: all three stores search
 * exactly at this size.
 */
class ServerStoresTest {

    @ParameterizedTest
    @ValueSource(strings = {"pgvector", "redis"})
    void eval_locomo_runs_on_the_server_stores_with_the_in_memory_recall(String store) throws Exception {
        assumeTrue(reachable(store), store + " server not reachable; start it with scripts/services.sh start");

        // the collection keeps what earlier runs wrote: the evaluator must replace it, not add to it
        MemlayerCliTest.Run run = MemlayerCliTest.run("eval", "locomo", "--data", MemlayerCliTest.tinyLocomo().toString(),
                "--store", store, "--collection", "cli_test", "--json", "--no-progress");

        assertThat(run.status()).as(run.err()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(run.out());
        assertThat(json.get("store").asText()).isEqualTo(store);
        assertThat(json.get("questions").intValue()).isEqualTo(7);
        assertThat(json.get("recall_at_10").doubleValue()).isEqualTo(0.9286);
    }

    private static boolean reachable(String store) {
        URI uri = store.equals("pgvector")
                ? URI.create(env("MEMLAYER_PG_URL", "jdbc:postgresql://127.0.0.1:55432/memlayer").substring("jdbc:".length()))
                : URI.create(env("MEMLAYER_REDIS_URL", "redis://127.0.0.1:56379"));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
