package dev.memlayer.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    private static final ConfigValues CHECK = new ConfigValues("TestConfig");
    private static final Duration S = Duration.ofSeconds(1);

    private static void assertInvalid(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
            assertThat(e.getMessage()).isEqualTo("[INVALID_CONFIGURATION] TestConfig: " + message);
        });
    }

    @Test
    void invalid_prefixes_the_owner_and_is_a_configuration_error() {
        ValidationException e = CHECK.invalid("x is wrong");

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        assertThat(e.getMessage()).isEqualTo("[INVALID_CONFIGURATION] TestConfig: x is wrong");
        assertThat(CHECK.owner()).isEqualTo("TestConfig");
    }

    @Test
    void required_text_is_stripped_and_blank_text_is_rejected() {
        assertThat(CHECK.requireText("  llama3.1 ", "chatModel")).isEqualTo("llama3.1");
        for (String blank : new String[]{null, "", "  ", "\n"}) {
            assertInvalid(() -> CHECK.requireText(blank, "chatModel"), "chatModel must not be blank");
        }
    }

    @Test
    void durations_must_be_positive_and_present() {
        assertThat(CHECK.positive(Duration.ofNanos(1), "t")).isEqualTo(Duration.ofNanos(1));
        assertInvalid(() -> CHECK.positive(Duration.ZERO, "t"), "t must be a positive duration, got PT0S");
        assertInvalid(() -> CHECK.positive(Duration.ofSeconds(-1), "t"), "t must be a positive duration, got PT-1S");
        assertInvalid(() -> CHECK.positive(null, "t"), "t must be a positive duration, got null");
    }

    @Test
    void between_accepts_both_bounds_and_rejects_one_past_them() {
        assertThat(CHECK.between(1, 1, 2048, "n")).isEqualTo(1);
        assertThat(CHECK.between(2048, 1, 2048, "n")).isEqualTo(2048);
        assertInvalid(() -> CHECK.between(0, 1, 2048, "n"), "n must be between 1 and 2048, got 0");
        assertInvalid(() -> CHECK.between(2049, 1, 2048, "n"), "n must be between 1 and 2048, got 2049");
    }

    @Test
    void at_least_accepts_null_and_the_bound_and_rejects_below() {
        assertThat(CHECK.atLeast(null, 1, "d")).isNull();
        assertThat(CHECK.atLeast(1, 1, "d")).isEqualTo(1);
        assertInvalid(() -> CHECK.atLeast(0, 1, "d"), "d must be at least 1, got 0");
        assertInvalid(() -> CHECK.atLeast(-3, 1, "d"), "d must be at least 1, got -3");
    }

    @Test
    void transport_checks_retries_then_each_duration_then_the_backoff_order() {
        assertThatCode(() -> CHECK.transport(S, S, 0, S, S, S)).doesNotThrowAnyException();
        assertThatCode(() -> CHECK.transport(S, S, 10, S, Duration.ofSeconds(2), S)).doesNotThrowAnyException();
        assertInvalid(() -> CHECK.transport(S, S, -1, S, S, S), "maxRetries must be between 0 and 10, got -1");
        assertInvalid(() -> CHECK.transport(S, S, 11, S, S, S), "maxRetries must be between 0 and 10, got 11");
        assertInvalid(() -> CHECK.transport(null, S, 1, S, S, S), "connectTimeout must be a positive duration, got null");
        assertInvalid(() -> CHECK.transport(S, Duration.ZERO, 1, S, S, S),
                "requestTimeout must be a positive duration, got PT0S");
        assertInvalid(() -> CHECK.transport(S, S, 1, Duration.ZERO, S, S),
                "initialBackoff must be a positive duration, got PT0S");
        assertInvalid(() -> CHECK.transport(S, S, 1, S, null, S), "maxBackoff must be a positive duration, got null");
        assertInvalid(() -> CHECK.transport(S, S, 1, S, S, Duration.ofSeconds(-1)),
                "totalTimeout must be a positive duration, got PT-1S");
        assertInvalid(() -> CHECK.transport(S, S, 1, Duration.ofSeconds(2), S, S),
                "maxBackoff (PT1S) must not be shorter than initialBackoff (PT2S)");
        // several problems: the retry count is named first
        assertInvalid(() -> CHECK.transport(null, null, 99, null, null, null), "maxRetries must be between 0 and 10, got 99");
    }

    @Test
    void base_urls_must_be_http_or_https_with_a_host() {
        assertThat(CHECK.httpUrl(URI.create("http://localhost:11434"), "baseUrl", "e")).hasHost("localhost");
        assertThat(CHECK.httpUrl(URI.create("HTTPS://api.example.org/v1"), "baseUrl", "e")).hasPath("/v1");
        for (String bad : new String[]{"ftp://x", "localhost:11434", "/v1", "http:///v1", "mailto:a@b"}) {
            assertInvalid(() -> CHECK.httpUrl(URI.create(bad), "baseUrl", "http://localhost:11434"),
                    "baseUrl must be an http(s) URL such as http://localhost:11434, got '" + bad + "'");
        }
    }

    @Test
    void blank_and_empty_to_null_differ_in_white_space() {
        assertThat(ConfigValues.blankToNull(null)).isNull();
        assertThat(ConfigValues.blankToNull(" ")).isNull();
        assertThat(ConfigValues.blankToNull(" k ")).isEqualTo("k");
        assertThat(ConfigValues.emptyToNull(null)).isNull();
        assertThat(ConfigValues.emptyToNull("")).isNull();
        assertThat(ConfigValues.emptyToNull("search_query: ")).isEqualTo("search_query: ");
        assertThat(ConfigValues.emptyToNull(" ")).isEqualTo(" ");
    }

    @Test
    void ordered_copy_keeps_order_is_unmodifiable_and_detached() {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("z", "1");
        source.put("a", "2");
        source.put("m", null);

        Map<String, String> copy = ConfigValues.orderedCopy(source);
        source.put("late", "x");

        assertThat(copy.keySet()).containsExactly("z", "a", "m");
        assertThat(copy).containsEntry("m", null).doesNotContainKey("late");
        assertThatThrownBy(() -> copy.put("b", "3")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(ConfigValues.orderedCopy((Map<String, Object>) null)).isEmpty();
        assertThat(ConfigValues.orderedCopy(new HashMap<String, Object>())).isEmpty();
    }
}
