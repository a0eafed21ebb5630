package dev.memlayer.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.ValidationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EmbeddingBatcherTest {

    /** One request as the batcher sent it. */
    private record Sent(List<String> texts, int expectedDimensions) {
    }

    /** Answers every text with {@code [n, 0, 0]}, n being the digits in the text, and records the requests. */
    private static final class RecordingCall implements EmbeddingBatcher.BatchCall {
        final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<float[]> embed(List<String> texts, int expectedDimensions) {
            sent.add(new Sent(List.copyOf(texts), expectedDimensions));
            List<float[]> out = new ArrayList<>();
            for (String text : texts) {
                String digits = text.replaceAll("\\D", "");
                out.add(new float[]{digits.isEmpty() ? 1 : Integer.parseInt(digits), 0, 0});
            }
            return out;
        }

        List<Integer> batchSizes() {
            return sent.stream().map(s -> s.texts().size()).toList();
        }
    }

    private static TestModelSettings.Builder settings() {
        return TestModelSettings.builder().embeddingBatchSize(4).modelSize(3);
    }

    private static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "t" + i).toList();
    }

    @Test
    void texts_are_cut_into_batches_of_the_configured_size_at_every_boundary() {
        int[][] cases = {{0}, {1, 1}, {3, 3}, {4, 4}, {5, 4, 1}, {8, 4, 4}, {9, 4, 4, 1}};
        for (int[] c : cases) {
            RecordingCall call = new RecordingCall();
            EmbeddingBatcher batcher = new EmbeddingBatcher(settings().build(), "TestConfig", "TEST_DIMENSIONS", call);

            List<float[]> vectors = batcher.embedAll(texts(c[0]), false);

            List<Integer> expected = IntStream.range(1, c.length).mapToObj(i -> c[i]).toList();
            assertThat(call.batchSizes()).as("%d texts", c[0]).isEqualTo(expected);
            assertThat(vectors).hasSize(c[0]);
        }
    }

    @Test
    void vectors_come_back_in_input_order_across_batches() {
        RecordingCall call = new RecordingCall();
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().embeddingBatchSize(3).build(), "TestConfig", "V", call);

        List<float[]> vectors = batcher.embedAll(texts(10), false);

        assertThat(vectors).extracting(v -> (int) v[0]).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(call.sent).extracting(Sent::texts).containsExactly(
                List.of("t0", "t1", "t2"), List.of("t3", "t4", "t5"), List.of("t6", "t7", "t8"), List.of("t9"));
        assertThat(call.sent).extracting(Sent::expectedDimensions).containsOnly(3);
    }

    @Test
    void a_batch_size_of_one_sends_one_request_per_text() {
        RecordingCall call = new RecordingCall();
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().embeddingBatchSize(1).build(), "TestConfig", "V", call);

        batcher.embedAll(texts(3), true);

        assertThat(call.batchSizes()).containsExactly(1, 1, 1);
    }

    @Test
    void the_query_prefix_goes_before_search_queries_and_the_document_prefix_before_memories() {
        RecordingCall call = new RecordingCall();
        TestModelSettings s = settings().embeddingQueryPrefix("search_query: ").embeddingDocumentPrefix("search_document: ").build();
        EmbeddingBatcher batcher = new EmbeddingBatcher(s, "TestConfig", "V", call);

        batcher.embedAll(List.of("a", "b"), true);
        batcher.embed("c", false);

        assertThat(call.sent).extracting(Sent::texts).containsExactly(
                List.of("search_query: a", "search_query: b"), List.of("search_document: c"));
    }

    @Test
    void without_prefixes_texts_are_sent_unchanged() {
        RecordingCall call = new RecordingCall();
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().build(), "TestConfig", "V", call);

        batcher.embedAll(List.of(" padded text "), true);

        assertThat(call.sent.getFirst().texts()).containsExactly(" padded text ");
    }

    @Test
    void a_blank_or_null_text_anywhere_is_rejected_before_anything_is_sent() {
        RecordingCall call = new RecordingCall();
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().build(), "TestConfig", "V", call);
        List<String> withNull = new ArrayList<>(texts(6));
        withNull.set(5, null);

        for (List<String> bad : List.of(List.of("a", " "), withNull, List.of(""))) {
            assertThatThrownBy(() -> batcher.embedAll(bad, false))
                    .isInstanceOfSatisfying(ValidationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> batcher.embed(null, true)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> batcher.embedAll(null, true)).isInstanceOf(NullPointerException.class);
        assertThat(call.sent).isEmpty();
    }

    @Test
    void a_known_size_needs_no_probe() {
        RecordingCall call = new RecordingCall();
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().modelSize(768).build(), "TestConfig", "V", call);

        assertThat(batcher.dimensions()).isEqualTo(768);
        assertThat(call.sent).isEmpty();
    }

    @Test
    void an_unknown_size_is_learnt_from_one_probe_before_the_first_batch() {
        RecordingCall call = new RecordingCall();
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().modelSize(null).build(), "TestConfig", "V", call);

        batcher.embedAll(texts(2), false);
        batcher.embedAll(texts(1), false);

        assertThat(batcher.dimensions()).isEqualTo(3);
        assertThat(call.sent).containsExactly(
                new Sent(List.of(EmbeddingBatcher.PROBE_TEXT), 0),
                new Sent(List.of("t0", "t1"), 3),
                new Sent(List.of("t0"), 3));
    }

    @Test
    void an_empty_list_sends_nothing_not_even_the_probe() {
        RecordingCall call = new RecordingCall();
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().modelSize(null).build(), "TestConfig", "V", call);

        assertThat(batcher.embedAll(List.of(), true)).isEmpty();
        assertThat(call.sent).isEmpty();
    }

    @Test
    void concurrent_first_calls_send_a_single_probe() throws Exception {
        RecordingCall recording = new RecordingCall();
        CountDownLatch start = new CountDownLatch(1);
        EmbeddingBatcher.BatchCall slow = (texts, expected) -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return recording.embed(texts, expected);
        };
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().modelSize(null).build(), "TestConfig", "V", slow);

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return batcher.dimensions();
                }));
            }
            start.countDown();
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(3);
            }
        }
        assertThat(recording.sent).hasSize(1);
    }

    @Test
    void vectors_are_scaled_to_unit_length() {
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().build(), "TestConfig", "V", new RecordingCall());

        float[] v = batcher.vector("w", json("[3, 4, 0]"), 3, EmbeddingBatcherTest::malformed);

        assertThat(v).containsExactly(0.6f, 0.8f, 0f);
        assertThat(batcher.vector("w", json("[0, 0, 0]"), 3, EmbeddingBatcherTest::malformed)).containsExactly(0f, 0f, 0f);
        assertThat(batcher.vector("w", json("[1, 0, 0]"), 0, EmbeddingBatcherTest::malformed)).containsExactly(1f, 0f, 0f);
    }

    @Test
    void a_wrong_length_names_both_sizes_and_the_setting_to_change() {
        EmbeddingBatcher configured = new EmbeddingBatcher(settings().embeddingDimensions(4).build(), "TestConfig",
                "TEST_EMBEDDING_DIMENSIONS", new RecordingCall());
        EmbeddingBatcher known = new EmbeddingBatcher(settings().embeddingModel("m").modelSize(4).build(), "TestConfig",
                "TEST_EMBEDDING_DIMENSIONS", new RecordingCall());

        assertThatThrownBy(() -> configured.vector("Test embed (model x, 1 text)", json("[1, 2, 3]"), 4,
                EmbeddingBatcherTest::malformed))
                .isInstanceOf(LlmException.class)
                .hasMessage("Test embed (model x, 1 text) failed: the model returned 3-dimensional vectors, but 4 dimensions"
                        + " are expected (TestConfig.embeddingDimensions). Set embeddingDimensions"
                        + " (TEST_EMBEDDING_DIMENSIONS) to the model's real size, or choose the embedding model the vector"
                        + " store was created with.");
        assertThatThrownBy(() -> known.vector("w", json("[1, 2, 3, 4, 5]"), 4, EmbeddingBatcherTest::malformed))
                .hasMessageContaining("returned 5-dimensional vectors, but 4 dimensions are expected (the known size of m)");
    }

    @Test
    void empty_vectors_and_non_numbers_are_malformed_answers() {
        EmbeddingBatcher batcher = new EmbeddingBatcher(settings().build(), "TestConfig", "V", new RecordingCall());

        assertThatThrownBy(() -> batcher.vector("w", json("[]"), 0, EmbeddingBatcherTest::malformed))
                .hasMessage("malformed: an embedding is empty");
        assertThatThrownBy(() -> batcher.vector("w", json("[1, \"2\", 3]"), 3, EmbeddingBatcherTest::malformed))
                .hasMessage("malformed: an embedding holds a non-number \"2\"");
    }

    private static LlmException malformed(String problem) {
        return new LlmException("malformed: " + problem);
    }

    private static JsonNode json(String text) {
        try {
            return JsonHttpClient.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
