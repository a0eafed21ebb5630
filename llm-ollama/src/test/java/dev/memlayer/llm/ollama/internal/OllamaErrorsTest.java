package dev.memlayer.llm.ollama.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OllamaErrorsTest {

    private static final OllamaErrors.Context CONTEXT =
            new OllamaErrors.Context("llama3", "OllamaConfig.chatModel", "http://localhost:11434");

    @Test
    void ollamas_error_string_and_other_shapes_are_read() {
        assertThat(OllamaErrors.message("{\"error\": \"model 'llama3' not found\"}")).isEqualTo("model 'llama3' not found");
        assertThat(OllamaErrors.message("{\"error\": {\"message\": \"proxy says no\"}}")).isEqualTo("proxy says no");
        assertThat(OllamaErrors.message("<html>Bad Gateway</html>")).isNull();
        assertThat(OllamaErrors.message("")).isNull();
    }

    @Test
    void only_rate_limits_and_server_errors_are_retryable() {
        assertThat(OllamaErrors.decode(429, "{\"error\": \"slow down\"}", CONTEXT).retryable()).isTrue();
        assertThat(OllamaErrors.decode(500, "{\"error\": \"boom\"}", CONTEXT).retryable()).isTrue();
        assertThat(OllamaErrors.decode(502, "<html>Bad Gateway</html>", CONTEXT).retryable()).isTrue();
        assertThat(OllamaErrors.decode(400, "{\"error\": \"invalid options\"}", CONTEXT).retryable()).isFalse();
        assertThat(OllamaErrors.decode(404, "{\"error\": \"model 'llama3' not found\"}", CONTEXT).retryable()).isFalse();
        assertThat(OllamaErrors.decode(401, "", CONTEXT).message()).contains("OLLAMA_API_KEY");
    }
}
