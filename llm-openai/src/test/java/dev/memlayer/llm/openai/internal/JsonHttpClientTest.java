package dev.memlayer.llm.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonHttpClientTest {

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }

    @Test
    void retry_after_in_seconds_is_read() {
        assertThat(JsonHttpClient.retryAfter(headers(Map.of("Retry-After", List.of("3"))), Instant.EPOCH))
                .hasValue(Duration.ofSeconds(3));
        assertThat(JsonHttpClient.retryAfter(headers(Map.of("Retry-After", List.of("0.5"))), Instant.EPOCH))
                .hasValue(Duration.ofMillis(500));
    }

    @Test
    void retry_after_as_an_http_date_is_the_time_until_that_date() {
        Instant now = Instant.parse("2015-10-21T07:28:00Z");

        assertThat(JsonHttpClient.retryAfter(headers(Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:28:07 GMT"))), now))
                .hasValue(Duration.ofSeconds(7));
        assertThat(JsonHttpClient.retryAfter(headers(Map.of("Retry-After", List.of("Wed, 21 Oct 2015 07:27:00 GMT"))), now))
                .hasValue(Duration.ZERO);
    }

    @Test
    void openai_retry_after_ms_wins_over_retry_after() {
        assertThat(JsonHttpClient.retryAfter(headers(Map.of("retry-after-ms", List.of("250"), "Retry-After", List.of("1"))),
                Instant.EPOCH)).hasValue(Duration.ofMillis(250));
    }

    @Test
    void unreadable_or_missing_retry_after_is_ignored() {
        assertThat(JsonHttpClient.retryAfter(headers(Map.of("Retry-After", List.of("soon"))), Instant.EPOCH)).isEmpty();
        assertThat(JsonHttpClient.retryAfter(headers(Map.of("Retry-After", List.of("-4"))), Instant.EPOCH)).isEmpty();
        assertThat(JsonHttpClient.retryAfter(headers(Map.of()), Instant.EPOCH)).isEmpty();
    }

    @Test
    void backoff_doubles_per_retry_with_jitter_within_half_to_full_and_is_capped() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofMinutes(1));
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(policy.backoff(2)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(policy.backoff(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(policy.backoff(10)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
            assertThat(policy.backoff(100)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
        }
    }

    @Test
    void openai_error_bodies_of_every_known_shape_are_read() {
        assertThat(OpenAiErrors.parse("{\"error\": {\"message\": \"m\", \"type\": \"t\", \"param\": null, \"code\": \"c\"}}"))
                .isEqualTo(new OpenAiErrors.ErrorBody("m", "t", "c"));
        assertThat(OpenAiErrors.parse("{\"object\": \"error\", \"message\": \"m\", \"type\": \"NotFoundError\", \"code\": 404}"))
                .isEqualTo(new OpenAiErrors.ErrorBody("m", "NotFoundError", "404"));
        assertThat(OpenAiErrors.parse("{\"error\": \"model not loaded\"}"))
                .isEqualTo(new OpenAiErrors.ErrorBody("model not loaded", null, null));
        assertThat(OpenAiErrors.parse("Bad Gateway")).isEqualTo(new OpenAiErrors.ErrorBody(null, null, null));
    }
}
