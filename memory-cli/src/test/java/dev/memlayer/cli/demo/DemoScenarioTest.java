package dev.memlayer.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memlayer.api.GetAllRequest;
import dev.memlayer.api.Memory;
import dev.memlayer.api.Scope;
import dev.memlayer.cli.demo.DemoScenario.Step;
import dev.memlayer.cli.internal.Backends;
import dev.memlayer.cli.internal.EmbedderKind;
import dev.memlayer.cli.internal.LanguageModels;
import dev.memlayer.cli.internal.LlmKind;
import dev.memlayer.cli.internal.StoreKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plays the whole demo with the scripted model and the real local embedder. */
class DemoScenarioTest {

    @Test
    void without_a_configured_llm_the_demo_says_it_uses_the_scripted_model() {
        LanguageModels.Selection selection = LanguageModels.select(LlmKind.AUTO, Map.of("OPENAI_API_KEY", " "));

        assertThat(selection.scripted()).isTrue();
        assertThat(selection.model()).isInstanceOf(DemoLanguageModel.class);
        assertThat(selection.description()).contains("no LLM configured", "scripted demo model", "OPENAI_API_KEY",
                "OLLAMA_HOST");
    }

    @Test
    void the_seed_scenario_plays_every_step_in_mem0_shapes() {
        StringWriter text = new StringWriter();
        List<Step> steps;
        DemoLanguageModel llm = new DemoLanguageModel();
        try (Memory memory = Backends.open(StoreKind.INMEMORY, Backends.embedder(EmbedderKind.BGE_SMALL), llm)) {
            steps = new DemoScenario(memory, new PrintWriter(text, true)).run();
            assertThat(memory.getAll(GetAllRequest.of(Scope.user(DemoScenario.USER))).count()).isZero();
        }

        assertThat(steps).hasSize(DemoScenario.stepCount());
        assertThat(llm.calls()).isPositive();

        // 1-3: user, session and agent memories
        assertThat(memories(steps.get(0).lastResult())).containsExactly("Name is Alex", "Is a vegetarian",
                "Is allergic to nuts");
        assertThat(events(steps.get(0).lastResult())).containsOnly("ADD");
        assertThat(memories(steps.get(1).lastResult())).contains("Is planning a trip to Japan in April");
        assertThat(memories(steps.get(2).lastResult())).contains("Is an AI tutor for Spanish and French");

        // 4-5: imported facts, then the dinner search finds the cooking habit and the diet, scored in [0,1]
        assertThat(steps.get(3).results()).hasSize(3);
        JsonNode search = steps.get(4).lastResult();
        assertThat(memories(search)).hasSize(3).contains("Cooks dinner at home most weekdays", "Is a vegetarian");
        search.path("results").forEach(r -> assertThat(r.path("score").doubleValue()).isBetween(0.0, 1.0));

        // 6: pages of three, newest first
        JsonNode page1 = steps.get(5).results().get(0);
        assertThat(page1.path("count").intValue()).isEqualTo(9);
        assertThat(page1.path("results")).hasSize(3);
        assertThat(page1.path("next").intValue()).isEqualTo(2);
        assertThat(steps.get(5).results().get(1).path("previous").intValue()).isEqualTo(1);

        // 7-9: filters
        assertThat(memories(steps.get(6).lastResult())).containsExactly("Cooks dinner at home most weekdays");
        assertThat(memories(steps.get(7).lastResult())).containsExactlyInAnyOrder(
                "Prefers a window seat on long flights", "Asked for a nut-free vegetarian meal on the flight");
        assertThat(memories(steps.get(8).lastResult())).contains("Is allergic to nuts",
                "Asked for a nut-free vegetarian meal on the flight", "Cooks dinner at home most weekdays");

        // 10: the correction is an UPDATE carrying the previous text
        JsonNode correction = steps.get(9).lastResult().path("results").get(0);
        assertThat(correction.path("event").asText()).isEqualTo("UPDATE");
        assertThat(correction.path("memory").asText()).isEqualTo("Is allergic to nuts and shellfish");
        assertThat(correction.path("previous_memory").asText()).isEqualTo("Is allergic to nuts");

        // 11: direct update, then history ADD, UPDATE
        assertThat(steps.get(10).results().get(0).path("metadata").path("confirmed").asBoolean()).isTrue();
        assertThat(events(steps.get(10).results().get(1))).containsExactly("ADD", "UPDATE");

        // 12: the immutable memory refuses the update
        assertThat(steps.get(11).lastResult().path("error").asText()).isEqualTo("ImmutableMemoryException");

        // 13: a batch naming the immutable memory fails as a whole; the valid one succeeds
        assertThat(steps.get(12).results().get(0).path("code").asText()).isEqualTo("INVALID_BATCH");
        assertThat(steps.get(12).results().get(1).path("message").asText()).isEqualTo("Successfully updated 3 memories");

        // 14-17: batch delete, entities, deleteAll, reset
        assertThat(steps.get(13).lastResult().path("memory_ids")).hasSize(2);
        assertThat(steps.get(14).lastResult().toString()).contains("\"alex\"", "\"" + DemoScenario.RUN + "\"",
                "\"" + DemoScenario.AGENT + "\"");
        assertThat(steps.get(15).results().get(0).path("deleted").longValue()).isEqualTo(3);
        assertThat(steps.get(15).results().get(1).path("deleted").longValue()).isEqualTo(3);
        assertThat(steps.get(16).lastResult().path("count").intValue()).isZero();

        assertThat(text.toString()).contains("== 1/17", "== 17/17", "> memory.search(", "\"event\" : \"UPDATE\"");
    }

    private static List<String> memories(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.path("results").forEach(r -> out.add(r.path("memory").asText()));
        return out;
    }

    private static List<String> events(JsonNode result) {
        List<String> out = new ArrayList<>();
        JsonNode rows = result.isArray() ? result : result.path("results");
        rows.forEach(r -> out.add(r.path("event").asText()));
        return out;
    }
}
