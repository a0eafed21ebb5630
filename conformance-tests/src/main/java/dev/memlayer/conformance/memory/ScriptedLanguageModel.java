package dev.memlayer.conformance.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.EventType;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Message;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Role;
import dev.memlayer.api.spi.ChatRequest;
import dev.memlayer.api.spi.ChatResponse;
import dev.memlayer.api.spi.ExistingMemory;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.MemoryAction;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.api.spi.TokenUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link LanguageModel} for tests that speaks the engine's LLM protocol (the shared brief's "THE
 * LLM PROTOCOL", implemented by memory-core's {@code DefaultLlmExtractor}) without any network:
 *
 * <ul>
 *   <li>It recognises the kind of each call ({@link CallKind}) from the
 *       {@link ResponseFormat.JsonSchema} name ({@code memlayer_facts},
 *       {@code memlayer_memory_actions}, {@code memlayer_procedure}, {@code memlayer_graph_entities},
 *       {@code memlayer_graph_relations}, {@code memlayer_graph_outdated}) or, when no schema is sent,
 *       from the request's content ({@link #classify}).</li>
 *   <li>It answers each kind from a queue of scripted answers ({@link #enqueue(CallKind, String)}:
 *       exact raw text, so a test can script garbage, fenced JSON or {@code <think>} blocks;
 *       {@link #enqueue(CallKind, Function)}: an answer computed from the request;
 *       {@link #enqueueFailure}: an exception), or from a sticky answer ({@link #answerAlways}).</li>
 *   <li>With nothing scripted it follows deterministic rules:
 *     <ul>
 *       <li>facts: the content of every transcript line of the target role, in order, without
 *           duplicates; the target role is {@code user}, or {@code assistant} when the request asks
 *           for facts about the assistant ({@link FactSource});</li>
 *       <li>reconcile: for each new fact, NONE on an existing memory with the same text (ignoring
 *           case and surrounding white space), else ADD (a fact repeated within one call is added
 *           once);</li>
 *       <li>procedure: {@code "Execution history: "} followed by the transcript lines joined with
 *           {@code "; "};</li>
 *       <li>graph entities: the capitalised words of the text ({@link #defaultEntities}); graph
 *           relations: each entity {@code related_to} the next ({@link #defaultRelations}); graph
 *           outdated: none.</li>
 *     </ul>
 *   </li>
 * </ul>
 *
 * It records every request it receives ({@link #requests()}), in arrival order. Thread-safe.
 */
public final class ScriptedLanguageModel implements LanguageModel {

    /** The kinds of call the engine makes (the protocol's schema names). */
    public enum CallKind {
        /** LLM call 1: fact extraction, answered with {@code {"facts": [...]}}. */
        FACTS("memlayer_facts"),
        /** LLM call 2: reconciliation, answered with {@code {"memory": [...]}}. */
        RECONCILE("memlayer_memory_actions"),
        /** Procedural memory: answered with {@code {"summary": "..."}}. */
        PROCEDURE("memlayer_procedure"),
        /**
         * Graph memory, entities of a text: answered with
         * {@code {"entities": [{"entity": "...", "entity_type": "..."}]}}.
         */
        GRAPH_ENTITIES("memlayer_graph_entities"),
        /**
         * Graph memory, relations among entities: answered with
         * {@code {"relations": [{"source": "...", "relationship": "...", "destination": "..."}]}}.
         */
        GRAPH_RELATIONS("memlayer_graph_relations"),
        /**
         * Graph memory, outdated relations: answered with
         * {@code {"outdated": [{"source": "...", "relationship": "...", "destination": "..."}]}}.
         */
        GRAPH_OUTDATED("memlayer_graph_outdated"),
        /** Any other call; answered with {@code {}} unless scripted. */
        OTHER(null);

        private final String schemaName;

        CallKind(String schemaName) {
            this.schemaName = schemaName;
        }

        /** @return the protocol's JSON schema name, or null for {@link #OTHER} */
        public String schemaName() {
            return schemaName;
        }

        /** @return the kind with this schema name, if any */
        public static Optional<CallKind> fromSchemaName(String name) {
            for (CallKind k : values()) {
                if (k.schemaName != null && k.schemaName.equals(name)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** Whose transcript lines the default fact rule turns into facts. */
    public enum FactSource {
        /** Always the {@code user:} lines. */
        USER,
        /** Always the {@code assistant:} lines. */
        ASSISTANT,
        /**
         * The {@code assistant:} lines when the request's instructions (every message but the last)
         * ask for facts about the assistant, as decided by the agent-prompt detector
         * ({@link #agentPromptDetector}); otherwise the {@code user:} lines.
         */
        AUTO
    }

    /** One line of a protocol transcript: {@code <role>: <content>}. */
    public record TranscriptLine(Role role, String content) {
        /** @return the line as the protocol writes it */
        @Override
        public String toString() {
            return role.wireName() + ": " + content;
        }
    }

    /**
     * The parsed input of a reconcile call.
     *
     * @param existing the candidate memories with their small integer ids
     * @param newFacts the new facts
     */
    public record ReconcileInput(List<ExistingMemory> existing, List<String> newFacts) {
        public ReconcileInput {
            existing = List.copyOf(existing);
            newFacts = List.copyOf(newFacts);
        }

        /** @return the existing memory with this text (ignoring case), if shown */
        public Optional<ExistingMemory> byText(String text) {
            return existing.stream().filter(m -> normalise(m.text()).equals(normalise(text))).findFirst();
        }
    }

    /**
     * The default agent-prompt detector: the instructions mention facts, memories or information
     * "about the assistant"/"about the agent", or call the assistant's own messages the source.
     */
    public static final Predicate<String> DEFAULT_AGENT_PROMPT_DETECTOR = instructions -> {
        String s = instructions.toLowerCase(Locale.ROOT);
        return s.contains("about the assistant") || s.contains("about the agent")
                || s.contains("assistant's own") || s.contains("agent's own")
                || s.contains("assistant information") || s.contains("agent information");
    };

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<CallKind, ConcurrentLinkedDeque<Function<ChatRequest, String>>> queues = new EnumMap<>(CallKind.class);
    private final Map<CallKind, Function<ChatRequest, String>> always = new ConcurrentHashMap<>();
    private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<CallKind, Duration> latency = new ConcurrentHashMap<>();
    private volatile boolean supportsJsonSchema = true;
    private volatile FactSource factSource = FactSource.AUTO;
    private volatile Predicate<String> agentPromptDetector = DEFAULT_AGENT_PROMPT_DETECTOR;

    /** A model that supports JSON schemas and uses {@link FactSource#AUTO}. */
    public ScriptedLanguageModel() {
        for (CallKind k : CallKind.values()) {
            queues.put(k, new ConcurrentLinkedDeque<>());
        }
    }

    // ---------------------------------------------------------------- configuration

    /**
     * @param value what {@link #supportsJsonSchema()} answers (default true)
     * @return this model
     */
    public ScriptedLanguageModel supportsJsonSchema(boolean value) {
        supportsJsonSchema = value;
        return this;
    }

    @Override
    public boolean supportsJsonSchema() {
        return supportsJsonSchema;
    }

    /**
     * @param value whose lines the default fact rule uses (default {@link FactSource#AUTO})
     * @return this model
     */
    public ScriptedLanguageModel factSource(FactSource value) {
        factSource = Objects.requireNonNull(value, "value");
        return this;
    }

    /**
     * @param detector decides, from a fact request's instructions (the text of every message but the
     *                 last), whether the engine asks for facts about the assistant
     * @return this model
     */
    public ScriptedLanguageModel agentPromptDetector(Predicate<String> detector) {
        agentPromptDetector = Objects.requireNonNull(detector, "detector");
        return this;
    }

    /**
     * Queues a raw answer for the next call of a kind (answers are used first in, first out).
     *
     * @param kind   the call kind
     * @param answer the exact text to answer with
     * @return this model
     */
    public ScriptedLanguageModel enqueue(CallKind kind, String answer) {
        Objects.requireNonNull(answer, "answer");
        return enqueue(kind, request -> answer);
    }

    /**
     * Queues an answer computed from the request for the next call of a kind.
     *
     * @param kind      the call kind
     * @param responder computes the raw answer; it may throw to simulate a provider failure
     * @return this model
     */
    public ScriptedLanguageModel enqueue(CallKind kind, Function<ChatRequest, String> responder) {
        queues.get(kind).addLast(Objects.requireNonNull(responder, "responder"));
        return this;
    }

    /**
     * Makes the next call of a kind throw.
     *
     * @param kind    the call kind
     * @param failure thrown from {@link #chat}, e.g. an {@link dev.memlayer.api.LlmException}
     * @return this model
     */
    public ScriptedLanguageModel enqueueFailure(CallKind kind, RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        return enqueue(kind, request -> {
            throw failure;
        });
    }

    /**
     * Answers every call of a kind with this text (ahead of the queue) until {@link #clear()} —
     * for answers that must also defeat retries.
     *
     * @param kind   the call kind
     * @param answer the exact text to answer with
     * @return this model
     */
    public ScriptedLanguageModel answerAlways(CallKind kind, String answer) {
        Objects.requireNonNull(answer, "answer");
        always.put(kind, request -> answer);
        return this;
    }

    /**
     * Makes every call of a kind throw (ahead of the queue) until {@link #clear()} — a provider
     * that keeps failing, whatever the caller's retries.
     *
     * @param kind    the call kind
     * @param failure thrown from {@link #chat}
     * @return this model
     */
    public ScriptedLanguageModel failAlways(CallKind kind, RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        always.put(kind, request -> {
            throw failure;
        });
        return this;
    }

    /**
     * Makes every call of a kind take at least this long before answering, e.g. to widen the window
     * in which concurrent {@code add} calls could interleave.
     *
     * @param kind  the call kind
     * @param delay the delay, {@link Duration#ZERO} for none
     * @return this model
     */
    public ScriptedLanguageModel latency(CallKind kind, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, got " + delay);
        }
        latency.put(kind, delay);
        return this;
    }

    /** Forgets scripted answers and recorded requests; settings stay. */
    public void clear() {
        queues.values().forEach(ConcurrentLinkedDeque::clear);
        always.clear();
        requests.clear();
    }

    // ---------------------------------------------------------------- recorded calls

    /** @return every request received so far, in arrival order */
    public List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    /** @return the requests of one kind, in arrival order */
    public List<ChatRequest> requests(CallKind kind) {
        List<ChatRequest> out = new ArrayList<>();
        for (ChatRequest r : requests) {
            if (classify(r) == kind) {
                out.add(r);
            }
        }
        return out;
    }

    /** @return the last request of a kind */
    public ChatRequest lastRequest(CallKind kind) {
        List<ChatRequest> all = requests(kind);
        if (all.isEmpty()) {
            throw new AssertionError("the model received no " + kind + " call; calls received: " + kinds());
        }
        return all.get(all.size() - 1);
    }

    /** @return the kinds of the requests received so far, in arrival order */
    public List<CallKind> kinds() {
        List<CallKind> out = new ArrayList<>();
        for (ChatRequest r : requests) {
            out.add(classify(r));
        }
        return out;
    }

    // ---------------------------------------------------------------- the model

    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        requests.add(request);
        CallKind kind = classify(request);
        pause(latency.getOrDefault(kind, Duration.ZERO));
        Function<ChatRequest, String> responder = always.get(kind);
        if (responder == null) {
            responder = queues.get(kind).pollFirst();
        }
        String answer = responder != null ? responder.apply(request) : defaultAnswer(kind, request);
        return new ChatResponse(answer, List.of(), "stop", new TokenUsage(estimateTokens(request), estimateTokens(answer)));
    }

    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException("interrupted while the scripted model was answering", e);
        }
    }

    private String defaultAnswer(CallKind kind, ChatRequest request) {
        return switch (kind) {
            case FACTS -> factsAnswer(defaultFacts(request));
            case RECONCILE -> reconcileAnswer(defaultActions(reconcileInput(request)));
            case PROCEDURE -> procedureAnswer(defaultSummary(request));
            case GRAPH_ENTITIES -> entitiesAnswer(defaultEntities(request));
            case GRAPH_RELATIONS -> relationsAnswer(defaultRelations(graphRelationsInput(request)));
            case GRAPH_OUTDATED -> outdatedAnswer(List.of());
            case OTHER -> "{}";
        };
    }

    /** @return the facts the default rule extracts from a fact request */
    public List<String> defaultFacts(ChatRequest request) {
        Role target = switch (factSource) {
            case USER -> Role.USER;
            case ASSISTANT -> Role.ASSISTANT;
            case AUTO -> agentPromptDetector.test(instructions(request)) ? Role.ASSISTANT : Role.USER;
        };
        Set<String> facts = new LinkedHashSet<>();
        for (TranscriptLine line : transcript(request)) {
            if (line.role() == target && !line.content().isBlank()) {
                facts.add(line.content().strip());
            }
        }
        return List.copyOf(facts);
    }

    /** @return the actions of the default reconcile rule */
    public static List<MemoryAction> defaultActions(ReconcileInput input) {
        List<MemoryAction> actions = new ArrayList<>();
        Set<String> added = new HashSet<>();
        int next = input.existing().size();
        for (String fact : input.newFacts()) {
            Optional<ExistingMemory> same = input.byText(fact);
            if (same.isPresent()) {
                actions.add(new MemoryAction(same.get().id(), same.get().text(), EventType.NONE, null));
            } else if (added.add(normalise(fact))) {
                actions.add(new MemoryAction(String.valueOf(next++), fact, EventType.ADD, null));
            }
        }
        return actions;
    }

    /** @return the default procedural summary of a procedure request */
    public static String defaultSummary(ChatRequest request) {
        List<String> lines = new ArrayList<>();
        for (TranscriptLine line : transcript(request)) {
            lines.add(line.toString());
        }
        return "Execution history: " + String.join("; ", lines);
    }

    // ---------------------------------------------------------------- protocol helpers

    /**
     * Recognises a call: by its {@link ResponseFormat.JsonSchema} name when it has one; otherwise a
     * last message that is a JSON object with {@code existing_memories} is a reconcile call,
     * instructions that ask for a {@code "summary"} (and not for {@code "facts"}) or mention a
     * procedure are a procedure call; a last message that is a JSON object with
     * {@code existing_relations} is a graph-outdated call, one with {@code entities} and {@code text} a
     * graph-relations call, and instructions that ask for an {@code "entity_type"} a graph-entities call;
     * anything else is a fact call.
     *
     * @param request a request
     * @return its kind
     */
    public static CallKind classify(ChatRequest request) {
        if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
            Optional<CallKind> named = CallKind.fromSchemaName(schema.name());
            return named.orElse(CallKind.OTHER);
        }
        String last = lastMessage(request).content().strip();
        if (last.startsWith("{") && last.contains("\"existing_memories\"")) {
            return CallKind.RECONCILE;
        }
        if (last.startsWith("{") && last.contains("\"existing_relations\"")) {
            return CallKind.GRAPH_OUTDATED;
        }
        if (last.startsWith("{") && last.contains("\"entities\"") && last.contains("\"text\"")) {
            return CallKind.GRAPH_RELATIONS;
        }
        String instructions = instructions(request).toLowerCase(Locale.ROOT);
        if (instructions.contains("\"entity_type\"")) {
            return CallKind.GRAPH_ENTITIES;
        }
        boolean asksFacts = instructions.contains("\"facts\"");
        if (!asksFacts && (instructions.contains("\"summary\"") || instructions.contains("procedur")
                || instructions.contains("execution history"))) {
            return CallKind.PROCEDURE;
        }
        return CallKind.FACTS;
    }

    /**
     * @return the text of every message but the last (the engine's instructions), joined with
     *         newlines
     */
    public static String instructions(ChatRequest request) {
        List<Message> messages = request.messages();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < messages.size() - 1; i++) {
            parts.add(messages.get(i).content());
        }
        return String.join("\n", parts);
    }

    /** @return the last message (by the protocol, a user message carrying the input) */
    public static Message lastMessage(ChatRequest request) {
        List<Message> messages = request.messages();
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a chat request without messages");
        }
        return messages.get(messages.size() - 1);
    }

    /**
     * Parses the transcript carried by a fact or procedure request's last message: one
     * {@code <role>: <content>} line per message. Lines without a known role prefix are skipped.
     *
     * @return the lines in order
     */
    public static List<TranscriptLine> transcript(ChatRequest request) {
        List<TranscriptLine> out = new ArrayList<>();
        for (String raw : lastMessage(request).content().split("\\R")) {
            int colon = raw.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String role = raw.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            Role r = switch (role) {
                case "user" -> Role.USER;
                case "assistant" -> Role.ASSISTANT;
                case "system" -> Role.SYSTEM;
                default -> null;
            };
            if (r != null) {
                out.add(new TranscriptLine(r, raw.substring(colon + 1).strip()));
            }
        }
        return out;
    }

    /**
     * Parses a reconcile request's last message:
     * {@code {"existing_memories": [{"id", "text", "immutable"}], "new_facts": ["..."]}} (a fact
     * given as an object with {@code text} is accepted too).
     *
     * @throws IllegalArgumentException if it is not such an object
     */
    public static ReconcileInput reconcileInput(ChatRequest request) {
        String content = lastMessage(request).content();
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("reconcile input is not JSON: " + content, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("reconcile input is not a JSON object: " + content);
        }
        List<ExistingMemory> existing = new ArrayList<>();
        for (JsonNode m : root.path("existing_memories")) {
            existing.add(new ExistingMemory(m.path("id").asText(), m.path("text").asText(),
                    m.path("immutable").asBoolean(false)));
        }
        List<String> facts = new ArrayList<>();
        for (JsonNode f : root.path("new_facts")) {
            facts.add(f.isTextual() ? f.asText() : f.path("text").asText());
        }
        return new ReconcileInput(existing, facts);
    }

    /** @return {@code {"facts": [{"text": "...", "categories": []}, ...]}} */
    public static String factsAnswer(List<String> facts) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("facts");
        for (String f : facts) {
            ObjectNode o = array.addObject();
            o.put("text", f);
            o.putArray("categories");
        }
        return write(root);
    }

    /**
     * @param factsWithCategories fact text to its categories, in order
     * @return {@code {"facts": [{"text": "...", "categories": ["..."]}, ...]}}
     */
    public static String factsAnswerWithCategories(Map<String, List<String>> factsWithCategories) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("facts");
        factsWithCategories.forEach((text, categories) -> {
            ObjectNode o = array.addObject();
            o.put("text", text);
            ArrayNode c = o.putArray("categories");
            categories.forEach(c::add);
        });
        return write(root);
    }

    /** @return {@code {"memory": [{"id", "text", "event", "old_memory"?}, ...]}} */
    public static String reconcileAnswer(List<MemoryAction> actions) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("memory");
        for (MemoryAction a : actions) {
            ObjectNode o = array.addObject();
            o.put("id", a.id());
            if (a.text() != null) {
                o.put("text", a.text());
            }
            o.put("event", a.event().name());
            if (a.oldMemory() != null) {
                o.put("old_memory", a.oldMemory());
            }
        }
        return write(root);
    }

    /** @return {@code {"summary": "..."}} */
    public static String procedureAnswer(String summary) {
        ObjectNode root = JSON.createObjectNode();
        root.put("summary", summary);
        return write(root);
    }

    // ---------------------------------------------------------------- graph memory protocol

    /**
     * The parsed input of a graph-relations call: {@code {"entities": [{"entity", "entity_type"}],
     * "text": "..."}}.
     *
     * @param entities entity name to type, in order
     * @param text     the text the entities come from
     */
    public record GraphRelationsInput(Map<String, String> entities, String text) {
        public GraphRelationsInput {
            entities = Collections.unmodifiableMap(new LinkedHashMap<>(entities));
        }
    }

    /**
     * The parsed input of a graph-outdated call: {@code {"existing_relations": [...], "new_relations":
     * [...], "text": "..."}}.
     *
     * @param existing     the existing relations shown to the model
     * @param newRelations the relations established from the text
     * @param text         the new text
     */
    public record GraphOutdatedInput(List<Relation> existing, List<Relation> newRelations,
                                     String text) {
        public GraphOutdatedInput {
            existing = List.copyOf(existing);
            newRelations = List.copyOf(newRelations);
        }
    }

    private static final Pattern SELF_NAME = Pattern.compile(
            "speaker is \"([^\"]+)\"");
    private static final Pattern SELF_WORDS = Pattern.compile("\\b(I|me|my|My|Me)\\b");
    private static final Set<String> NOT_ENTITIES = Set.of("I", "My", "Me", "The", "A", "An", "Who", "Whom", "Whose",
            "What", "Where", "When", "Why", "How", "Which", "Do", "Does", "Did", "Is", "Are", "Was", "Were");
    private static final Pattern CAPITALISED = Pattern.compile(
            "\\b(\\p{Lu}[\\p{L}\\p{N}]*)(?:'s)?\\b");

    /**
     * The default entity rule: the capitalised words of the text (role prefixes of transcript lines,
     * pronouns, articles and question words left out, a possessive {@code 's} dropped), each of type
     * {@code entity}, in
     * order; "I", "me" and "my" add the self entity named by the instructions
     * ({@code The speaker is "<name>"}).
     *
     * @return entity name to type
     */
    public static Map<String, String> defaultEntities(ChatRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher self = SELF_NAME.matcher(instructions(request));
        String selfName = self.find() ? self.group(1) : null;
        for (String raw : lastMessage(request).content().split("\\R")) {
            String line = raw.replaceFirst("^(user|assistant|system):\\s*", "");
            if (selfName != null && SELF_WORDS.matcher(line).find()) {
                out.putIfAbsent(selfName, "person");
            }
            Matcher m = CAPITALISED.matcher(line);
            while (m.find()) {
                String word = m.group(1);
                if (!NOT_ENTITIES.contains(word)) {
                    out.putIfAbsent(word, "entity");
                }
            }
        }
        return out;
    }

    /**
     * The default relation rule: each entity {@code related_to} the next one, in the order given.
     *
     * @return the relations
     */
    public static List<Relation> defaultRelations(GraphRelationsInput input) {
        List<String> names = new ArrayList<>(input.entities().keySet());
        List<Relation> out = new ArrayList<>();
        for (int i = 0; i + 1 < names.size(); i++) {
            out.add(new Relation(names.get(i), "related_to", names.get(i + 1)));
        }
        return out;
    }

    /**
     * Parses a graph-relations request's last message.
     *
     * @throws IllegalArgumentException if it is not such an object
     */
    public static GraphRelationsInput graphRelationsInput(ChatRequest request) {
        JsonNode root = jsonObject(request, "graph relations");
        Map<String, String> entities = new LinkedHashMap<>();
        for (JsonNode e : root.path("entities")) {
            if (e.isTextual()) {
                entities.put(e.asText(), null);
            } else {
                entities.put(e.path("entity").asText(), e.path("entity_type").isMissingNode() ? null
                        : e.path("entity_type").asText(null));
            }
        }
        return new GraphRelationsInput(entities, root.path("text").asText(""));
    }

    /**
     * Parses a graph-outdated request's last message.
     *
     * @throws IllegalArgumentException if it is not such an object
     */
    public static GraphOutdatedInput graphOutdatedInput(ChatRequest request) {
        JsonNode root = jsonObject(request, "graph outdated");
        return new GraphOutdatedInput(relationList(root.path("existing_relations")),
                relationList(root.path("new_relations")), root.path("text").asText(""));
    }

    private static List<Relation> relationList(JsonNode array) {
        List<Relation> out = new ArrayList<>();
        for (JsonNode r : array) {
            out.add(new Relation(r.path("source").asText(), r.path("relationship").asText(),
                    r.path("destination").asText()));
        }
        return out;
    }

    private static JsonNode jsonObject(ChatRequest request, String what) {
        String content = lastMessage(request).content();
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " input is not JSON: " + content, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(what + " input is not a JSON object: " + content);
        }
        return root;
    }

    /**
     * @param entities entity name to type (a null type is written as {@code "unknown"}), in order
     * @return {@code {"entities": [{"entity": "...", "entity_type": "..."}, ...]}}
     */
    public static String entitiesAnswer(Map<String, String> entities) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("entities");
        entities.forEach((name, type) -> {
            ObjectNode o = array.addObject();
            o.put("entity", name);
            o.put("entity_type", type == null ? "unknown" : type);
        });
        return write(root);
    }

    /** @return {@code {"relations": [{"source", "relationship", "destination"}, ...]}} */
    public static String relationsAnswer(List<Relation> relations) {
        ObjectNode root = JSON.createObjectNode();
        root.set("relations", relationArray(relations));
        return write(root);
    }

    /** @return {@code {"outdated": [{"source", "relationship", "destination"}, ...]}} */
    public static String outdatedAnswer(List<Relation> outdated) {
        ObjectNode root = JSON.createObjectNode();
        root.set("outdated", relationArray(outdated));
        return write(root);
    }

    private static ArrayNode relationArray(List<Relation> relations) {
        ArrayNode array = JSON.createArrayNode();
        for (Relation r : relations) {
            ObjectNode o = array.addObject();
            o.put("source", r.source());
            o.put("relationship", r.relationship());
            o.put("destination", r.destination());
        }
        return array;
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String normalise(String text) {
        return text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    }

    private static long estimateTokens(ChatRequest request) {
        long chars = 0;
        for (Message m : request.messages()) {
            chars += m.content().length();
        }
        return (chars + 3) / 4;
    }

    private static long estimateTokens(String answer) {
        return answer == null ? 0 : (answer.length() + 3) / 4;
    }

    @Override
    public String toString() {
        return "ScriptedLanguageModel[calls=" + requests.size() + ", jsonSchema=" + supportsJsonSchema + ", facts="
                + factSource + "]";
    }

    /** @return how many queued answers of a kind have not been used yet */
    public int pending(CallKind kind) {
        return queues.get(kind).size();
    }
}
