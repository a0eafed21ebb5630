package dev.memlayer.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.GraphChanges;
import dev.memlayer.api.HistoryEntry;
import dev.memlayer.api.MemoryEvent;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.Page;
import dev.memlayer.api.Relation;
import dev.memlayer.api.SearchResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Mem0's JSON wire shapes (SPEC §7), for a REST layer, the CLI and tests — the one result
 * formatter. Every method returns a fresh Jackson tree; {@link #toJson} and {@link #toPrettyJson}
 * render it. Instants are ISO-8601 in UTC ({@code 2024-07-20T10:15:30Z}, with fractional seconds when
 * present); dates are {@code yyyy-MM-dd}.
 *
 * <ul>
 *   <li>memory item: {@code {"id", "memory", "hash", "metadata", "categories", "score"?,
 *       "created_at", "updated_at", "user_id"?, "agent_id"?, "run_id"?, "actor_id"?, "role"?,
 *       "memory_type"?, "immutable"?, "expiration_date"?}} — reserved keys at the top level, caller
 *       metadata inside {@code metadata} ({@code null} when empty); optional keys only when set
 *       ({@code immutable} only when true);</li>
 *   <li>add result (Mem0 output format v1.1): {@code {"results": [{"id", "memory", "event",
 *       "previous_memory"?}], "relations"?: {"added_entities": [...], "deleted_entities": [...]}}};</li>
 *   <li>search result: {@code {"results": [items with score], "relations"?: [{"source",
 *       "relationship", "destination"}]}} ({@code relations} only when graph memory returned any);</li>
 *   <li>history row: {@code {"id", "memory_id", "old_memory", "new_memory", "event", "created_at",
 *       "updated_at", "is_deleted", "actor_id", "role"}} (every key, null when absent);</li>
 *   <li>paged list: {@code {"count", "next", "previous", "results"}}, where next/previous are page
 *       numbers (or URLs when a base URL is given), or null.</li>
 * </ul>
 *
 * Thread-safe and stateless.
 */
public final class Mem0Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final ObjectMapper COMPACT = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Mem0Json() {
    }

    /** @return the memory item shape (score only when the item has one) */
    public static ObjectNode memoryItem(MemoryItem item) {
        ObjectNode n = NODES.objectNode();
        n.put("id", item.id());
        n.put("memory", item.memory());
        n.put("hash", item.hash());
        n.set("metadata", item.metadata().isEmpty() ? NODES.nullNode() : value(item.metadata()));
        ArrayNode categories = n.putArray("categories");
        item.categories().forEach(categories::add);
        if (item.score() != null) {
            n.put("score", item.score());
        }
        n.put("created_at", instant(item.createdAt()));
        n.put("updated_at", instant(item.updatedAt()));
        putIfSet(n, "user_id", item.userId());
        putIfSet(n, "agent_id", item.agentId());
        putIfSet(n, "run_id", item.runId());
        putIfSet(n, "actor_id", item.actorId());
        putIfSet(n, "role", item.role() == null ? null : item.role().wireName());
        putIfSet(n, "memory_type", item.memoryType() == null ? null : item.memoryType().wireName());
        if (item.immutable()) {
            n.put("immutable", true);
        }
        putIfSet(n, "expiration_date", item.expirationDate() == null ? null : item.expirationDate().toString());
        return n;
    }

    /** @return an array of memory items */
    public static ArrayNode memoryItems(List<MemoryItem> items) {
        ArrayNode a = NODES.arrayNode();
        items.forEach(i -> a.add(memoryItem(i)));
        return a;
    }

    /** @return {@code {"id", "memory", "event", "previous_memory"?}} */
    public static ObjectNode memoryEvent(MemoryEvent event) {
        ObjectNode n = NODES.objectNode();
        n.put("id", event.id());
        n.put("memory", event.memory());
        n.put("event", event.event().name());
        if (event.previousMemory() != null) {
            n.put("previous_memory", event.previousMemory());
        }
        return n;
    }

    /** @return {@code {"results": [...], "relations"?: {...}}}; relations only when graph memory is on */
    public static ObjectNode addResult(AddResult result) {
        ObjectNode n = NODES.objectNode();
        ArrayNode results = n.putArray("results");
        result.results().forEach(e -> results.add(memoryEvent(e)));
        if (result.relations() != null) {
            n.set("relations", graphChanges(result.relations()));
        }
        return n;
    }

    /** @return {@code {"added_entities": [...], "deleted_entities": [...]}} */
    public static ObjectNode graphChanges(GraphChanges changes) {
        ObjectNode n = NODES.objectNode();
        n.set("added_entities", relations(changes.added()));
        n.set("deleted_entities", relations(changes.deleted()));
        return n;
    }

    /** @return {@code {"source", "relationship", "destination"}} */
    public static ObjectNode relation(Relation relation) {
        ObjectNode n = NODES.objectNode();
        n.put("source", relation.source());
        n.put("relationship", relation.relationship());
        n.put("destination", relation.destination());
        return n;
    }

    /** @return an array of relations */
    public static ArrayNode relations(List<Relation> relations) {
        ArrayNode a = NODES.arrayNode();
        relations.forEach(r -> a.add(relation(r)));
        return a;
    }

    /** @return {@code {"results": [items with score], "relations"?: [...]}} */
    public static ObjectNode searchResult(SearchResult result) {
        ObjectNode n = NODES.objectNode();
        n.set("results", memoryItems(result.results()));
        if (!result.relations().isEmpty()) {
            n.set("relations", relations(result.relations()));
        }
        return n;
    }

    /** @return one history row, every key present (null when absent) */
    public static ObjectNode historyEntry(HistoryEntry entry) {
        ObjectNode n = NODES.objectNode();
        n.put("id", entry.id());
        n.put("memory_id", entry.memoryId());
        n.put("old_memory", entry.oldMemory());
        n.put("new_memory", entry.newMemory());
        n.put("event", entry.event().name());
        n.put("created_at", instant(entry.createdAt()));
        n.put("updated_at", instant(entry.updatedAt()));
        n.put("is_deleted", entry.isDeleted());
        n.put("actor_id", entry.actorId());
        n.put("role", entry.role() == null ? null : entry.role().wireName());
        return n;
    }

    /** @return an array of history rows, in the given order */
    public static ArrayNode history(List<HistoryEntry> entries) {
        ArrayNode a = NODES.arrayNode();
        entries.forEach(e -> a.add(historyEntry(e)));
        return a;
    }

    /**
     * @return {@code {"count", "next", "previous", "results"}} with next/previous as page numbers or
     *         null
     */
    public static ObjectNode page(Page<MemoryItem> page) {
        return page(page, null);
    }

    /**
     * @param page    the page
     * @param baseUrl the listing's URL without paging parameters, or null for page numbers
     * @return {@code {"count", "next", "previous", "results"}}; with a base URL, next/previous are
     *         {@code baseUrl?page=N&page_size=M} (or {@code &page=...} when the URL has a query)
     */
    public static ObjectNode page(Page<MemoryItem> page, String baseUrl) {
        ObjectNode n = NODES.objectNode();
        n.put("count", page.count());
        n.set("next", pageLink(page.hasNext() ? page.page() + 1 : null, page.pageSize(), baseUrl));
        n.set("previous", pageLink(page.hasPrevious() ? page.page() - 1 : null, page.pageSize(), baseUrl));
        n.set("results", memoryItems(page.results()));
        return n;
    }

    /**
     * Mem0's {@code get_all} with graph memory: {@code {"count", "next", "previous", "results",
     * "relations"}}.
     *
     * @param page      the page of memories
     * @param baseUrl   the listing's URL, or null for page numbers (as {@link #page(Page, String)})
     * @param relations the scope's relations ({@code Memory.relations(scope)})
     */
    public static ObjectNode page(Page<MemoryItem> page, String baseUrl, List<Relation> relations) {
        ObjectNode n = page(page, baseUrl);
        n.set("relations", relations(relations));
        return n;
    }

    /** @return {@code {"id", "name", "type", "total_memories", "created_at", "updated_at"}} (Mem0 users()) */
    public static ObjectNode entity(EntitySummary entity) {
        ObjectNode n = NODES.objectNode();
        n.put("id", entity.id());
        n.put("name", entity.id());
        n.put("type", entity.type().wireName());
        n.put("total_memories", entity.totalMemories());
        n.put("created_at", instant(entity.createdAt()));
        n.put("updated_at", instant(entity.updatedAt()));
        return n;
    }

    /** @return {@code {"results": [entities]}} */
    public static ObjectNode entities(List<EntitySummary> entities) {
        ObjectNode n = NODES.objectNode();
        ArrayNode a = n.putArray("results");
        entities.forEach(e -> a.add(entity(e)));
        return n;
    }

    /** @return the JSON text, indented (two spaces), for humans */
    public static String toPrettyJson(JsonNode node) {
        return write(MAPPER, node);
    }

    /** @return the JSON text on one line */
    public static String toJson(JsonNode node) {
        return write(COMPACT, node);
    }

    /**
     * Converts a JSON-like Java value (String, Number, Boolean, null, List, Map) to a tree.
     *
     * @throws IllegalArgumentException for a value that is not JSON-like
     */
    public static JsonNode value(Object value) {
        return COMPACT.valueToTree(value);
    }

    /**
     * Converts a JSON tree to JSON-like Java values: objects to {@code LinkedHashMap}, arrays to
     * {@code ArrayList}, integers to {@link Long} (beyond long range: {@link java.math.BigDecimal}),
     * decimals to {@link Double}.
     */
    public static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), toJava(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new java.util.ArrayList<>(node.size());
            node.forEach(item -> list.add(toJava(item)));
            return list;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : new java.math.BigDecimal(node.bigIntegerValue());
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }

    /** @return the ISO-8601 UTC form of an instant, or null */
    public static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static JsonNode pageLink(Integer pageNumber, int pageSize, String baseUrl) {
        if (pageNumber == null) {
            return NODES.nullNode();
        }
        if (baseUrl == null) {
            return NODES.numberNode(pageNumber);
        }
        String sep = baseUrl.contains("?") ? "&" : "?";
        return NODES.textNode(baseUrl + sep + "page=" + pageNumber + "&page_size=" + pageSize);
    }

    private static void putIfSet(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, value);
        }
    }

    private static String write(ObjectMapper mapper, JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON tree", e);
        }
    }
}
