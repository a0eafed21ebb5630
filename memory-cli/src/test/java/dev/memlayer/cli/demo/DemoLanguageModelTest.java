package dev.memlayer.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Message;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ResponseFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoLanguageModelTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final DemoLanguageModel model = new DemoLanguageModel();

    private JsonNode ask(String schema, String system, String input) throws Exception {
        ChatRequest request = new ChatRequest(List.of(Message.system(system), Message.user(input)),
                new ResponseFormat.JsonSchema(schema, "{}", true), List.of(), 0.0, null);
        return JSON.readTree(model.chat(request).content());
    }

    private List<String> facts(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("facts").forEach(f -> out.add(f.path("text").asText()));
        return out;
    }

    @Test
    void user_sentences_become_third_person_facts_with_categories() throws Exception {
        JsonNode answer = ask(DemoLanguageModel.FACTS_SCHEMA, "Record facts about the USER.",
                "user: Hi, I'm Alex. I'm a vegetarian and I'm allergic to nuts.\n"
                        + "assistant: Nice to meet you, Alex! I'll remember that.");

        assertThat(facts(answer)).containsExactly("Name is Alex", "Is a vegetarian", "Is allergic to nuts");
        assertThat(answer.at("/facts/2/categories").toString()).contains("food_preferences", "health");
        assertThat(answer.at("/facts/0/categories/0").asText()).isEqualTo("personal_details");
    }

    @Test
    void questions_greetings_and_the_assistants_lines_are_not_user_facts() throws Exception {
        JsonNode answer = ask(DemoLanguageModel.FACTS_SCHEMA, "Record facts about the USER.",
                "user: Hello! Can you recommend a restaurant?\nassistant: I love Italian food.\nuser: Thanks!");

        assertThat(facts(answer)).isEmpty();
    }

    @Test
    void verbs_are_conjugated_and_joined_clauses_split() throws Exception {
        JsonNode answer = ask(DemoLanguageModel.FACTS_SCHEMA, "facts about the user",
                "user: I want to see Tokyo and Kyoto, and I love quiet temples. My sister lives in Osaka."
                        + " I usually cook on Sundays.");

        assertThat(facts(answer)).containsExactly("Wants to see Tokyo and Kyoto", "Loves quiet temples",
                "Sister lives in Osaka", "Usually cooks on Sundays");
    }

    @Test
    void agent_instructions_take_facts_from_the_assistants_lines() throws Exception {
        JsonNode answer = ask(DemoLanguageModel.FACTS_SCHEMA, "Write down durable facts about the ASSISTANT itself.",
                "user: Can you help me practise Spanish?\n"
                        + "assistant: Of course! I'm an AI tutor for Spanish. I quiz you at the end of each lesson.");

        assertThat(facts(answer)).containsExactly("Is an AI tutor for Spanish", "Quizzes the user at the end of each lesson");
    }

    @Test
    void reconcile_keeps_known_facts_updates_similar_ones_and_adds_new_ones() throws Exception {
        JsonNode answer = ask(DemoLanguageModel.ACTIONS_SCHEMA, "reconcile",
                "{\"existing_memories\": [{\"id\": \"0\", \"text\": \"Is a vegetarian\", \"immutable\": false},"
                        + " {\"id\": \"1\", \"text\": \"Is allergic to nuts\", \"immutable\": false}],"
                        + " \"new_facts\": [\"Is a vegetarian.\", \"Is allergic to nuts and shellfish\", \"Loves sushi\"]}");

        assertThat(answer.path("memory").toString()).isEqualTo(
                "[{\"id\":\"0\",\"text\":\"Is a vegetarian\",\"event\":\"NONE\"},"
                        + "{\"id\":\"1\",\"text\":\"Is allergic to nuts and shellfish\",\"event\":\"UPDATE\","
                        + "\"old_memory\":\"Is allergic to nuts\"},"
                        + "{\"id\":\"2\",\"text\":\"Loves sushi\",\"event\":\"ADD\"}]");
    }

    @Test
    void reconcile_never_proposes_changes_to_immutable_memories_and_leaves_unrelated_ones_out() throws Exception {
        JsonNode answer = ask(DemoLanguageModel.ACTIONS_SCHEMA, "reconcile",
                "{\"existing_memories\": [{\"id\": \"0\", \"text\": \"Is allergic to nuts\", \"immutable\": true}],"
                        + " \"new_facts\": [\"Is allergic to nuts and shellfish\"]}");

        assertThat(answer.path("memory").toString())
                .isEqualTo("[{\"id\":\"1\",\"text\":\"Is allergic to nuts and shellfish\",\"event\":\"ADD\"}]");
    }

    @Test
    void no_longer_and_forget_requests_delete() throws Exception {
        JsonNode facts = ask(DemoLanguageModel.FACTS_SCHEMA, "facts about the user",
                "user: Please delete all of my food preferences. I'm no longer a vegetarian.");
        assertThat(facts(facts)).containsExactly("Wants to forget: food preferences", "Is no longer a vegetarian");

        JsonNode answer = ask(DemoLanguageModel.ACTIONS_SCHEMA, "reconcile",
                "{\"existing_memories\": [{\"id\": \"0\", \"text\": \"Loves sushi\", \"immutable\": false},"
                        + " {\"id\": \"1\", \"text\": \"Is a vegetarian\", \"immutable\": false},"
                        + " {\"id\": \"2\", \"text\": \"Lives in Osaka\", \"immutable\": false}],"
                        + " \"new_facts\": [\"Is no longer a vegetarian\"]}");
        assertThat(answer.path("memory").toString())
                .isEqualTo("[{\"id\":\"1\",\"text\":\"Is a vegetarian\",\"event\":\"DELETE\"}]");

        JsonNode forget = ask(DemoLanguageModel.ACTIONS_SCHEMA, "reconcile",
                "{\"existing_memories\": [{\"id\": \"0\", \"text\": \"Loves sushi\", \"immutable\": false},"
                        + " {\"id\": \"1\", \"text\": \"Lives in Osaka\", \"immutable\": false}],"
                        + " \"new_facts\": [\"Wants to forget: food preferences\"]}");
        assertThat(forget.path("memory").toString())
                .isEqualTo("[{\"id\":\"0\",\"text\":\"Loves sushi\",\"event\":\"DELETE\"}]");
    }

    @Test
    void without_a_schema_the_call_kind_comes_from_the_input() throws Exception {
        ChatRequest request = new ChatRequest(List.of(Message.user(
                "{\"existing_memories\": [], \"new_facts\": [\"Loves sushi\"]}")), ResponseFormat.JSON_OBJECT, List.of(),
                null, null);
        assertThat(JSON.readTree(model.chat(request).content()).at("/memory/0/event").asText()).isEqualTo("ADD");
    }

    @Test
    void procedures_are_summarised_as_task_and_steps() throws Exception {
        JsonNode answer = ask(DemoLanguageModel.PROCEDURE_SCHEMA, "summarise",
                "user: Book me a table for two.\nassistant: Searched restaurants near you.\nassistant: Booked Chez Anna at 8 pm.");

        assertThat(answer.path("summary").asText()).startsWith("Task: Book me a table for two.")
                .contains("1. Searched restaurants near you.", "2. Booked Chez Anna at 8 pm.");
    }

    @Test
    void a_reconcile_input_that_is_not_json_is_an_llm_error() {
        assertThatThrownBy(() -> ask(DemoLanguageModel.ACTIONS_SCHEMA, "reconcile", "not json"))
                .isInstanceOf(LlmException.class);
        assertThat(model.calls()).isEqualTo(1);
    }
}
