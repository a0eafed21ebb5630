package dev.memlayer.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.LlmException;
import dev.memlayer.api.Relation;
import dev.memlayer.api.graph.ExtractedEntity;
import dev.memlayer.api.graph.GraphContext;
import dev.memlayer.api.graph.GraphExtractor;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.api.spi.ResponseFormat;
import dev.memlayer.core.internal.llm.GraphPrompts;
import dev.memlayer.core.internal.llm.StructuredCall;
import dev.memlayer.core.json.LenientJson;
import dev.memlayer.core.json.Mem0Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memlayer's default {@link GraphExtractor}, built on any {@link LanguageModel} with memlayer's own
 * prompts, in the same protocol as {@link DefaultLlmExtractor}: a system message (instructions, then
 * the output format) and, LAST, a user message carrying the input; temperature 0; a
 * {@link ResponseFormat.JsonSchema} named after the call when the model enforces schemas, otherwise
 * {@link ResponseFormat#JSON_OBJECT}.
 *
 * <table>
 *   <caption>The graph protocol</caption>
 *   <tr><th>call</th><th>schema name</th><th>last user message</th><th>expected answer</th></tr>
 *   <tr><td>{@link #extractEntities}</td><td>{@code memlayer_graph_entities}</td>
 *       <td>the text as given (a transcript of {@code <role>: <content>} lines, or a search query)</td>
 *       <td>{@code {"entities": [{"entity": "...", "entity_type": "..."}]}}</td></tr>
 *   <tr><td>{@link #establishRelations}</td><td>{@code memlayer_graph_relations}</td>
 *       <td>exactly {@code {"entities": [{"entity": "...", "entity_type": "..."}], "text": "..."}}</td>
 *       <td>{@code {"relations": [{"source": "...", "relationship": "...", "destination": "..."}]}}</td></tr>
 *   <tr><td>{@link #findOutdated}</td><td>{@code memlayer_graph_outdated}</td>
 *       <td>exactly {@code {"existing_relations": [{"source", "relationship", "destination"}],
 *       "new_relations": [...], "text": "..."}}</td>
 *       <td>{@code {"outdated": [{"source": "...", "relationship": "...", "destination": "..."}]}}</td></tr>
 * </table>
 *
 * <p>The system prompt names the speaker's self entity as {@code The speaker is "<name>"}. Answers are
 * read with {@link LenientJson}; also accepted: {@code name}/{@code type} keys for entities, a list
 * of strings for entities (type unknown), the key {@code entities} for relations (Mem0's tool shape)
 * and {@code deleted}/{@code relations} for outdated ones. Items that are not readable are skipped and
 * logged; an answer without the expected list is an {@link LlmException}. Thread-safe if the model
 * is.
 */
public final class DefaultGraphExtractor implements GraphExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultGraphExtractor.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final LanguageModel model;

    /** @param model the language model, not null */
    public DefaultGraphExtractor(LanguageModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** @throws LlmException when the model fails or its answer holds no {@code entities} list */
    @Override
    public List<ExtractedEntity> extractEntities(String text, GraphContext context) {
        String system = GraphPrompts.ENTITIES.formatted(context.selfName()).strip() + "\n\n" + GraphPrompts.ENTITIES_FORMAT;
        String answer = call(system, text, GraphPrompts.ENTITIES_SCHEMA_NAME, GraphPrompts.ENTITIES_SCHEMA);
        JsonNode list = list(answer, "entity extraction", "entities", "nodes");
        List<ExtractedEntity> out = new ArrayList<>();
        for (JsonNode item : list) {
            String name = item.isTextual() ? item.asText() : firstText(item, "entity", "name");
            String type = item.isObject() ? firstText(item, "entity_type", "type") : null;
            if (name == null || name.isBlank()) {
                LOG.warn("Skipping an unreadable entity in the model's answer: {}", LenientJson.snippet(item.toString()));
                continue;
            }
            out.add(new ExtractedEntity(name, type));
        }
        return out;
    }

    /** @throws LlmException when the model fails or its answer holds no {@code relations} list */
    @Override
    public List<Relation> establishRelations(String text, List<ExtractedEntity> entities, GraphContext context) {
        ObjectNode input = NODES.objectNode();
        ArrayNode array = input.putArray("entities");
        for (ExtractedEntity e : entities) {
            ObjectNode o = array.addObject();
            o.put("entity", e.name());
            o.put("entity_type", e.type() == null ? "unknown" : e.type());
        }
        input.put("text", text);
        String system = GraphPrompts.RELATIONS.formatted(context.selfName()).strip() + "\n\n" + GraphPrompts.RELATIONS_FORMAT;
        String answer = call(system, Mem0Json.toJson(input), GraphPrompts.RELATIONS_SCHEMA_NAME,
                GraphPrompts.RELATIONS_SCHEMA);
        return relations(list(answer, "relation extraction", "relations", "entities"));
    }

    /** @throws LlmException when the model fails or its answer holds no {@code outdated} list */
    @Override
    public List<Relation> findOutdated(List<Relation> existing, List<Relation> newRelations, String text,
                                       GraphContext context) {
        ObjectNode input = NODES.objectNode();
        input.set("existing_relations", Mem0Json.relations(existing));
        input.set("new_relations", Mem0Json.relations(newRelations));
        input.put("text", text);
        String system = GraphPrompts.OUTDATED.formatted(context.selfName()).strip() + "\n\n" + GraphPrompts.OUTDATED_FORMAT;
        String answer = call(system, Mem0Json.toJson(input), GraphPrompts.OUTDATED_SCHEMA_NAME,
                GraphPrompts.OUTDATED_SCHEMA);
        return relations(list(answer, "outdated-relation decision", "outdated", "deleted", "relations"));
    }

    private static List<Relation> relations(JsonNode list) {
        List<Relation> out = new ArrayList<>();
        for (JsonNode item : list) {
            String source = item.isObject() ? firstText(item, "source", "source_node") : null;
            String relationship = item.isObject() ? firstText(item, "relationship", "relation") : null;
            String destination = item.isObject() ? firstText(item, "destination", "target", "destination_node") : null;
            if (source == null || relationship == null || destination == null || source.isBlank()
                    || relationship.isBlank() || destination.isBlank()) {
                LOG.warn("Skipping an unreadable relation in the model's answer: {}", LenientJson.snippet(item.toString()));
                continue;
            }
            out.add(new Relation(source, relationship, destination));
        }
        return out;
    }

    private static JsonNode list(String answer, String what, String... names) {
        JsonNode root;
        try {
            root = LenientJson.parse(answer);
        } catch (LlmException e) {
            throw new LlmException("Cannot read the language model's " + what + " answer; nothing was written. "
                    + e.getMessage(), e);
        }
        if (root.isArray()) {
            return root;
        }
        for (String name : names) {
            JsonNode n = root.get(name);
            if (n != null && n.isArray()) {
                return n;
            }
        }
        throw new LlmException("The language model's " + what + " answer has no \"" + names[0] + "\" list: "
                + LenientJson.snippet(answer));
    }

    private static String firstText(JsonNode item, String... keys) {
        for (String key : keys) {
            JsonNode n = item.get(key);
            if (n != null && n.isValueNode() && !n.isNull()) {
                return n.asText();
            }
        }
        return null;
    }

    private String call(String system, String input, String schemaName, String schema) {
        return StructuredCall.call(model, system, input, schemaName, schema);
    }
}
