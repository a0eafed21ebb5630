package dev.memlayer.embedder.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Binding;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import com.google.inject.spi.ProviderInstanceBinding;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OnnxEmbedderModuleTest {

    @Test
    void the_module_only_declares_lazy_provider_bindings() {
        List<Element> elements = Elements.getElements(new OnnxEmbedderModule());

        Set<Key<?>> keys = elements.stream()
                .filter(Binding.class::isInstance)
                .map(e -> ((Binding<?>) e).getKey())
                .collect(Collectors.toSet());
        assertThat(keys).containsExactlyInAnyOrder(Key.get(Embedder.class), Key.get(OnnxEmbedder.class));
        assertThat(elements.stream().filter(Binding.class::isInstance))
                .allMatch(ProviderInstanceBinding.class::isInstance);
    }

    @Test
    void embedder_is_a_singleton_onnx_embedder_built_from_the_config() {
        OnnxEmbedderConfig config = OnnxEmbedderConfig.builder()
                .model(OnnxModel.ALL_MINILM_L6_V2_Q)
                .intraOpThreads(1)
                .build();
        Injector injector = Guice.createInjector(new OnnxEmbedderModule(config));

        Embedder embedder = injector.getInstance(Embedder.class);
        try {
            assertThat(embedder).isSameAs(injector.getInstance(Embedder.class))
                    .isSameAs(injector.getInstance(OnnxEmbedder.class));
            assertThat(((OnnxEmbedder) embedder).config()).isEqualTo(config);
            assertThat(embedder.embed("hello", EmbeddingPurpose.ADD)).hasSize(384);
        } finally {
            ((OnnxEmbedder) embedder).close();
        }
    }
}
