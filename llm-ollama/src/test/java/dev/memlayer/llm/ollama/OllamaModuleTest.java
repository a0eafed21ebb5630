package dev.memlayer.llm.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.ConfigurationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.LanguageModel;
import org.junit.jupiter.api.Test;

class OllamaModuleTest {

    private static final OllamaConfig CONFIG = OllamaConfig.builder().baseUrl("127.0.0.1:9").build();

    @Test
    void the_module_binds_a_singleton_language_model_and_embedder_without_contacting_the_server() {
        Injector injector = Guice.createInjector(new OllamaModule(CONFIG));

        assertThat(injector.getInstance(LanguageModel.class)).isInstanceOf(OllamaLanguageModel.class)
                .isSameAs(injector.getInstance(LanguageModel.class));
        assertThat(injector.getInstance(Embedder.class)).isInstanceOf(OllamaEmbedder.class)
                .isSameAs(injector.getInstance(Embedder.class));
        assertThat(injector.getInstance(Embedder.class).dimensions()).isEqualTo(768);
    }

    @Test
    void partial_modules_bind_only_what_they_name() {
        Injector chatOnly = Guice.createInjector(OllamaModule.languageModel(CONFIG));
        Injector embedderOnly = Guice.createInjector(OllamaModule.embedder(CONFIG));

        assertThat(chatOnly.getInstance(LanguageModel.class)).isInstanceOf(OllamaLanguageModel.class);
        assertThatThrownBy(() -> chatOnly.getInstance(Embedder.class)).isInstanceOf(ConfigurationException.class);
        assertThat(embedderOnly.getInstance(Embedder.class)).isInstanceOf(OllamaEmbedder.class);
        assertThatThrownBy(() -> embedderOnly.getInstance(LanguageModel.class)).isInstanceOf(ConfigurationException.class);
    }
}
