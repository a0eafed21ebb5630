package dev.memlayer.cli.locomo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.api.GetAllRequest;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.cli.internal.Backends;
import dev.memlayer.cli.internal.StoreKind;
import dev.memlayer.cli.locomo.EvalResult.QuestionOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the evaluator on the hand-made file with {@link KeywordEmbedder}, whose rankings can be
 * worked out by hand (see the comments), and checks the exact recall values.
 */
class LocomoEvaluatorTest {

    private static final double EPS = 1e-12;

    private Memory memory;

    @BeforeEach
    void openMemory() {
        memory = Backends.open(StoreKind.INMEMORY, new KeywordEmbedder(), null);
    }

    @AfterEach
    void closeMemory() {
        memory.close();
    }

    private EvalResult evaluate(int threads) {
        return new LocomoEvaluator(memory, threads, ProgressListener.NONE).evaluate(LocomoDataset.read(TinyLocomo.path()));
    }

    @Test
    void recall_values_on_the_tiny_file_are_exactly_the_hand_computed_ones() {
        EvalResult result = evaluate(2);

        // per question (r@1, r@5, r@10):
        //  guitar           D1:1 ranked 1                                  -> 1, 1, 1
        //  puppy + garden   D2:3 (both words) first, then D2:1 and D1:2     -> 0, 1, 1
        //  paris            D1:3 first; D9:9 does not exist                 -> .5, .5, .5
        //  marathon         "D:2:2" normalised to D2:2, ranked 1            -> 1, 1, 1
        //  chess            nobody mentions it; D2:3 has two words, so it   -> 0, 0, 1
        //                   is the least similar of the six turns: rank 6
        //  novel (tiny-2)   D1:2 first, D1:1 second (one word beats two)    -> .5, 1, 1
        //  puppy (tiny-2)   D1:3 first; tiny-1's puppies are out of scope   -> 1, 1, 1
        assertThat(result.questions()).isEqualTo(7);
        assertThat(result.skippedQuestions()).isEqualTo(2);
        assertThat(result.overall().at1()).isCloseTo(4.0 / 7, within(EPS));
        assertThat(result.overall().at5()).isCloseTo(5.5 / 7, within(EPS));
        assertThat(result.overall().at10()).isCloseTo(6.5 / 7, within(EPS));

        assertThat(result.byCategory()).containsOnlyKeys(1, 2, 3, 4, 5);
        assertRecall(result.byCategory().get(1), 2, 0.5, 1, 1);
        assertRecall(result.byCategory().get(2), 1, 0.5, 0.5, 0.5);
        assertRecall(result.byCategory().get(3), 1, 0, 0, 1);
        assertRecall(result.byCategory().get(4), 2, 0.75, 1, 1);
        assertRecall(result.byCategory().get(5), 1, 1, 1, 1);
    }

    @Test
    void every_search_stays_in_its_conversation() {
        EvalResult result = evaluate(1);

        QuestionOutcome chess = outcome(result, "Who plays chess?");
        assertThat(chess.retrieved()).hasSize(6).endsWith("D2:3");
        QuestionOutcome puppy = outcome(result, "Tell me about the puppy.");
        assertThat(puppy.sampleId()).isEqualTo("tiny-2");
        assertThat(puppy.retrieved()).containsExactly("D1:3", "D1:1", "D1:2");
    }

    @Test
    void each_turn_is_one_memory_with_speaker_prefix_metadata_scope_and_session_time() {
        EvalResult result = evaluate(2);

        assertThat(result.conversations()).isEqualTo(2);
        assertThat(result.turns()).isEqualTo(9);
        List<MemoryItem> tiny1 = memory.getAll(GetAllRequest.of(Scope.user("tiny-1"), null, 1, 100)).results();
        assertThat(tiny1).hasSize(6);
        MemoryItem paris = tiny1.stream().filter(i -> "D1:3".equals(i.metadata().get("dia_id"))).findFirst().orElseThrow();
        assertThat(paris.memory()).isEqualTo("Ana: We went to Paris for the weekend.");
        assertThat(paris.actorId()).isEqualTo("Ana");
        assertThat(paris.role()).isEqualTo(Role.USER);
        assertThat(paris.metadata()).containsEntry("sample_id", "tiny-1").containsEntry("session_date", "10:00 am on 1 March, 2024");
        assertThat(((Number) paris.metadata().get("session")).intValue()).isEqualTo(1);
        assertThat(paris.createdAt()).isEqualTo(Instant.parse("2024-03-01T10:00:02Z"));
        // newest first: the last turn of the last session
        assertThat(tiny1.get(0).metadata()).containsEntry("dia_id", "D2:3");
    }

    @Test
    void a_second_run_on_the_same_memory_replaces_the_first_instead_of_duplicating_it() {
        evaluate(2);
        EvalResult again = evaluate(2);

        assertThat(memory.getAll(GetAllRequest.of(Scope.user("tiny-1"))).count()).isEqualTo(6);
        assertThat(again.overall().at10()).isCloseTo(6.5 / 7, within(EPS));
    }

    @Test
    void timings_and_progress_are_reported() {
        List<String> events = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            private long done;

            @Override
            public synchronized void start(String phase, long total, String unit) {
                done = 0;
                events.add("start " + phase + " " + total + " " + unit);
            }

            @Override
            public synchronized void advance(long units) {
                done += units;
            }

            @Override
            public synchronized void finish() {
                events.add("finish " + done);
            }
        };
        EvalResult result = new LocomoEvaluator(memory, 2, listener).evaluate(LocomoDataset.read(TinyLocomo.path()));

        assertThat(events).containsExactly("start ingest 9 turns", "finish 9", "start search 7 questions", "finish 7");
        assertThat(result.ingestSeconds()).isPositive();
        assertThat(result.ingestPerSecond()).isPositive();
        assertThat(result.searchPerSecond()).isPositive();
        assertThat(result.searchP50Ms()).isPositive().isLessThanOrEqualTo(result.searchP95Ms());
    }

    @Test
    void the_report_renders_a_table_and_json_with_the_documented_keys() {
        EvalResult result = evaluate(2);
        EvalReport report = new EvalReport("tiny-locomo.json", "inmemory", "keywords", result);

        String text = report.toText();
        assertThat(text).contains("R@1", "R@5", "R@10", "1 multi-hop", "5 adversarial", "turns/s", "p50", "p95")
                .contains("all                   7   0.571   0.786   0.929");
        var json = report.toJson();
        assertThat(json.fieldNames()).toIterable().contains("recall_at_1", "recall_at_5", "recall_at_10", "by_category",
                "questions", "ingest_per_s", "search_p50_ms", "search_p95_ms", "store", "embedder", "data");
        assertThat(json.get("recall_at_1").doubleValue()).isEqualTo(0.5714);
        assertThat(json.get("questions").intValue()).isEqualTo(7);
        assertThat(json.at("/by_category/single-hop/recall_at_1").doubleValue()).isEqualTo(0.75);
        assertThat(json.at("/by_category/single-hop/questions").intValue()).isEqualTo(2);
    }

    private static void assertRecall(Recall r, int questions, double at1, double at5, double at10) {
        assertThat(r.questions()).isEqualTo(questions);
        assertThat(r.at1()).isCloseTo(at1, within(EPS));
        assertThat(r.at5()).isCloseTo(at5, within(EPS));
        assertThat(r.at10()).isCloseTo(at10, within(EPS));
    }

    private static QuestionOutcome outcome(EvalResult result, String question) {
        return result.perQuestion().stream().filter(o -> o.question().equals(question)).findFirst().orElseThrow();
    }
}
