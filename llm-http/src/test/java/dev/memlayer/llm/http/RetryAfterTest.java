package dev.memlayer.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link JsonHttpClient} reads a server's requested wait. */
class RetryAfterTest {

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
    void snippets_collapse_whitespace_and_are_cut_at_300_characters() {
        assertThat(JsonHttpClient.snippet("  a\n\t b  ")).isEqualTo("a b");
        assertThat(JsonHttpClient.snippet("")).isEqualTo("(empty body)");
        assertThat(JsonHttpClient.snippet(null)).isEqualTo("(empty body)");
        assertThat(JsonHttpClient.snippet("x".repeat(400))).isEqualTo("x".repeat(300) + "...");
    }
}
