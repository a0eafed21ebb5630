package dev.memlayer.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ValidationException;
import dev.memlayer.cli.demo.DemoLanguageModel;
import dev.memlayer.llm.ollama.OllamaLanguageModel;
import dev.memlayer.llm.openai.OpenAiLanguageModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LanguageModelsTest {

    @Test
    void auto_prefers_openai_then_ollama_then_the_scripted_model() throws Exception {
        LanguageModels.Selection openAi = LanguageModels.select(LlmKind.AUTO,
                Map.of("OPENAI_API_KEY", "sk-test", "OLLAMA_HOST", "127.0.0.1:11434"));
        LanguageModels.Selection ollama = LanguageModels.select(LlmKind.AUTO, Map.of("OLLAMA_HOST", "127.0.0.1:11434"));
        LanguageModels.Selection scripted = LanguageModels.select(LlmKind.AUTO, Map.of());
        try {
            assertThat(openAi.model()).isInstanceOf(OpenAiLanguageModel.class);
            assertThat(openAi.description()).contains("OpenAI API at https://api.openai.com/v1").doesNotContain("sk-test");
            assertThat(ollama.model()).isInstanceOf(OllamaLanguageModel.class);
            assertThat(ollama.description()).contains("Ollama server at http://127.0.0.1:11434");
            assertThat(scripted.model()).isInstanceOf(DemoLanguageModel.class);
            assertThat(scripted.description()).isEqualTo(LanguageModels.SCRIPTED_FALLBACK_NOTICE);
        } finally {
            ((AutoCloseable) openAi.model()).close();
            ((AutoCloseable) ollama.model()).close();
        }
    }

    @Test
    void an_explicit_provider_without_its_settings_says_what_to_set() {
        assertThatThrownBy(() -> LanguageModels.select(LlmKind.OPENAI, Map.of()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("OPENAI_API_KEY");
        assertThatThrownBy(() -> LanguageModels.select(LlmKind.OLLAMA, Map.of()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("OLLAMA_HOST");
    }

    @Test
    void option_names_parse_case_insensitively_and_unknown_ones_list_the_choices() {
        assertThat(StoreKind.parse("Redis")).isEqualTo(StoreKind.REDIS);
        assertThat(EmbedderKind.parse("all-MiniLM-L6-v2")).isEqualTo(EmbedderKind.MINILM);
        assertThat(LlmKind.parse(" SCRIPTED ")).isEqualTo(LlmKind.SCRIPTED);
        assertThatThrownBy(() -> EmbedderKind.parse("e5")).hasMessageContaining("bge-small, minilm");
    }
}
