package dev.memlayer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.api.graph.ExtractedEntity;
import dev.memlayer.api.graph.GraphContext;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.core.DefaultLlmExtractorTest.ScriptedModel;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultGraphExtractorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GraphContext ALICE = GraphContext.of(Scope.user("alice"), LocalDate.parse("2025-03-10"));

    private static String last(ChatRequest r) {
        assertThat(r.messages().get(r.messages().size() - 1).role()).isEqualTo(Role.USER);
        return r.messages().get(r.messages().size() - 1).content();
    }

    private static String system(ChatRequest r) {
        assertThat(r.messages().get(0).role()).isEqualTo(Role.SYSTEM);
        return r.messages().get(0).content();
    }

    @Test
    void entities_call_sends_the_text_and_names_the_speaker() {
        ScriptedModel model = new ScriptedModel(true,
                "{\"entities\": [{\"entity\": \"alice\", \"entity_type\": \"person\"}, {\"entity\": \"Rex\", \"entity_type\": \"animal\"}]}");

        List<ExtractedEntity> entities = new DefaultGraphExtractor(model).extractEntities("user: My dog is Rex", ALICE);

        assertThat(entities).containsExactly(new ExtractedEntity("alice", "person"), new ExtractedEntity("Rex", "animal"));
        ChatRequest r = model.last();
        assertThat(last(r)).isEqualTo("user: My dog is Rex");
        assertThat(system(r)).contains("The speaker is \"alice\"").contains("\"entity_type\"");
        assertThat(r.responseFormat()).isInstanceOfSatisfying(ResponseFormat.JsonSchema.class, s -> {
            assertThat(s.name()).isEqualTo("memlayer_graph_entities");
            assertThat(s.strict()).isTrue();
        });
        assertThat(r.temperature()).isEqualTo(0.0);
    }

    @Test
    void entities_are_read_tolerantly() {
        ScriptedModel model = new ScriptedModel(false,
                "<think>hmm</think>```json\n{\"entities\": [\"Paris\", {\"name\": \"Bob\", \"type\": \"person\"}, 42, {}]}\n```");

        List<ExtractedEntity> entities = new DefaultGraphExtractor(model).extractEntities("user: Bob is in Paris", ALICE);

        // a number and an empty object are skipped (logged), not fatal
        assertThat(entities).containsExactly(new ExtractedEntity("Paris", null), new ExtractedEntity("Bob", "person"));
        assertThat(model.last().responseFormat()).isEqualTo(ResponseFormat.JSON_OBJECT);
    }

    @Test
    void relations_call_sends_entities_and_text_as_json() throws Exception {
        ScriptedModel model = new ScriptedModel(true, "{\"relations\": [{\"source\": \"alice\", \"relationship\": \"owns\","
                + " \"destination\": \"rex\"}, {\"source\": \"alice\", \"relationship\": \"\", \"destination\": \"x\"}]}");

        List<Relation> relations = new DefaultGraphExtractor(model).establishRelations("user: My dog is Rex",
                List.of(new ExtractedEntity("alice", "person"), new ExtractedEntity("rex", null)), ALICE);

        assertThat(relations).containsExactly(new Relation("alice", "owns", "rex"));
        JsonNode input = JSON.readTree(last(model.last()));
        assertThat(input.path("entities").get(1).path("entity_type").asText()).isEqualTo("unknown");
        assertThat(input.path("text").asText()).isEqualTo("user: My dog is Rex");
        assertThat(((ResponseFormat.JsonSchema) model.last().responseFormat()).name()).isEqualTo("memlayer_graph_relations");
    }

    @Test
    void mem0s_tool_shape_for_relations_is_accepted() {
        ScriptedModel model = new ScriptedModel(false,
                "{\"entities\": [{\"source\": \"bob\", \"relationship\": \"owns\", \"destination\": \"rex\"}]}");

        assertThat(new DefaultGraphExtractor(model).establishRelations("t", List.of(), ALICE))
                .containsExactly(new Relation("bob", "owns", "rex"));
    }

    @Test
    void outdated_call_shows_existing_and_new_relations() throws Exception {
        ScriptedModel model = new ScriptedModel(true,
                "{\"outdated\": [{\"source\": \"alice\", \"relationship\": \"owns\", \"destination\": \"rex\"}]}");

        List<Relation> outdated = new DefaultGraphExtractor(model).findOutdated(
                List.of(new Relation("alice", "owns", "rex")), List.of(new Relation("bob", "owns", "rex")),
                "user: Alice gave Rex to Bob", ALICE);

        assertThat(outdated).containsExactly(new Relation("alice", "owns", "rex"));
        JsonNode input = JSON.readTree(last(model.last()));
        assertThat(input.path("existing_relations").get(0).path("source").asText()).isEqualTo("alice");
        assertThat(input.path("new_relations").get(0).path("source").asText()).isEqualTo("bob");
        assertThat(((ResponseFormat.JsonSchema) model.last().responseFormat()).name()).isEqualTo("memlayer_graph_outdated");
    }

    @Test
    void an_answer_without_the_expected_list_is_an_llm_exception() {
        assertThatThrownBy(() -> new DefaultGraphExtractor(new ScriptedModel(true, "{\"nodes_maybe\": 1}"))
                .findOutdated(List.of(), List.of(), "t", ALICE)).isInstanceOf(LlmException.class);
        assertThatThrownBy(() -> new DefaultGraphExtractor(new ScriptedModel(true, "not json at all"))
                .extractEntities("t", ALICE)).isInstanceOf(LlmException.class);
        assertThatThrownBy(() -> new DefaultGraphExtractor(new ScriptedModel(true, " "))
                .extractEntities("t", ALICE)).isInstanceOf(LlmException.class);
    }
}
