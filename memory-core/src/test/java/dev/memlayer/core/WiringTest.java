package dev.memlayer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.EmbeddingPurpose;
import org.junit.jupiter.api.Test;

class WiringTest {

    private static final Embedder TWO_DIMENSIONS = new Embedder() {
        @Override
        public int dimensions() {
            return 2;
        }

        @Override
        public float[] embed(String text, EmbeddingPurpose purpose) {
            return new float[] {1, 0};
        }
    };

    @Test
    void memory_builder_is_found_through_the_service_loader() {
        assertThat(Memory.builder()).isInstanceOf(DefaultMemoryBuilder.class);
    }

    @Test
    void builder_without_embedder_or_provider_names_the_module_to_add() {
        assertThatThrownBy(() -> Memory.builder().build())
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("embedder-onnx");
    }

    @Test
    void builder_without_store_or_provider_names_the_module_to_add() {
        assertThatThrownBy(() -> Memory.builder().embedder(TWO_DIMENSIONS).build())
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("store-inmemory");
    }

    @Test
    void module_configure_has_no_side_effects_and_requires_backend_bindings() {
        // creating the injector only fails on the missing VectorStore/HistoryStore/Embedder bindings
        assertThatThrownBy(() -> Guice.createInjector(new MemoryModule(MemoryConfig.defaults())))
                .isInstanceOf(CreationException.class)
                .hasMessageContaining("VectorStore")
                .hasMessageContaining("HistoryStore")
                .hasMessageContaining("Embedder");
    }
}
