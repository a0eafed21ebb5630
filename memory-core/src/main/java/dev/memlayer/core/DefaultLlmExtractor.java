package dev.memlayer.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.EventType;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.Message;
import dev.memlayer.core.internal.llm.ExtractedFacts;
import dev.memlayer.core.internal.llm.Prompts;
import dev.memlayer.core.internal.llm.StructuredCall;
import dev.memlayer.core.internal.llm.Transcripts;
import dev.memlayer.core.json.LenientJson;
import dev.memlayer.core.json.Mem0Json;
import dev.memlayer.api.spi.ExistingMemory;
import dev.memlayer.api.spi.ExtractionContext;
import dev.memlayer.api.spi.Fact;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.LlmExtractor;
import dev.memlayer.api.spi.MemoryAction;
import dev.memlayer.api.spi.ResponseFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memlayer's default {@link LlmExtractor}, built on any {@link LanguageModel} with memlayer's own
 * prompts. Every call sends a system message (instructions, then the output format, which is always
 * appended, even to a custom prompt) and, LAST, a user message carrying the input; temperature 0.
 * When {@link LanguageModel#supportsJsonSchema()} is true the request carries a
 * {@link ResponseFormat.JsonSchema} whose name tells the call kind, otherwise
 * {@link ResponseFormat#JSON_OBJECT}:
 *
 * <table>
 *   <caption>The protocol</caption>
 *   <tr><th>call</th><th>schema name</th><th>last user message</th><th>expected answer</th></tr>
 *   <tr><td>{@link #extractFacts}</td><td>{@code memlayer_facts}</td>
 *       <td>the transcript, one line per message: {@code <role>: <content>} (role user, assistant or
 *       system; newlines inside content replaced by spaces; blank messages left out)</td>
 *       <td>{@code {"facts": [{"text": "...", "categories": ["..."]}]}}; {@code {"facts": ["..."]}}
 *       is accepted too</td></tr>
 *   <tr><td>{@link #reconcile}</td><td>{@code memlayer_memory_actions}</td>
 *       <td>exactly {@code {"existing_memories": [{"id": "0", "text": "...", "immutable": false}],
 *       "new_facts": ["..."]}}</td>
 *       <td>{@code {"memory": [{"id": "0", "text": "...", "event": "ADD|UPDATE|DELETE|NONE",
 *       "old_memory": "..."}]}}</td></tr>
 *   <tr><td>{@link #summarizeProcedure}</td><td>{@code memlayer_procedure}</td>
 *       <td>the transcript, as for facts</td><td>{@code {"summary": "..."}}</td></tr>
 * </table>
 *
 * <p>Answers are read with {@link LenientJson} (code fences, {@code <think>} blocks and prose are
 * tolerated). An answer that still cannot be read is an {@link LlmException} quoting a snippet of it;
 * there is no retry here (transport retries are the {@link LanguageModel}'s job). In reconciliation
 * answers, {@code event} is case-insensitive, ids may be strings or numbers, and an action whose
 * event is missing or unknown is returned with a {@code null} event (and logged) so that the engine
 * skips it and reports it in {@code AddResult.diagnostics}. Thread-safe if the model is.
 */
public final class DefaultLlmExtractor implements LlmExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultLlmExtractor.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final LanguageModel model;
    private final String factExtractionPrompt;
    private final String updateMemoryPrompt;

    /**
     * An extractor with memlayer's prompts.
     *
     * @param model the language model, not null
     */
    public DefaultLlmExtractor(LanguageModel model) {
        this(model, MemoryConfig.defaults());
    }

    /**
     * An extractor using the custom prompts of a configuration, when it has them
     * ({@link MemoryConfig#factExtractionPrompt()} applies when a call brings no custom prompt of its
     * own; {@link MemoryConfig#updateMemoryPrompt()} replaces the reconciliation instructions).
     *
     * @param model  the language model, not null
     * @param config the engine configuration, not null
     */
    public DefaultLlmExtractor(LanguageModel model, MemoryConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        this.factExtractionPrompt = config.factExtractionPrompt();
        this.updateMemoryPrompt = config.updateMemoryPrompt();
    }

    /** @return the language model this extractor calls */
    public LanguageModel languageModel() {
        return model;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Items of the fact list that are not facts (numbers, objects without a text, ...) are skipped
     * and reported: the returned list is an {@link ExtractedFacts} whose diagnostics the engine copies
     * into {@code AddResult.diagnostics}; blank facts are skipped and reported the same way. When every
     * item is unreadable, the answer is an error rather than "nothing to remember".
     *
     * @throws LlmException when the model fails, its answer holds no readable {@code facts} list, or
     *                      the list has items but none of them is a readable fact
     */
    @Override
    public List<Fact> extractFacts(List<Message> conversation, ExtractionContext context) {
        String custom = context.customPrompt() != null && !context.customPrompt().isBlank()
                ? context.customPrompt() : factExtractionPrompt;
        String instructions = custom != null ? custom
                : context.target() == ExtractionContext.Target.AGENT ? Prompts.AGENT_FACTS : Prompts.USER_FACTS;
        String system = instructions.strip() + "\n\n" + Prompts.factsFormat(today(context));
        String answer = call(system, transcript(conversation), Prompts.FACTS_SCHEMA_NAME, Prompts.FACTS_SCHEMA);
        JsonNode root = read(answer, "fact extraction");
        JsonNode facts = root.isArray() ? root : firstArray(root, "facts", "memories", "memory");
        if (facts == null) {
            throw new LlmException("The language model's fact-extraction answer has no \"facts\" list: "
                    + LenientJson.snippet(answer));
        }
        List<Fact> out = new ArrayList<>(facts.size());
        List<String> skipped = new ArrayList<>();
        int unreadable = 0;
        for (int i = 0; i < facts.size(); i++) {
            JsonNode item = facts.get(i);
            if (isBlank(item)) {
                skipped.add("Skipped fact " + i + " of the model's answer: it is empty");
                continue;
            }
            Fact fact = fact(item);
            if (fact != null) {
                out.add(fact);
            } else {
                unreadable++;
                skipped.add("Skipped fact " + i + " of the model's answer: not a fact text or an object with a"
                        + " \"text\": " + LenientJson.snippet(item.toString()));
            }
        }
        if (out.isEmpty() && unreadable > 0) {
            throw new LlmException("None of the " + facts.size() + " items of the language model's fact list is"
                    + " readable (expected strings or {\"text\": ..., \"categories\": [...]} objects); nothing was"
                    + " written: " + LenientJson.snippet(answer));
        }
        return new ExtractedFacts(out, skipped);
    }

    /** @return true for an item that is an empty fact: a blank string or an object with a blank text */
    private static boolean isBlank(JsonNode item) {
        if (item.isTextual()) {
            return item.asText().isBlank();
        }
        if (!item.isObject()) {
            return false;
        }
        boolean blankText = false;
        for (String key : new String[] {"text", "fact", "memory"}) {
            JsonNode t = item.get(key);
            if (t != null && t.isTextual()) {
                if (!t.asText().isBlank()) {
                    return false;
                }
                blankText = true;
            }
        }
        return blankText;
    }

    /**
     * {@inheritDoc}
     *
     * @throws LlmException when the model fails or its answer holds no readable {@code memory} list
     */
    @Override
    public List<MemoryAction> reconcile(List<ExistingMemory> existing, List<Fact> facts, ExtractionContext context) {
        String instructions = updateMemoryPrompt != null ? updateMemoryPrompt : Prompts.RECONCILE;
        String system = instructions.strip() + "\n\n" + Prompts.RECONCILE_FORMAT;
        String answer = call(system, reconcileInput(existing, facts), Prompts.ACTIONS_SCHEMA_NAME, Prompts.ACTIONS_SCHEMA);
        JsonNode root = read(answer, "reconciliation");
        JsonNode actions = root.isArray() ? root : firstArray(root, "memory", "memories", "actions");
        if (actions == null) {
            throw new LlmException("The language model's reconciliation answer has no \"memory\" list: "
                    + LenientJson.snippet(answer));
        }
        List<MemoryAction> out = new ArrayList<>(actions.size());
        for (JsonNode item : actions) {
            if (!item.isObject()) {
                LOG.warn("Skipping a reconciliation item that is not an object: {}", LenientJson.snippet(item.toString()));
                out.add(new MemoryAction(null, item.isTextual() ? item.asText() : item.toString(), null, null));
                continue;
            }
            String id = scalarText(item.get("id"));
            String text = scalarText(item.get("text"));
            String oldMemory = scalarText(item.get("old_memory"));
            String eventName = scalarText(item.get("event"));
            EventType event = event(eventName);
            if (event == null) {
                LOG.warn("Skipping a reconciliation action with unknown event '{}' (id {}, text {})", eventName, id,
                        text == null ? null : LenientJson.snippet(text));
            }
            out.add(new MemoryAction(id, text, event, oldMemory));
        }
        return out;
    }

    /**
     * {@inheritDoc} A custom prompt in the context replaces the default instructions (as Mem0's
     * {@code prompt} does for procedural memory).
     *
     * @throws LlmException when the model fails or its answer holds no non-blank {@code summary}
     */
    @Override
    public String summarizeProcedure(List<Message> conversation, ExtractionContext context) {
        String instructions = context.customPrompt() != null && !context.customPrompt().isBlank()
                ? context.customPrompt() : Prompts.PROCEDURE;
        String system = instructions.strip() + "\n\n" + Prompts.PROCEDURE_FORMAT;
        String answer = call(system, transcript(conversation), Prompts.PROCEDURE_SCHEMA_NAME, Prompts.PROCEDURE_SCHEMA);
        JsonNode root = read(answer, "procedural summary");
        JsonNode summary = root.isObject() ? root.get("summary") : null;
        if (summary == null || !summary.isTextual() || summary.asText().isBlank()) {
            throw new LlmException("The language model's procedural summary has no non-blank \"summary\" text: "
                    + LenientJson.snippet(answer));
        }
        return summary.asText().strip();
    }

    /**
     * The transcript format of the protocol: one line per non-blank message, {@code <role>: <content>},
     * newlines inside content replaced by spaces.
     *
     * @param conversation the messages
     * @return the transcript
     */
    public static String transcript(List<Message> conversation) {
        return Transcripts.of(conversation);
    }

    /**
     * The reconciliation input of the protocol:
     * {@code {"existing_memories": [{"id", "text", "immutable"}], "new_facts": ["..."]}}.
     *
     * @return the compact JSON text
     */
    public static String reconcileInput(List<ExistingMemory> existing, List<Fact> facts) {
        ObjectNode root = NODES.objectNode();
        ArrayNode memories = root.putArray("existing_memories");
        for (ExistingMemory m : existing) {
            ObjectNode n = memories.addObject();
            n.put("id", m.id());
            n.put("text", m.text());
            n.put("immutable", m.immutable());
        }
        ArrayNode newFacts = root.putArray("new_facts");
        facts.forEach(f -> newFacts.add(f.text()));
        return Mem0Json.toJson(root);
    }

    private String call(String system, String input, String schemaName, String schema) {
        return StructuredCall.call(model, system, input, schemaName, schema);
    }

    private static JsonNode read(String answer, String what) {
        try {
            return LenientJson.parse(answer);
        } catch (LlmException e) {
            throw new LlmException("Cannot read the language model's " + what + " answer; nothing was written. "
                    + e.getMessage(), e);
        }
    }

    private static JsonNode firstArray(JsonNode root, String... names) {
        for (String name : names) {
            JsonNode n = root.get(name);
            if (n != null && n.isArray()) {
                return n;
            }
        }
        return null;
    }

    private static Fact fact(JsonNode item) {
        if (item.isTextual()) {
            String text = item.asText().strip();
            return text.isEmpty() ? null : Fact.of(text);
        }
        if (!item.isObject()) {
            return null;
        }
        String text = null;
        for (String key : new String[] {"text", "fact", "memory"}) {
            JsonNode t = item.get(key);
            if (t != null && t.isTextual() && !t.asText().isBlank()) {
                text = t.asText().strip();
                break;
            }
        }
        if (text == null) {
            return null;
        }
        List<String> categories = new ArrayList<>();
        JsonNode c = item.get("categories");
        if (c == null) {
            c = item.get("category");
        }
        if (c != null && c.isArray()) {
            for (JsonNode cat : c) {
                if (cat.isTextual() && !cat.asText().isBlank()) {
                    categories.add(cat.asText().strip());
                }
            }
        } else if (c != null && c.isTextual() && !c.asText().isBlank()) {
            categories.add(c.asText().strip());
        }
        return new Fact(text, categories);
    }

    private static String scalarText(JsonNode n) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        return n.asText();
    }

    private static EventType event(String name) {
        if (name == null) {
            return null;
        }
        try {
            return EventType.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static LocalDate today(ExtractionContext context) {
        return context.today() != null ? context.today() : LocalDate.now(ZoneOffset.UTC);
    }
}
