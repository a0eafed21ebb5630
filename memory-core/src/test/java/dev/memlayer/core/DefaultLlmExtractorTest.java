package dev.memlayer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memlayer.api.EventType;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.Message;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ChatResponse;
import dev.memlayer.api.spi.ExistingMemory;
import dev.memlayer.api.spi.ExtractionContext;
import dev.memlayer.api.spi.Fact;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.MemoryAction;
import dev.memlayer.api.spi.ResponseFormat;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultLlmExtractorTest {

    /** A language model that answers from a script and records the requests it gets. */
    static final class ScriptedModel implements LanguageModel {
        final Deque<String> answers = new ArrayDeque<>();
        final List<ChatRequest> requests = new ArrayList<>();
        final boolean jsonSchema;

        ScriptedModel(boolean jsonSchema, String... answers) {
            this.jsonSchema = jsonSchema;
            this.answers.addAll(List.of(answers));
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            requests.add(request);
            if (answers.isEmpty()) {
                throw new AssertionError("unexpected call: " + request);
            }
            return ChatResponse.ofText(answers.removeFirst());
        }

        @Override
        public boolean supportsJsonSchema() {
            return jsonSchema;
        }

        ChatRequest last() {
            return requests.get(requests.size() - 1);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate TODAY = LocalDate.parse("2024-07-20");
    private static final ExtractionContext USER_CTX =
            new ExtractionContext(ExtractionContext.Target.USER, Scope.user("alex"), TODAY, null);
    private static final List<Message> CONVERSATION = List.of(
            Message.system("Be brief."),
            Message.user("I'm vegetarian.\nAnd I'm allergic to nuts."),
            Message.assistant("Noted!"),
            Message.user("   "));

    private static String lastUserContent(ChatRequest r) {
        Message last = r.messages().get(r.messages().size() - 1);
        assertThat(last.role()).isEqualTo(Role.USER);
        return last.content();
    }

    private static String systemContent(ChatRequest r) {
        assertThat(r.messages().get(0).role()).isEqualTo(Role.SYSTEM);
        return r.messages().get(0).content();
    }

    @Test
    void fact_extraction_sends_the_transcript_as_the_last_user_message_with_the_facts_schema() {
        ScriptedModel model = new ScriptedModel(true, "{\"facts\": [{\"text\": \"Is vegetarian\", \"categories\": [\"food\"]}]}");
        List<Fact> facts = new DefaultLlmExtractor(model).extractFacts(CONVERSATION, USER_CTX);

        assertThat(facts).containsExactly(new Fact("Is vegetarian", List.of("food")));
        ChatRequest r = model.last();
        assertThat(lastUserContent(r)).isEqualTo(
                "system: Be brief.\nuser: I'm vegetarian. And I'm allergic to nuts.\nassistant: Noted!");
        assertThat(r.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class, s -> {
            assertThat(s.name()).isEqualTo("memlayer_facts");
            assertThat(s.strict()).isTrue();
            assertThat(readJson(s.schema()).get("required").get(0).asText()).isEqualTo("facts");
        });
        assertThat(r.temperature()).isEqualTo(0.0);
        assertThat(systemContent(r)).contains("USER").contains("2024-07-20").contains("Wants to forget:")
                .contains("{\"facts\": [");
    }

    @Test
    void without_json_schema_support_a_json_object_is_asked_for() {
        ScriptedModel model = new ScriptedModel(false, "{\"facts\": []}");
        new DefaultLlmExtractor(model).extractFacts(CONVERSATION, USER_CTX);
        assertThat(model.last().responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
    }

    @Test
    void agent_target_uses_the_agent_prompt() {
        ScriptedModel model = new ScriptedModel(false, "{\"facts\": []}");
        ExtractionContext ctx = new ExtractionContext(ExtractionContext.Target.AGENT, Scope.agent("ada"), TODAY, null);
        new DefaultLlmExtractor(model).extractFacts(CONVERSATION, ctx);
        assertThat(systemContent(model.last())).contains("ASSISTANT").doesNotContain("Wants to forget");
    }

    @Test
    void the_agent_prompt_takes_facts_from_the_assistants_own_messages_and_reads_the_rest_as_context() {
        ScriptedModel model = new ScriptedModel(false, "{\"facts\": []}");
        ExtractionContext ctx = new ExtractionContext(ExtractionContext.Target.AGENT, Scope.agent("ada"), TODAY, null);

        new DefaultLlmExtractor(model).extractFacts(CONVERSATION, ctx);

        String system = systemContent(model.last());
        assertThat(system).contains("Use only the lines that start with \"assistant:\"")
                .contains("Lines starting with \"user:\" or \"system:\" are context")
                .doesNotContain("Also instructions that the user or the system gives");
    }

    @Test
    void custom_prompt_replaces_the_instructions_but_keeps_the_output_format() {
        ScriptedModel model = new ScriptedModel(false, "{\"facts\": [\"Likes jazz\"]}");
        ExtractionContext ctx = new ExtractionContext(ExtractionContext.Target.USER, Scope.user("alex"), TODAY,
                "Only extract music preferences.");
        List<Fact> facts = new DefaultLlmExtractor(model).extractFacts(CONVERSATION, ctx);
        assertThat(facts).containsExactly(Fact.of("Likes jazz"));
        String system = systemContent(model.last());
        assertThat(system).startsWith("Only extract music preferences.").contains("{\"facts\": [")
                .doesNotContain("memory writer");
    }

    @Test
    void configured_fact_prompt_applies_when_the_call_has_none() {
        ScriptedModel model = new ScriptedModel(false, "{\"facts\": []}");
        MemoryConfig config = MemoryConfig.builder().factExtractionPrompt("Config prompt.").build();
        new DefaultLlmExtractor(model, config).extractFacts(CONVERSATION, USER_CTX);
        assertThat(systemContent(model.last())).startsWith("Config prompt.");
    }

    @Test
    void string_and_object_facts_are_both_read_and_blank_ones_skipped() {
        ScriptedModel model = new ScriptedModel(false, """
                ```json
                {"facts": ["Likes tea", {"text": "Lives in Oslo", "categories": ["personal_details"]},
                           {"text": "  "}, "", {"fact": "Has a cat", "category": "pets"}]}
                ```""");
        List<Fact> facts = new DefaultLlmExtractor(model).extractFacts(CONVERSATION, USER_CTX);
        assertThat(facts).containsExactly(Fact.of("Likes tea"), new Fact("Lives in Oslo", List.of("personal_details")),
                new Fact("Has a cat", List.of("pets")));
    }

    @Test
    void a_fact_list_whose_items_are_all_unreadable_is_an_llm_exception() {
        for (String answer : List.of("{\"facts\": [1, {}]}", "{\"facts\": [true, {\"category\": \"food\"}, [\"x\"]]}",
                "{\"facts\": [{\"text\": 5}]}")) {
            ScriptedModel model = new ScriptedModel(false, answer);

            assertThatThrownBy(() -> new DefaultLlmExtractor(model).extractFacts(CONVERSATION, USER_CTX))
                    .as("answer %s", answer)
                    .isInstanceOf(LlmException.class)
                    .hasMessageContaining("readable")
                    .hasMessageContaining("nothing was written");
        }
    }

    @Test
    void unreadable_fact_items_next_to_readable_ones_are_skipped_and_reported() {
        ScriptedModel model = new ScriptedModel(false, "{\"facts\": [\"Likes tea\", 42, {\"categories\": [\"x\"]}, \"\"]}");

        List<Fact> facts = new DefaultLlmExtractor(model).extractFacts(CONVERSATION, USER_CTX);

        assertThat(facts).containsExactly(Fact.of("Likes tea"));
        assertThat(facts).isInstanceOfSatisfying(dev.memlayer.core.internal.llm.ExtractedFacts.class, read -> {
            assertThat(read.diagnostics()).hasSize(3);
            assertThat(read.diagnostics().get(0)).contains("fact 1").contains("42");
            assertThat(read.diagnostics().get(1)).contains("fact 2").contains("categories");
            assertThat(read.diagnostics().get(2)).contains("fact 3").contains("empty");
        });
    }

    @Test
    void an_empty_fact_list_or_only_blank_facts_mean_nothing_to_remember() {
        assertThat(new DefaultLlmExtractor(new ScriptedModel(false, "{\"facts\": []}"))
                .extractFacts(CONVERSATION, USER_CTX)).isEmpty();
        assertThat(new DefaultLlmExtractor(new ScriptedModel(false, "{\"facts\": [\" \", {\"text\": \"\"}]}"))
                .extractFacts(CONVERSATION, USER_CTX)).isEmpty();
    }

    @Test
    void think_block_and_prose_around_facts_are_tolerated() {
        ScriptedModel model = new ScriptedModel(false,
                "<think>They said {vegetarian}.</think>Here you go: {\"facts\": [\"Is vegetarian\"]} Done.");
        assertThat(new DefaultLlmExtractor(model).extractFacts(CONVERSATION, USER_CTX)).containsExactly(Fact.of("Is vegetarian"));
    }

    @Test
    void garbage_fact_answer_is_an_llm_exception() {
        ScriptedModel model = new ScriptedModel(false, "I cannot do that.");
        assertThatThrownBy(() -> new DefaultLlmExtractor(model).extractFacts(CONVERSATION, USER_CTX))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("I cannot do that.");
    }

    @Test
    void answer_without_a_facts_list_is_an_llm_exception() {
        ScriptedModel model = new ScriptedModel(false, "{\"result\": \"nothing\"}");
        assertThatThrownBy(() -> new DefaultLlmExtractor(model).extractFacts(CONVERSATION, USER_CTX))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("facts");
    }

    @Test
    void empty_answer_is_an_llm_exception() {
        LanguageModel silent = request -> new ChatResponse(null, List.of(), "stop", null);
        assertThatThrownBy(() -> new DefaultLlmExtractor(silent).extractFacts(CONVERSATION, USER_CTX))
                .isInstanceOf(LlmException.class);
    }

    @Test
    void reconcile_sends_exactly_the_protocol_input_with_the_actions_schema() throws Exception {
        ScriptedModel model = new ScriptedModel(true, "{\"memory\": []}");
        new DefaultLlmExtractor(model).reconcile(
                List.of(new ExistingMemory("0", "Is vegetarian", false), new ExistingMemory("1", "Birthday is 3 May", true)),
                List.of(Fact.of("Allergic to nuts"), new Fact("Likes \"tofu\"", List.of("food"))), USER_CTX);
        ChatRequest r = model.last();
        assertThat(lastUserContent(r)).isEqualTo("{\"existing_memories\":[{\"id\":\"0\",\"text\":\"Is vegetarian\","
                + "\"immutable\":false},{\"id\":\"1\",\"text\":\"Birthday is 3 May\",\"immutable\":true}],"
                + "\"new_facts\":[\"Allergic to nuts\",\"Likes \\\"tofu\\\"\"]}");
        assertThat(JSON.readTree(lastUserContent(r)).get("new_facts").get(1).asText()).isEqualTo("Likes \"tofu\"");
        assertThat(r.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
                s -> assertThat(s.name()).isEqualTo("memlayer_memory_actions"));
        assertThat(r.temperature()).isEqualTo(0.0);
        assertThat(systemContent(r)).contains("immutable").contains("Wants to forget").contains("DELETE")
                .contains("\"memory\": [");
    }

    @Test
    void reconcile_reads_ids_as_given_events_case_insensitively_and_unknown_events_as_null() {
        ScriptedModel model = new ScriptedModel(false, """
                {"memory": [
                  {"id": "0", "text": "Is vegan", "event": "update", "old_memory": "Is vegetarian"},
                  {"id": 1, "text": "Birthday is 3 May", "event": "None"},
                  {"id": "7", "text": "Likes tofu", "event": "ADD"},
                  {"id": "2", "text": "x", "event": "MERGE"},
                  {"id": "3", "text": "y"}
                ]}""");
        List<MemoryAction> actions = new DefaultLlmExtractor(model).reconcile(List.of(), List.of(Fact.of("x")), USER_CTX);
        assertThat(actions).containsExactly(
                new MemoryAction("0", "Is vegan", EventType.UPDATE, "Is vegetarian"),
                new MemoryAction("1", "Birthday is 3 May", EventType.NONE, null),
                new MemoryAction("7", "Likes tofu", EventType.ADD, null),
                new MemoryAction("2", "x", null, null),
                new MemoryAction("3", "y", null, null));
    }

    @Test
    void configured_update_prompt_replaces_the_reconcile_instructions() {
        ScriptedModel model = new ScriptedModel(false, "{\"memory\": []}");
        MemoryConfig config = MemoryConfig.builder().updateMemoryPrompt("My reconcile rules.").build();
        new DefaultLlmExtractor(model, config).reconcile(List.of(), List.of(Fact.of("x")), USER_CTX);
        assertThat(systemContent(model.last())).startsWith("My reconcile rules.").contains("\"memory\": [");
    }

    @Test
    void garbage_reconcile_answer_is_an_llm_exception() {
        ScriptedModel model = new ScriptedModel(false, "```json\n{\"memory\": [ {\"id\": \"0\",\n```");
        assertThatThrownBy(() -> new DefaultLlmExtractor(model).reconcile(List.of(), List.of(Fact.of("x")), USER_CTX))
                .isInstanceOf(LlmException.class);
    }

    @Test
    void procedural_summary_uses_its_schema_and_reads_the_summary() {
        ScriptedModel model = new ScriptedModel(true, "{\"summary\": \"Task: book a train.\\nSteps: 1. searched.\"}");
        ExtractionContext ctx = new ExtractionContext(ExtractionContext.Target.AGENT, Scope.agent("ada"), TODAY, null);
        String summary = new DefaultLlmExtractor(model).summarizeProcedure(CONVERSATION, ctx);
        assertThat(summary).isEqualTo("Task: book a train.\nSteps: 1. searched.");
        ChatRequest r = model.last();
        assertThat(lastUserContent(r)).startsWith("system: Be brief.\nuser: I'm vegetarian.");
        assertThat(r.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class,
                s -> assertThat(s.name()).isEqualTo("memlayer_procedure"));
        assertThat(systemContent(r)).contains("Task").contains("Steps").contains("Outcome").contains("\"summary\"");
    }

    @Test
    void procedural_custom_prompt_replaces_the_instructions() {
        ScriptedModel model = new ScriptedModel(false, "{\"summary\": \"ok\"}");
        ExtractionContext ctx = new ExtractionContext(ExtractionContext.Target.AGENT, Scope.agent("ada"), TODAY,
                "Summarise the browsing session.");
        new DefaultLlmExtractor(model).summarizeProcedure(CONVERSATION, ctx);
        assertThat(systemContent(model.last())).startsWith("Summarise the browsing session.").contains("\"summary\"");
    }

    @Test
    void blank_procedural_summary_is_an_llm_exception() {
        ScriptedModel model = new ScriptedModel(false, "{\"summary\": \"  \"}");
        ExtractionContext ctx = new ExtractionContext(ExtractionContext.Target.AGENT, Scope.agent("ada"), TODAY, null);
        assertThatThrownBy(() -> new DefaultLlmExtractor(model).summarizeProcedure(CONVERSATION, ctx))
                .isInstanceOf(LlmException.class);
    }

    @Test
    void every_schema_is_valid_json_with_no_additional_properties() {
        for (String answer : List.of("{\"facts\": []}", "{\"memory\": []}", "{\"summary\": \"s\"}")) {
            ScriptedModel model = new ScriptedModel(true, answer);
            DefaultLlmExtractor x = new DefaultLlmExtractor(model);
            switch (answer.charAt(2)) {
                case 'f' -> x.extractFacts(CONVERSATION, USER_CTX);
                case 'm' -> x.reconcile(List.of(), List.of(Fact.of("a")), USER_CTX);
                default -> x.summarizeProcedure(CONVERSATION, USER_CTX);
            }
            ResponseFormat.JsonSchema s = (ResponseFormat.JsonSchema) model.last().responseFormat();
            assertThat(readJson(s.schema()).get("additionalProperties").asBoolean()).isFalse();
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
