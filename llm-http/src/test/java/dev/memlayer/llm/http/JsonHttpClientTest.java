package dev.memlayer.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.LlmException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport against a real HTTP server: retries, waits, deadlines, and what failures say. */
class JsonHttpClientTest {

    private static final String HINT = "Check the base URL (EXAMPLE_BASE_URL).";

    private MockWebServer server;
    /** The statuses the error decoder was asked about, in order. */
    private final List<Integer> decoded = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A provider that retries 429 and 5xx and quotes the body. */
    private final ErrorDecoder decoder = (status, body) -> {
        decoded.add(status);
        return new DecodedError("provider says: " + JsonHttpClient.snippet(body), status == 429 || status >= 500);
    };

    private static RetryPolicy retries(int maxRetries, Duration totalTimeout) {
        return new RetryPolicy(maxRetries, Duration.ofMillis(5), Duration.ofMillis(20), totalTimeout);
    }

    private JsonNode post(Duration requestTimeout, RetryPolicy policy) {
        return post(server.url("/v1/things").uri(), requestTimeout, policy);
    }

    private JsonNode post(URI uri, Duration requestTimeout, RetryPolicy policy) {
        ObjectNode body = JsonHttpClient.MAPPER.createObjectNode().put("input", "hello");
        try (JsonHttpClient client = new JsonHttpClient(Duration.ofSeconds(2), requestTimeout, policy)) {
            return client.post(new JsonHttpClient.Call("Example call (model m)", uri,
                    Map.of("Authorization", "Bearer k", "X-Extra", "1"), body, decoder, HINT));
        }
    }

    private JsonNode post() {
        return post(Duration.ofSeconds(5), retries(2, Duration.ofSeconds(30)));
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void posts_the_json_body_with_the_call_headers_and_returns_the_json_answer() throws Exception {
        server.enqueue(json(200, "{\"answer\": 42, \"error\": null}"));

        JsonNode answer = post();

        assertThat(answer.get("answer").asInt()).isEqualTo(42);
        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/v1/things");
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer k");
        assertThat(request.getHeaders().get("X-Extra")).isEqualTo("1");
        assertThat(request.getBody().utf8()).isEqualTo("{\"input\":\"hello\"}");
        assertThat(decoded).isEmpty();
    }

    @Test
    void plain_http_is_spoken_as_http_1_1_without_an_h2c_upgrade() throws Exception {
        server.enqueue(json(200, "{}"));

        post();

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getVersion()).isEqualTo("HTTP/1.1");
        assertThat(request.getHeaders().get("Upgrade")).isNull();
    }

    @Test
    void retry_after_ms_is_waited_out_then_the_call_succeeds() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("retry-after-ms", "300").body("slow down").build());
        server.enqueue(json(200, "{\"ok\": true}"));

        long start = System.nanoTime();
        JsonNode answer = post();

        assertThat(answer.get("ok").asBoolean()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(290));
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(decoded).containsExactly(429);
    }

    @Test
    void retryable_errors_are_retried_until_the_attempts_run_out_then_surface_the_decoded_message_and_status() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(json(503, "{\"error\": \"overloaded\"}"));
        }

        assertThatThrownBy(this::post)
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(503);
                    assertThat(e.getMessage())
                            .startsWith("Example call (model m) failed: HTTP 503 from " + server.url("/v1/things"))
                            .contains("provider says: {\"error\": \"overloaded\"}")
                            .endsWith("(gave up after 3 attempts)");
                });
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void an_error_the_decoder_calls_permanent_fails_at_once() {
        server.enqueue(json(400, "{\"error\": \"bad schema\"}"));
        server.enqueue(json(200, "{}"));

        assertThatThrownBy(this::post)
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(400);
                    assertThat(e.getMessage()).contains("HTTP 400").contains("provider says: {\"error\": \"bad schema\"}")
                            .doesNotContain("gave up");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_retry_after_beyond_the_total_timeout_fails_at_once_saying_so() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120").body("rate limited").build());

        long start = System.nanoTime();
        assertThatThrownBy(() -> post(Duration.ofSeconds(5), retries(2, Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(429);
                    assertThat(e.getMessage()).contains("provider says: rate limited")
                            .contains("gave up after 1 attempt: waiting 120000 ms more would pass the total timeout of 5 s");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void the_total_timeout_cuts_a_slow_attempt_short() {
        server.enqueue(new MockResponse.Builder().code(200).headersDelay(3, TimeUnit.SECONDS).body("{}").build());

        long start = System.nanoTime();
        assertThatThrownBy(() -> post(Duration.ofSeconds(10), retries(3, Duration.ofMillis(400))))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).isEmpty();
                    assertThat(e.getMessage()).contains("no complete answer").contains("total timeout of 400 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void an_error_object_inside_a_2xx_answer_is_decoded_with_its_code_and_retried_when_transient() {
        server.enqueue(json(200, "{\"error\": {\"message\": \"Provider returned error\", \"code\": 429}}"));
        server.enqueue(json(200, "{\"error\": {\"message\": \"upstream died\"}}"));
        server.enqueue(json(200, "{\"ok\": true}"));

        assertThat(post().get("ok").asBoolean()).isTrue();
        assertThat(decoded).as("an error object without a usable code counts as 502").containsExactly(429, 502);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void an_error_object_inside_a_2xx_answer_names_its_code_when_it_fails() {
        server.enqueue(json(200, "{\"error\": {\"message\": \"No such model\", \"code\": 404}}"));

        assertThatThrownBy(this::post)
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(404);
                    assertThat(e.getMessage()).contains("an error object (code 404) in the HTTP 200 answer")
                            .contains("No such model");
                });
    }

    @Test
    void a_timeout_is_retried_and_then_reported_as_a_timeout() {
        MockResponse slow = new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("{}").build();
        server.enqueue(slow);
        server.enqueue(slow);

        long start = System.nanoTime();
        assertThatThrownBy(() -> post(Duration.ofMillis(300), retries(1, Duration.ofSeconds(30))))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).isEmpty();
                    assertThat(e.getMessage()).contains("no complete answer").contains("request timeout of 300 ms")
                            .contains("gave up after 2 attempts");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_timeout_followed_by_an_answer_succeeds() {
        server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("{}").build());
        server.enqueue(json(200, "{\"on_time\": true}"));

        assertThat(post(Duration.ofMillis(300), retries(2, Duration.ofSeconds(30))).get("on_time").asBoolean()).isTrue();
    }

    @Test
    void a_malformed_json_body_is_an_llm_exception_that_quotes_it() {
        server.enqueue(json(200, "{\"id\": \"cmpl-1\", \"choices\": [ {\"message\": "));

        assertThatThrownBy(this::post)
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(200);
                    assertThat(e.getMessage()).contains("not valid JSON").contains("\"cmpl-1\"").contains("check the base URL");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_answer_that_is_not_a_json_object_says_to_check_the_base_url() {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<!doctype html><html><body>LM Studio</body></html>").build());
        server.enqueue(json(200, "[1, 2]"));

        assertThatThrownBy(this::post)
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("text/html")
                .hasMessageContaining("check the base URL");
        assertThatThrownBy(this::post)
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("carried no JSON object")
                .hasMessageContaining("[1, 2]");
    }

    @Test
    void a_redirect_is_not_followed_and_names_the_new_address() {
        server.enqueue(new MockResponse.Builder().code(301).addHeader("Location", "https://api.example.org/v1/things").build());

        assertThatThrownBy(this::post)
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).hasValue(301);
                    assertThat(e.getMessage()).contains("redirects to https://api.example.org/v1/things")
                            .contains("Use that address as the base URL");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(decoded).isEmpty();
    }

    @Test
    void connection_refused_is_retried_then_reported_with_the_connection_hint() throws Exception {
        MockWebServer dead = new MockWebServer();
        dead.start();
        URI uri = dead.url("/v1/things").uri();
        dead.close();

        assertThatThrownBy(() -> post(uri, Duration.ofSeconds(2), retries(1, Duration.ofSeconds(30))))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.status()).isEmpty();
                    assertThat(e.getMessage()).contains("could not connect to " + uri).contains("connection refused")
                            .contains(HINT).endsWith("(gave up after 2 attempts)");
                });
    }

    @Test
    void an_interrupted_caller_gets_an_llm_exception_and_keeps_its_interrupt_flag() {
        server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS).body("{}").build());

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(this::post)
                    .isInstanceOf(LlmException.class)
                    .hasMessageContaining("was interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
