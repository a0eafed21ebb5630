package dev.memlayer.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OllamaConfigTest {

    @Test
    void defaults_point_at_a_local_ollama() {
        OllamaConfig config = OllamaConfig.builder().build();

        assertThat(config.baseUrl()).isEqualTo(URI.create("http://localhost:11434"));
        assertThat(config.chatModel()).isEqualTo("llama3.1");
        assertThat(config.embeddingModel()).isEqualTo("nomic-embed-text");
        assertThat(config.knownEmbeddingDimensions()).hasValue(768);
        assertThat(config.jsonSchemaSupported()).isTrue();
        assertThat(config.maxRetries()).isEqualTo(2);
    }

    @Test
    void ollama_host_is_read_the_way_the_ollama_cli_reads_it() {
        assertThat(OllamaConfig.parseHost("gpu-box")).isEqualTo(URI.create("http://gpu-box:11434"));
        assertThat(OllamaConfig.parseHost("0.0.0.0:11500")).isEqualTo(URI.create("http://0.0.0.0:11500"));
        assertThat(OllamaConfig.parseHost(":8080")).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(OllamaConfig.parseHost("https://ollama.example.org")).isEqualTo(URI.create("https://ollama.example.org"));
        assertThat(OllamaConfig.parseHost("http://10.0.0.5:11434/")).isEqualTo(URI.create("http://10.0.0.5:11434/"));
        assertThat(OllamaConfig.builder().baseUrl("http://10.0.0.5:11434/").build().baseUrl())
                .isEqualTo(URI.create("http://10.0.0.5:11434"));
    }

    @Test
    void from_env_reads_ollama_host_and_the_memlayer_variables() {
        OllamaConfig config = OllamaConfig.fromEnv(Map.of(
                "OLLAMA_HOST", "127.0.0.1:11500",
                "OLLAMA_API_KEY", "k",
                "MEMLAYER_OLLAMA_MODEL", "qwen3:8b",
                "MEMLAYER_OLLAMA_EMBEDDING_MODEL", "mxbai-embed-large",
                "MEMLAYER_OLLAMA_EMBEDDING_DIMENSIONS", "1024",
                "MEMLAYER_OLLAMA_NUM_CTX", "16384",
                "MEMLAYER_OLLAMA_KEEP_ALIVE", "1h",
                "MEMLAYER_OLLAMA_TIMEOUT_SECONDS", "600",
                "MEMLAYER_OLLAMA_MAX_RETRIES", "0"));

        assertThat(config.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:11500"));
        assertThat(config.apiKey()).isEqualTo("k");
        assertThat(config.chatModel()).isEqualTo("qwen3:8b");
        assertThat(config.embeddingModel()).isEqualTo("mxbai-embed-large");
        assertThat(config.embeddingDimensions()).isEqualTo(1024);
        assertThat(config.numCtx()).isEqualTo(16384);
        assertThat(config.keepAlive()).isEqualTo("1h");
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.maxRetries()).isZero();
        assertThat(OllamaConfig.fromEnv(Map.of())).isEqualTo(OllamaConfig.builder().build());
    }

    @Test
    void bad_values_are_configuration_errors_that_name_the_setting() {
        assertThatThrownBy(() -> OllamaConfig.fromEnv(Map.of("MEMLAYER_OLLAMA_NUM_CTX", "big")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).contains("MEMLAYER_OLLAMA_NUM_CTX");
                });
        assertThatThrownBy(() -> OllamaConfig.builder().sendEmbeddingDimensions(true).build())
                .hasMessageContaining("embeddingDimensions");
        assertThatThrownBy(() -> OllamaConfig.builder().baseUrl(URI.create("ftp://x")).build()).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> OllamaConfig.builder().embeddingBatchSize(0).build()).hasMessageContaining("embeddingBatchSize");
    }

    @Test
    void to_string_never_shows_the_api_key_and_to_builder_round_trips() {
        OllamaConfig config = OllamaConfig.builder().apiKey("secret-123").option("seed", 7).build();

        assertThat(config.toString()).doesNotContain("secret-123");
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }
}
