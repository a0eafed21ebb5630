package dev.memlayer.llm.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.ConfigurationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.LanguageModel;
import org.junit.jupiter.api.Test;

class OpenAiModuleTest {

    private static final OpenAiConfig LOCAL = OpenAiConfig.builder().baseUrl("http://127.0.0.1:9/v1").build();

    @Test
    void the_module_binds_a_singleton_language_model_and_embedder() {
        Injector injector = Guice.createInjector(new OpenAiModule(LOCAL));

        assertThat(injector.getInstance(LanguageModel.class)).isInstanceOf(OpenAiLanguageModel.class)
                .isSameAs(injector.getInstance(LanguageModel.class));
        assertThat(injector.getInstance(Embedder.class)).isInstanceOf(OpenAiEmbedder.class)
                .isSameAs(injector.getInstance(Embedder.class));
    }

    @Test
    void clients_are_created_lazily_so_configuration_errors_appear_on_first_use() {
        Injector injector = Guice.createInjector(new OpenAiModule(OpenAiConfig.builder().build()));

        assertThatThrownBy(() -> injector.getInstance(LanguageModel.class))
                .isInstanceOf(ProvisionException.class)
                .hasRootCauseInstanceOf(ValidationException.class)
                .rootCause().hasMessageContaining("OPENAI_API_KEY");
    }

    @Test
    void partial_modules_bind_only_what_they_name() {
        Injector chatOnly = Guice.createInjector(OpenAiModule.languageModel(LOCAL));
        Injector embedderOnly = Guice.createInjector(OpenAiModule.embedder(LOCAL));

        assertThat(chatOnly.getInstance(LanguageModel.class)).isInstanceOf(OpenAiLanguageModel.class);
        assertThat(chatOnly.getExistingBinding(com.google.inject.Key.get(Embedder.class))).isNull();
        assertThat(embedderOnly.getInstance(Embedder.class)).isInstanceOf(OpenAiEmbedder.class);
        assertThatThrownBy(() -> embedderOnly.getInstance(LanguageModel.class)).isInstanceOf(ConfigurationException.class);
    }
}
