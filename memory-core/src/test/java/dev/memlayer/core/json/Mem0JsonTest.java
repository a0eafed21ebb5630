package dev.memlayer.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.EntityType;
import dev.memlayer.api.EventType;
import dev.memlayer.api.GraphChanges;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.MemoryEvent;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Page;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Role;
import dev.memlayer.api.SearchResult;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Mem0JsonTest {

    private static final Instant T0 = Instant.parse("2024-07-20T10:15:30Z");
    private static final Instant T1 = Instant.parse("2024-07-21T08:00:00.123Z");

    private static MemoryItem plain() {
        return new MemoryItem("id-1", "Is vegetarian", "hash", Map.of(), List.of("food"), null, T0, T1, "alex", null,
                null, null, null, null, false, null);
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void memory_item_has_reserved_keys_top_level_and_null_metadata_when_empty() {
        ObjectNode n = Mem0Json.memoryItem(plain());
        assertThat(keys(n)).containsExactly("id", "memory", "hash", "metadata", "categories", "created_at", "updated_at",
                "user_id");
        assertThat(n.get("metadata").isNull()).isTrue();
        assertThat(n.get("created_at").asText()).isEqualTo("2024-07-20T10:15:30Z");
        assertThat(n.get("updated_at").asText()).isEqualTo("2024-07-21T08:00:00.123Z");
        assertThat(n.get("categories").get(0).asText()).isEqualTo("food");
    }

    @Test
    void memory_item_has_score_only_when_present_and_optional_fields_only_when_set() {
        MemoryItem item = new MemoryItem("id-1", "Summary", "h", Map.of("food", "vegan", "n", 3L,
                "nested", Map.of("a", List.of(1L, 2L))), List.of(), 0.875, T0, T0, "alex", "agent-1", "run-1",
                "Alex", Role.USER, MemoryType.PROCEDURAL, true, LocalDate.parse("2025-01-01"));
        ObjectNode n = Mem0Json.memoryItem(item);
        assertThat(n.get("score").asDouble()).isEqualTo(0.875);
        assertThat(n.get("metadata").get("food").asText()).isEqualTo("vegan");
        assertThat(n.get("metadata").get("n").asLong()).isEqualTo(3);
        assertThat(n.get("metadata").get("nested").get("a").get(1).asLong()).isEqualTo(2);
        assertThat(n.get("agent_id").asText()).isEqualTo("agent-1");
        assertThat(n.get("run_id").asText()).isEqualTo("run-1");
        assertThat(n.get("actor_id").asText()).isEqualTo("Alex");
        assertThat(n.get("role").asText()).isEqualTo("user");
        assertThat(n.get("memory_type").asText()).isEqualTo("procedural_memory");
        assertThat(n.get("immutable").asBoolean()).isTrue();
        assertThat(n.get("expiration_date").asText()).isEqualTo("2025-01-01");
        assertThat(Mem0Json.memoryItem(plain()).has("score")).isFalse();
        assertThat(Mem0Json.memoryItem(plain()).has("immutable")).isFalse();
    }

    @Test
    void add_result_is_results_with_previous_memory_only_for_updates() {
        AddResult r = new AddResult(List.of(new MemoryEvent("a", "Likes tea", EventType.ADD, null),
                new MemoryEvent("b", "Lives in Berlin", EventType.UPDATE, "Lives in Paris")), null, List.of("note"));
        ObjectNode n = Mem0Json.addResult(r);
        assertThat(keys(n)).containsExactly("results");
        assertThat(keys(n.get("results").get(0))).containsExactly("id", "memory", "event");
        assertThat(n.get("results").get(1).get("event").asText()).isEqualTo("UPDATE");
        assertThat(n.get("results").get(1).get("previous_memory").asText()).isEqualTo("Lives in Paris");
    }

    @Test
    void add_result_has_relations_when_graph_memory_is_on() {
        AddResult r = new AddResult(List.of(), new GraphChanges(List.of(new Relation("alice", "owns", "rex")), List.of()),
                List.of());
        ObjectNode n = Mem0Json.addResult(r);
        assertThat(n.get("relations").get("added_entities").get(0).get("relationship").asText()).isEqualTo("owns");
        assertThat(n.get("relations").get("deleted_entities").isArray()).isTrue();
    }

    @Test
    void search_result_has_scored_results_and_relations_only_when_any() {
        SearchResult plainResult = new SearchResult(List.of(plain().withScore(0.5)), List.of());
        assertThat(keys(Mem0Json.searchResult(plainResult))).containsExactly("results");
        assertThat(Mem0Json.searchResult(plainResult).get("results").get(0).get("score").asDouble()).isEqualTo(0.5);
        SearchResult withGraph = new SearchResult(List.of(), List.of(new Relation("a", "knows", "b")));
        assertThat(Mem0Json.searchResult(withGraph).get("relations").get(0).get("destination").asText()).isEqualTo("b");
    }

    @Test
    void history_row_has_every_field() {
        HistoryEntry e = new HistoryEntry("h1", "m1", "old", null, EventType.DELETE, T0, T1, true, null, Role.ASSISTANT);
        ObjectNode n = Mem0Json.historyEntry(e);
        assertThat(keys(n)).containsExactly("id", "memory_id", "old_memory", "new_memory", "event", "created_at",
                "updated_at", "is_deleted", "actor_id", "role");
        assertThat(n.get("new_memory").isNull()).isTrue();
        assertThat(n.get("is_deleted").asBoolean()).isTrue();
        assertThat(n.get("role").asText()).isEqualTo("assistant");
        assertThat(Mem0Json.history(List.of(e, e))).hasSize(2);
    }

    @Test
    void paged_list_has_page_numbers_or_null() {
        Page<MemoryItem> middle = new Page<>(250, 2, 100, List.of(plain()));
        ObjectNode n = Mem0Json.page(middle);
        assertThat(keys(n)).containsExactly("count", "next", "previous", "results");
        assertThat(n.get("count").asLong()).isEqualTo(250);
        assertThat(n.get("next").asInt()).isEqualTo(3);
        assertThat(n.get("previous").asInt()).isEqualTo(1);
        ObjectNode only = Mem0Json.page(new Page<>(1, 1, 100, List.of(plain())));
        assertThat(only.get("next").isNull()).isTrue();
        assertThat(only.get("previous").isNull()).isTrue();
    }

    @Test
    void paged_list_with_base_url_links_pages() {
        Page<MemoryItem> middle = new Page<>(250, 2, 100, List.of());
        ObjectNode n = Mem0Json.page(middle, "http://localhost:8080/v1/memories/?user_id=alex");
        assertThat(n.get("next").asText()).isEqualTo("http://localhost:8080/v1/memories/?user_id=alex&page=3&page_size=100");
        assertThat(Mem0Json.page(middle, "/v1/memories/").get("previous").asText()).isEqualTo("/v1/memories/?page=1&page_size=100");
    }

    @Test
    void entities_are_listed_under_results() {
        ObjectNode n = Mem0Json.entities(List.of(new EntitySummary(EntityType.USER, "alex", 3, T0, T1)));
        JsonNode e = n.get("results").get(0);
        assertThat(e.get("type").asText()).isEqualTo("user");
        assertThat(e.get("name").asText()).isEqualTo("alex");
        assertThat(e.get("total_memories").asLong()).isEqualTo(3);
    }

    @Test
    void to_java_turns_numbers_into_long_and_double() {
        JsonNode n = Mem0Json.value(Map.of("a", 1, "b", 2.5, "c", List.of("x")));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) Mem0Json.toJava(n);
        assertThat(m).containsEntry("a", 1L).containsEntry("b", 2.5d).containsEntry("c", List.of("x"));
    }

    @Test
    void pretty_and_compact_rendering() {
        ObjectNode n = Mem0Json.memoryItem(plain());
        assertThat(Mem0Json.toPrettyJson(n)).contains("\n  \"id\" : \"id-1\"");
        assertThat(Mem0Json.toJson(n)).doesNotContain("\n").startsWith("{\"id\":\"id-1\"");
    }
}
