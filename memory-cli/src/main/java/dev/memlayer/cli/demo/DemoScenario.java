package dev.memlayer.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.AddRequest;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.BatchResult;
import dev.memlayer.api.EventType;
import dev.memlayer.api.GetAllRequest;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryEvent;
import dev.memlayer.api.MemoryException;
import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.MemoryUpdate;
import dev.memlayer.api.Message;
import dev.memlayer.api.Page;
import dev.memlayer.api.Scope;
import dev.memlayer.api.SearchRequest;
import dev.memlayer.api.ValidationException;
import dev.memlayer.core.json.FilterJsonParser;
import dev.memlayer.core.json.Mem0Json;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The seed scenario of {@code memlayer demo}: Alex (vegetarian, allergic to nuts) remembered for
 * {@code user_id=alex}; a Japan-trip session with a {@code run_id}; an AI tutor's own memory with
 * an {@code agent_id}; facts imported verbatim ({@code infer=false}) with metadata, categories and
 * timestamps; a search for dinner ideas; paged {@code getAll}; a metadata filter and Mem0 v2 JSON
 * filters (AND/OR, {@code in}, a date range, categories); a correction the LLM reconciles into an
 * UPDATE; a direct update and its history; an immutable memory refusing an update; all-or-nothing
 * batch update and delete; entities; {@code deleteAll}; {@code reset}.
 *
 * <p>Each step prints its number and title, the call it makes, and the result in Mem0's JSON shape
 * ({@link Mem0Json}); errors the scenario provokes on purpose print as
 * {@code {"error": <exception>, "code"?: <ErrorCode>, "message": ...}}. The steps are also returned,
 * so that callers (and tests) can check what happened.
 */
public final class DemoScenario {

    /** The user of the scenario. */
    public static final String USER = "alex";
    /** The trip-planning session. */
    public static final String RUN = "japan-trip-2025";
    /** The tutoring agent. */
    public static final String AGENT = "ai-tutor";
    /** The search of step 5. */
    public static final String DINNER_QUERY = "What should I cook for dinner today?";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int STEPS = 17;

    private final Memory memory;
    private final PrintWriter out;
    private final List<Step> steps = new ArrayList<>();
    private Step current;

    /**
     * One step as it was played.
     *
     * @param number  from 1
     * @param title   what the step shows
     * @param calls   the calls made, in a readable pseudo-syntax, one per result
     * @param results the results in Mem0's JSON shapes (or error objects), one per call
     */
    public record Step(int number, String title, List<String> calls, List<JsonNode> results) {
        /** @return the last result of the step */
        public JsonNode lastResult() {
            return results.get(results.size() - 1);
        }
    }

    /**
     * @param memory an empty memory with a language model; the scenario does not close it
     * @param out    where to print
     */
    public DemoScenario(Memory memory, PrintWriter out) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Plays every step, printing as it goes.
     *
     * @return the steps, in order
     * @throws MemoryException when an operation fails that the scenario expects to succeed
     */
    public List<Step> run() {
        Scope alex = Scope.user(USER);
        Scope trip = alex.withRun(RUN);
        Scope tutor = Scope.agent(AGENT);

        step("Remember Alex (user_id=alex): the LLM extracts facts from what the user said");
        AddResult intro = call("memory.add([user: \"Hi, I'm Alex. I'm a vegetarian and I'm allergic to nuts.\", "
                        + "assistant: \"...\"], user_id=\"alex\")",
                () -> memory.add(AddRequest.builder()
                        .user("Hi, I'm Alex. I'm a vegetarian and I'm allergic to nuts.")
                        .assistant("Nice to meet you, Alex! I'll keep that in mind when I suggest recipes.")
                        .scope(alex)
                        .build()), Mem0Json::addResult);

        step("A trip-planning session (user_id=alex, run_id=" + RUN + "): short-term memory");
        call("memory.add([user: \"I'm planning a trip to Japan in April. ...\", assistant: \"...\"], "
                        + "user_id=\"alex\", run_id=\"" + RUN + "\")",
                () -> memory.add(AddRequest.builder()
                        .user("I'm planning a trip to Japan in April. I want to see Tokyo and Kyoto, and I love quiet temples.")
                        .assistant("April is cherry-blossom season, a lovely time for Kyoto's temples.")
                        .scope(trip)
                        .build()), Mem0Json::addResult);

        step("An AI tutor remembers how it teaches (agent_id=" + AGENT + "): facts from the assistant's messages");
        call("memory.add([user: \"Can you help me practise Spanish?\", assistant: \"Of course! I'm an AI tutor ...\"], "
                        + "agent_id=\"" + AGENT + "\")",
                () -> memory.add(AddRequest.builder()
                        .user("Can you help me practise Spanish?")
                        .assistant("Of course! I'm an AI tutor for Spanish and French. I explain grammar with short"
                                + " examples and I quiz you at the end of each lesson.")
                        .scope(tutor)
                        .build()), Mem0Json::addResult);

        step("Import known facts verbatim (infer=false) with metadata, categories and timestamps");
        List<AddResult> imports = new ArrayList<>();
        imports.add(call("memory.add(\"Prefers a window seat on long flights\", user_id=\"alex\", "
                        + "agent_id=\"travel-assistant\", infer=false, metadata={source: travel-booking, priority: 1}, "
                        + "categories=[travel], timestamp=2024-07-05T09:00:00Z)",
                () -> memory.add(verbatim("Prefers a window seat on long flights", alex.withAgent("travel-assistant"),
                        ordered("source", "travel-booking", "priority", 1), List.of("travel"),
                        "2024-07-05T09:00:00Z")), Mem0Json::addResult));
        imports.add(call("memory.add(\"Asked for a nut-free vegetarian meal on the flight\", user_id=\"alex\", "
                        + "agent_id=\"customer-support\", infer=false, metadata={source: support-ticket, priority: 2}, "
                        + "categories=[food_preferences, health], timestamp=2024-07-20T15:30:00Z)",
                () -> memory.add(verbatim("Asked for a nut-free vegetarian meal on the flight",
                        alex.withAgent("customer-support"), ordered("source", "support-ticket", "priority", 2),
                        List.of("food_preferences", "health"), "2024-07-20T15:30:00Z")), Mem0Json::addResult));
        imports.add(call("memory.add(\"Cooks dinner at home most weekdays\", user_id=\"alex\", infer=false, "
                        + "metadata={source: onboarding, priority: 3}, categories=[food_preferences], "
                        + "timestamp=2024-06-15T18:00:00Z)",
                () -> memory.add(verbatim("Cooks dinner at home most weekdays", alex,
                        ordered("source", "onboarding", "priority", 3), List.of("food_preferences"),
                        "2024-06-15T18:00:00Z")), Mem0Json::addResult));

        step("Search Alex's memories: \"" + DINNER_QUERY + "\"");
        call("memory.search(\"" + DINNER_QUERY + "\", user_id=\"alex\", limit=3)",
                () -> memory.search(SearchRequest.builder(DINNER_QUERY).scope(alex).limit(3).build()),
                Mem0Json::searchResult);

        step("getAll, page by page (user_id=alex, page_size=3, newest first)");
        call("memory.getAll(user_id=\"alex\", page=1, page_size=3)",
                () -> memory.getAll(GetAllRequest.of(alex, null, 1, 3)), Mem0Json::page);
        call("memory.getAll(user_id=\"alex\", page=2, page_size=3)",
                () -> memory.getAll(GetAllRequest.of(alex, null, 2, 3)), Mem0Json::page);

        String metadataFilter = "{\"source\": \"onboarding\"}";
        step("A metadata filter: " + metadataFilter);
        call("memory.getAll(user_id=\"alex\", filters=" + metadataFilter + ")",
                () -> memory.getAll(GetAllRequest.of(alex, FilterJsonParser.parse(metadataFilter), 1, 100)),
                Mem0Json::page);

        String v2Filter = "{\"AND\": [{\"user_id\": \"alex\"},"
                + " {\"created_at\": {\"gte\": \"2024-07-01\", \"lte\": \"2024-07-31\"}},"
                + " {\"OR\": [{\"agent_id\": {\"in\": [\"travel-assistant\", \"customer-support\"]}},"
                + " {\"categories\": {\"contains\": \"food_preferences\"}}]}]}";
        step("Mem0 v2 filters: AND / OR, in, a created_at range (July 2024) and categories");
        call("memory.getAll(filters=" + v2Filter + ")",
                () -> memory.getAll(GetAllRequest.of(Scope.none(), FilterJsonParser.parse(v2Filter), 1, 100)),
                Mem0Json::page);

        String searchFilter = "{\"AND\": [{\"user_id\": \"alex\"},"
                + " {\"OR\": [{\"categories\": {\"contains\": \"health\"}}, {\"priority\": {\"gte\": 2}}]}]}";
        step("Search with a v2 filter: health facts or priority >= 2");
        call("memory.search(\"Any dietary needs for the flight?\", filters=" + searchFilter + ", limit=5)",
                () -> memory.search(SearchRequest.builder("Any dietary needs for the flight?")
                        .filter(FilterJsonParser.parse(searchFilter)).limit(5).build()),
                Mem0Json::searchResult);

        step("Alex corrects a fact: the LLM reconciles it with what memlayer knows (UPDATE)");
        call("memory.add(\"Actually, I'm allergic to nuts and shellfish.\", user_id=\"alex\")",
                () -> memory.add("Actually, I'm allergic to nuts and shellfish.", alex), Mem0Json::addResult);

        String vegetarianId = idOf(intro, "vegetarian", alex);
        step("Update a memory directly (text and metadata), then read its history");
        call("memory.update(\"" + vegetarianId + "\", text=\"Is a vegetarian who eats eggs and dairy\", "
                        + "metadata={confirmed: true})",
                () -> memory.update(new MemoryUpdate(vegetarianId, "Is a vegetarian who eats eggs and dairy",
                        Map.of("confirmed", true), null)), Mem0Json::memoryItem);
        call("memory.history(\"" + vegetarianId + "\")", () -> memory.history(vegetarianId), Mem0Json::history);

        step("Immutable memories refuse updates (delete and re-add instead)");
        AddResult birthday = call("memory.add(\"Date of birth: 1990-04-12\", user_id=\"alex\", infer=false, "
                        + "immutable=true, metadata={source: kyc})",
                () -> memory.add(AddRequest.builder()
                        .message(Message.user("Date of birth: 1990-04-12"))
                        .scope(alex).infer(false).immutable(true)
                        .metadata("source", "kyc")
                        .build()), Mem0Json::addResult);
        String birthdayId = firstId(birthday);
        expectFailure("memory.update(\"" + birthdayId + "\", text=\"Date of birth: 1991-04-12\")",
                () -> memory.update(birthdayId, "Date of birth: 1991-04-12"));

        List<String> tripIds = memory.getAll(GetAllRequest.of(trip, null, 1, 100)).results().stream()
                .map(MemoryItem::id).toList();
        step("Batch update, all or nothing: a batch naming the immutable memory changes nothing; a valid one succeeds");
        List<MemoryUpdate> badBatch = new ArrayList<>();
        tripIds.forEach(id -> badBatch.add(new MemoryUpdate(id, null, Map.of("reviewed", true), null)));
        badBatch.add(new MemoryUpdate(birthdayId, "Date of birth: 1991-04-12", null, null));
        expectFailure("memory.batchUpdate([" + tripIds.size() + " session memories + the immutable one])",
                () -> memory.batchUpdate(badBatch));
        List<MemoryUpdate> goodBatch = badBatch.subList(0, tripIds.size());
        call("memory.batchUpdate([" + tripIds.size() + " session memories: metadata={reviewed: true}])",
                () -> memory.batchUpdate(goodBatch), r -> batchMessage("updated", r));

        List<String> importIds = imports.stream().map(DemoScenario::firstId).limit(2).toList();
        step("Batch delete (all or nothing): the two imported travel facts");
        call("memory.batchDelete(" + importIds + ")", () -> memory.batchDelete(importIds),
                r -> batchMessage("deleted", r));

        step("Who has memories? (entities, Mem0's users())");
        call("memory.entities()", memory::entities, Mem0Json::entities);

        step("deleteAll: the trip session, then the tutor's memories");
        call("memory.deleteAll(user_id=\"alex\", run_id=\"" + RUN + "\")", () -> memory.deleteAll(trip),
                DemoScenario::deletedMessage);
        call("memory.deleteAll(agent_id=\"" + AGENT + "\")", () -> memory.deleteAll(tutor),
                DemoScenario::deletedMessage);

        step("reset: every memory and all history gone");
        call("memory.reset()", () -> {
            memory.reset();
            return "Memory reset successfully!";
        }, message -> NODES.objectNode().put("message", message));
        call("memory.getAll(user_id=\"alex\")", () -> memory.getAll(GetAllRequest.of(alex)), Mem0Json::page);
        return List.copyOf(steps);
    }

    private static AddRequest verbatim(String text, Scope scope, Map<String, Object> metadata, List<String> categories,
                                       String timestamp) {
        return AddRequest.builder()
                .message(Message.user(text))
                .scope(scope)
                .infer(false)
                .metadata(metadata)
                .categories(categories)
                .timestamp(Instant.parse(timestamp))
                .build();
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private void step(String title) {
        current = new Step(steps.size() + 1, title, new ArrayList<>(), new ArrayList<>());
        steps.add(current);
        out.println();
        out.printf(Locale.ROOT, "== %d/%d  %s%n", current.number(), STEPS, title);
        out.flush();
    }

    private <T> T call(String call, Supplier<T> operation, java.util.function.Function<T, JsonNode> shape) {
        T value = operation.get();
        record(call, shape.apply(value));
        return value;
    }

    private void expectFailure(String call, Runnable operation) {
        try {
            operation.run();
        } catch (MemoryException e) {
            ObjectNode error = NODES.objectNode();
            error.put("error", e.getClass().getSimpleName());
            if (e instanceof ValidationException v) {
                error.put("code", v.code().name());
            }
            error.put("message", message(e));
            record(call, error);
            return;
        }
        throw new IllegalStateException(call + " was expected to fail but succeeded");
    }

    private void record(String call, JsonNode result) {
        current.calls().add(call);
        current.results().add(result);
        out.println("> " + call);
        out.println(Mem0Json.toPrettyJson(result));
        out.flush();
    }

    private static String message(MemoryException e) {
        String m = e.getMessage();
        if (e instanceof ValidationException v && m.startsWith("[" + v.code() + "] ")) {
            return m.substring(v.code().name().length() + 3);
        }
        return m;
    }

    private static JsonNode batchMessage(String verb, BatchResult result) {
        ObjectNode n = NODES.objectNode();
        n.put("message", "Successfully " + verb + " " + result.count() + " memories");
        ArrayNode ids = n.putArray("memory_ids");
        result.memoryIds().forEach(ids::add);
        return n;
    }

    private static JsonNode deletedMessage(long count) {
        ObjectNode n = NODES.objectNode();
        n.put("message", "Memories deleted successfully!");
        n.put("deleted", count);
        return n;
    }

    /** @return the id of the memory the add wrote whose text mentions the keyword, else any of the scope's */
    private String idOf(AddResult result, String keyword, Scope scope) {
        for (MemoryEvent e : result.results()) {
            if (e.event() != EventType.DELETE && e.memory().toLowerCase(Locale.ROOT).contains(keyword)) {
                return e.id();
            }
        }
        Page<MemoryItem> page = memory.getAll(GetAllRequest.of(scope));
        return page.results().stream()
                .filter(i -> i.memory().toLowerCase(Locale.ROOT).contains(keyword))
                .findFirst()
                .or(() -> page.results().stream().findFirst())
                .map(MemoryItem::id)
                .orElseThrow(() -> new IllegalStateException("the demo found no memory of " + scope + " to update"));
    }

    private static String firstId(AddResult result) {
        return result.results().stream().filter(e -> e.event() == EventType.ADD).findFirst()
                .map(MemoryEvent::id)
                .orElseThrow(() -> new IllegalStateException("an infer=false add wrote no memory"));
    }

    /** @return the number of steps {@link #run()} plays */
    public static int stepCount() {
        return STEPS;
    }
}
