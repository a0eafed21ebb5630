package dev.memlayer.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpModelSettingsBuilderTest {

    private static final URI BASE = URI.create("http://127.0.0.1:1");

    /** Every shared setting set to something other than its default. */
    private static TestModelSettings.Builder everySettingChanged() {
        return TestModelSettings.builder()
                .apiKey("k").header("X-A", "1").header("X-B", "2").header("X-A", "3")
                .chatModel("c").temperature(0.7).maxTokens(99)
                .embeddingModel("e").embeddingDimensions(12).embeddingBatchSize(7)
                .embeddingQueryPrefix("q: ").embeddingDocumentPrefix("d: ")
                .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2)).maxRetries(5)
                .initialBackoff(Duration.ofMillis(3)).maxBackoff(Duration.ofMillis(4)).totalTimeout(Duration.ofSeconds(5))
                .modelSize(64);
    }

    @Test
    void the_provider_defaults_and_the_shared_defaults_are_applied() {
        assertThat(TestModelSettings.builder().build()).isEqualTo(new TestModelSettings(BASE, null, Map.of(),
                "chat-default", 0.1, null,
                "embed-default", null, null, 4, null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(60), 2,
                Duration.ofMillis(500), Duration.ofSeconds(8), Duration.ofMinutes(3)));
    }

    @Test
    void every_setter_chains_on_the_concrete_builder_and_sets_its_value() {
        TestModelSettings s = everySettingChanged().build();

        assertThat(s).isEqualTo(new TestModelSettings(BASE, "k", Map.of("X-A", "3", "X-B", "2"),
                "c", 0.7, 99,
                "e", 12, 64, 7, "q: ", "d: ",
                Duration.ofSeconds(1), Duration.ofSeconds(2), 5,
                Duration.ofMillis(3), Duration.ofMillis(4), Duration.ofSeconds(5)));
        assertThat(s.headers().keySet()).as("a header set again keeps its place").containsExactly("X-A", "X-B");
    }

    @Test
    void copy_from_round_trips_every_shared_setting_including_nulls() {
        TestModelSettings changed = everySettingChanged().build();
        TestModelSettings nulls = everySettingChanged().temperature(null).maxTokens(null).embeddingDimensions(null)
                .embeddingQueryPrefix(null).apiKey(null).build();

        assertThat(changed.toBuilder().build()).isEqualTo(changed);
        assertThat(nulls.toBuilder().build()).isEqualTo(nulls);
        assertThat(changed.toBuilder().chatModel("other").build().chatModel()).isEqualTo("other");
        assertThat(changed.chatModel()).isEqualTo("c");
    }
}
