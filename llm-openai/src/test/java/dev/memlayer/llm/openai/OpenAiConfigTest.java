package dev.memlayer.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiConfigTest {

    @Test
    void defaults_point_at_openai_with_mem0s_models() {
        OpenAiConfig config = OpenAiConfig.builder().build();

        assertThat(config.baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
        assertThat(config.chatModel()).isEqualTo("gpt-4.1-nano");
        assertThat(config.embeddingModel()).isEqualTo("text-embedding-3-small");
        assertThat(config.knownEmbeddingDimensions()).hasValue(1536);
        assertThat(config.embeddingBatchSize()).isEqualTo(2048);
        assertThat(config.maxRetries()).isEqualTo(2);
        assertThat(config.isOfficialEndpoint()).isTrue();
        assertThat(config.supportsJsonSchema()).isTrue();
    }

    @Test
    void from_env_reads_the_openai_and_memlayer_variables() {
        OpenAiConfig config = OpenAiConfig.fromEnv(Map.of(
                "OPENAI_API_KEY", "sk-abc",
                "OPENAI_BASE_URL", "http://localhost:8000/v1/",
                "OPENAI_ORG_ID", "org-1",
                "OPENAI_PROJECT_ID", "proj-1",
                "MEMLAYER_OPENAI_MODEL", "Qwen/Qwen2.5-7B-Instruct",
                "MEMLAYER_OPENAI_EMBEDDING_MODEL", "BAAI/bge-m3",
                "MEMLAYER_OPENAI_EMBEDDING_DIMENSIONS", "1024",
                "MEMLAYER_OPENAI_JSON_SCHEMA", "true",
                "MEMLAYER_OPENAI_TIMEOUT_SECONDS", "30",
                "MEMLAYER_OPENAI_MAX_RETRIES", "4"));

        assertThat(config.apiKey()).isEqualTo("sk-abc");
        assertThat(config.baseUrl()).isEqualTo(URI.create("http://localhost:8000/v1"));
        assertThat(config.organization()).isEqualTo("org-1");
        assertThat(config.project()).isEqualTo("proj-1");
        assertThat(config.chatModel()).isEqualTo("Qwen/Qwen2.5-7B-Instruct");
        assertThat(config.embeddingModel()).isEqualTo("BAAI/bge-m3");
        assertThat(config.embeddingDimensions()).isEqualTo(1024);
        assertThat(config.sendsEmbeddingDimensions()).isFalse();
        assertThat(config.supportsJsonSchema()).isTrue();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxRetries()).isEqualTo(4);
    }

    @Test
    void from_env_with_nothing_set_gives_the_defaults() {
        assertThat(OpenAiConfig.fromEnv(Map.of())).isEqualTo(OpenAiConfig.builder().build());
    }

    @Test
    void unreadable_environment_values_name_the_variable() {
        assertThatThrownBy(() -> OpenAiConfig.fromEnv(Map.of("MEMLAYER_OPENAI_MAX_RETRIES", "many")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).contains("MEMLAYER_OPENAI_MAX_RETRIES");
                });
        assertThatThrownBy(() -> OpenAiConfig.fromEnv(Map.of("MEMLAYER_OPENAI_JSON_SCHEMA", "maybe")))
                .hasMessageContaining("MEMLAYER_OPENAI_JSON_SCHEMA");
    }

    @Test
    void a_query_string_in_the_base_url_becomes_query_parameters() {
        OpenAiConfig config = OpenAiConfig.builder()
                .baseUrl("https://res.openai.azure.com/openai/deployments/gpt-4o/?api-version=2024-10-21").build();

        assertThat(config.baseUrl()).isEqualTo(URI.create("https://res.openai.azure.com/openai/deployments/gpt-4o"));
        assertThat(config.queryParameters()).containsExactly(Map.entry("api-version", "2024-10-21"));
        assertThat(config.isAzureEndpoint()).isTrue();
    }

    @Test
    void out_of_range_values_are_configuration_errors() {
        assertThatThrownBy(() -> OpenAiConfig.builder().temperature(2.5).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> OpenAiConfig.builder().embeddingBatchSize(2049).build()).hasMessageContaining("2048");
        assertThatThrownBy(() -> OpenAiConfig.builder().baseUrl("ftp://example.org").build()).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> OpenAiConfig.builder().chatModel(" ").build()).hasMessageContaining("chatModel");
        assertThatThrownBy(() -> OpenAiConfig.builder().requestTimeout(Duration.ZERO).build()).hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> OpenAiConfig.builder().maxRetries(11).build()).hasMessageContaining("maxRetries");
    }

    @Test
    void reasoning_models_are_recognised_by_name() {
        for (String name : new String[]{"o1", "o1-mini", "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-nano", "openai/o3-mini"}) {
            assertThat(OpenAiConfig.builder().chatModel(name).build().isReasoningModel()).as(name).isTrue();
        }
        for (String name : new String[]{"gpt-4.1-nano", "gpt-4o", "gpt-5-chat-latest", "omni-moderation", "llama3.1"}) {
            assertThat(OpenAiConfig.builder().chatModel(name).build().isReasoningModel()).as(name).isFalse();
        }
    }

    @Test
    void to_string_never_shows_the_api_key() {
        assertThat(OpenAiConfig.builder().apiKey("sk-secret-123").build().toString())
                .doesNotContain("sk-secret-123").contains("apiKey=***");
    }

    @Test
    void to_builder_round_trips() {
        OpenAiConfig config = OpenAiConfig.builder().apiKey("k").chatModel("m").embeddingDimensions(12)
                .header("X-A", "b").queryParameter("q", "1").build();

        assertThat(config.toBuilder().build()).isEqualTo(config);
    }
}
