package dev.memlayer.embedder.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnnxEmbedderConfigTest {

    @Test
    void defaults_are_bge_small_two_threads_batches_of_32_query_instruction_no_spinning() {
        OnnxEmbedderConfig config = OnnxEmbedderConfig.defaults();

        assertThat(config.model()).isEqualTo(OnnxModel.BGE_SMALL_EN_V15_Q);
        assertThat(config.intraOpThreads()).isEqualTo(Math.min(2, Runtime.getRuntime().availableProcessors()));
        assertThat(config.maxBatchSize()).isEqualTo(32);
        assertThat(config.queryInstruction()).isTrue();
        assertThat(config.allowSpinning()).isFalse();
    }

    @Test
    void an_empty_environment_gives_the_defaults() {
        assertThat(OnnxEmbedderConfig.fromEnv(Map.of())).isEqualTo(OnnxEmbedderConfig.defaults());
        assertThat(OnnxEmbedderConfig.fromEnv(Map.of("MEMLAYER_ONNX_MODEL", " "))).isEqualTo(OnnxEmbedderConfig.defaults());
    }

    @Test
    void the_environment_sets_every_field() {
        OnnxEmbedderConfig config = OnnxEmbedderConfig.fromEnv(Map.of(
                "MEMLAYER_ONNX_MODEL", "all-minilm-l6-v2-q",
                "MEMLAYER_ONNX_THREADS", "4",
                "MEMLAYER_ONNX_MAX_BATCH_SIZE", "8",
                "MEMLAYER_ONNX_QUERY_INSTRUCTION", "false",
                "MEMLAYER_ONNX_SPINNING", "true"));

        assertThat(config).isEqualTo(new OnnxEmbedderConfig(OnnxModel.ALL_MINILM_L6_V2_Q, 4, 8, false, true));
    }

    @ParameterizedTest
    @CsvSource({
        "BGE_SMALL_EN_V15_Q, BGE_SMALL_EN_V15_Q",
        "bge-small-en-v1.5-q, BGE_SMALL_EN_V15_Q",
        "bge_small_en_v15_q, BGE_SMALL_EN_V15_Q",
        "All-MiniLM-L6-v2-q, ALL_MINILM_L6_V2_Q"
    })
    void model_names_are_read_leniently(String name, OnnxModel expected) {
        assertThat(OnnxEmbedderConfig.fromEnv(Map.of("MEMLAYER_ONNX_MODEL", name)).model()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "MEMLAYER_ONNX_MODEL, bge-large",
        "MEMLAYER_ONNX_THREADS, two",
        "MEMLAYER_ONNX_THREADS, 0",
        "MEMLAYER_ONNX_MAX_BATCH_SIZE, 0",
        "MEMLAYER_ONNX_MAX_BATCH_SIZE, 100000",
        "MEMLAYER_ONNX_QUERY_INSTRUCTION, maybe",
        "MEMLAYER_ONNX_SPINNING, sometimes"
    })
    void bad_values_are_rejected_as_invalid_configuration(String name, String value) {
        assertThatThrownBy(() -> OnnxEmbedderConfig.fromEnv(Map.of(name, value)))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining(name);
    }

    @Test
    void the_builder_validates_ranges() {
        assertThatThrownBy(() -> OnnxEmbedderConfig.builder().intraOpThreads(0).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("intraOpThreads");
        assertThatThrownBy(() -> OnnxEmbedderConfig.builder().model(null).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("model");
    }

    @Test
    void toBuilder_round_trips() {
        OnnxEmbedderConfig config = new OnnxEmbedderConfig(OnnxModel.ALL_MINILM_L6_V2_Q, 3, 16, false, true);
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void each_model_knows_its_resources_pooling_and_limits() {
        assertThat(OnnxModel.BGE_SMALL_EN_V15_Q.pooling()).isEqualTo(OnnxModel.Pooling.CLS);
        assertThat(OnnxModel.BGE_SMALL_EN_V15_Q.maxTokens()).isEqualTo(512);
        assertThat(OnnxModel.BGE_SMALL_EN_V15_Q.queryPrefix())
                .isEqualTo("Represent this sentence for searching relevant passages: ");
        assertThat(OnnxModel.ALL_MINILM_L6_V2_Q.pooling()).isEqualTo(OnnxModel.Pooling.MEAN);
        assertThat(OnnxModel.ALL_MINILM_L6_V2_Q.queryPrefix()).isEmpty();
        for (OnnxModel model : OnnxModel.values()) {
            assertThat(model.dimensions()).isEqualTo(384);
            assertThat(getClass().getClassLoader().getResource(model.modelResource())).as(model.modelResource()).isNotNull();
            assertThat(getClass().getClassLoader().getResource(model.tokenizerResource())).as(model.tokenizerResource()).isNotNull();
        }
    }
}
