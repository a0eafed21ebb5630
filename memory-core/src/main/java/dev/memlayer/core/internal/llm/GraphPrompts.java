package dev.memlayer.core.internal.llm;

/**
 * memlayer's graph-memory prompts (written for memlayer, not copied from Mem0) and the JSON schemas
 * of their answers. Three calls, each named by its schema (the engine's LLM protocol):
 * {@value #ENTITIES_SCHEMA_NAME}, {@value #RELATIONS_SCHEMA_NAME} and {@value #OUTDATED_SCHEMA_NAME}.
 */
public final class GraphPrompts {

    /** Schema name of entity extraction. */
    public static final String ENTITIES_SCHEMA_NAME = "memlayer_graph_entities";
    /** Schema name of relation extraction. */
    public static final String RELATIONS_SCHEMA_NAME = "memlayer_graph_relations";
    /** Schema name of the outdated-relations decision. */
    public static final String OUTDATED_SCHEMA_NAME = "memlayer_graph_outdated";

    private GraphPrompts() {
    }

    /**
     * Instructions for entity extraction; {@code %1$s} is the self entity.
     */
    public static final String ENTITIES = """
            You build a knowledge graph of the people, animals, places, organisations, objects, \
            events and ideas a text talks about. List every entity the text mentions, each with a short \
            general type such as person, animal, place, organisation, food, object, event, activity or \
            concept.

            Rules:
            - The text is a conversation, one line per message as "<role>: <content>", or a single question.
            - The speaker is "%1$s": use that entity for the speaker's self-references ("I", "me", "my", "mine").
            - Use the most complete name the text gives ("Alice Smith", not "she").
            - If the text is a question, list the entities it asks about. Do not answer the question.
            - Leave out pronouns, dates and quantities that are not things in their own right.

            Example:
            user: My sister Alice adopted a cat called Luna.
            Answer: {"entities": [{"entity": "%1$s", "entity_type": "person"}, \
            {"entity": "Alice", "entity_type": "person"}, {"entity": "Luna", "entity_type": "animal"}]}
            """;

    /** Output format of entity extraction, always appended. */
    public static final String ENTITIES_FORMAT = """
            Output format: answer with one JSON object and nothing else, no prose and no code fences:
            {"entities": [{"entity": "<name>", "entity_type": "<type>"}, ...]}
            Use {"entities": []} when the text names none. The text follows in the next message.
            """;

    /** Instructions for relation extraction; {@code %1$s} is the self entity. */
    public static final String RELATIONS = """
            You build a knowledge graph. Given a text and the entities found in it, list the \
            relationships the text states between those entities, as \
            source --relationship--> destination.

            Rules:
            - Only relationships the text states or clearly implies; never guess.
            - Source and destination are entity names from the list (use "%1$s" for the speaker).
            - The relationship is a short, general, timeless verb phrase in snake_case, such as owns, \
            lives_in, works_at, sister_of, likes, allergic_to, named. Prefer "owns" over "bought" and \
            "works_at" over "started_working_at".
            - State each relationship once, in its natural direction.

            Example:
            Input: {"entities": [{"entity": "%1$s", "entity_type": "person"}, \
            {"entity": "Alice", "entity_type": "person"}, {"entity": "Luna", "entity_type": "animal"}], \
            "text": "user: My sister Alice adopted a cat called Luna."}
            Answer: {"relations": [{"source": "Alice", "relationship": "sister_of", "destination": "%1$s"}, \
            {"source": "Alice", "relationship": "owns", "destination": "Luna"}]}
            """;

    /** Output format of relation extraction, always appended. */
    public static final String RELATIONS_FORMAT = """
            Output format: answer with one JSON object and nothing else, no prose and no code fences:
            {"relations": [{"source": "<entity>", "relationship": "<relationship>", "destination": "<entity>"}, ...]}
            Use {"relations": []} when the text states none. The input follows in the next message as a \
            JSON object with "entities" and "text".
            """;

    /** Instructions for the outdated-relations decision; {@code %1$s} is the self entity. */
    public static final String OUTDATED = """
            You keep a knowledge graph up to date. You receive relationships already stored, new \
            relationships just learned, and the text they come from. List the stored relationships \
            that the new information makes no longer true.

            Rules:
            - A stored relationship is outdated when the text contradicts it or replaces it: ownership \
            that passed to someone else, a move to another city, a job that ended, a changed name.
            - Keep relationships that can be true at the same time as the new ones: liking pizza does not \
            outdate liking pasta; a second pet does not outdate the first.
            - A new relationship identical to a stored one does not outdate it.
            - Copy outdated relationships exactly as they appear in existing_relations. Never invent one.
            - "%1$s" is the speaker.

            Example:
            Input: {"existing_relations": [{"source": "alice", "relationship": "owns", "destination": "rex"}, \
            {"source": "alice", "relationship": "likes", "destination": "pizza"}], \
            "new_relations": [{"source": "bob", "relationship": "owns", "destination": "rex"}], \
            "text": "user: Alice gave Rex to Bob."}
            Answer: {"outdated": [{"source": "alice", "relationship": "owns", "destination": "rex"}]}
            """;

    /** Output format of the outdated-relations decision, always appended. */
    public static final String OUTDATED_FORMAT = """
            Output format: answer with one JSON object and nothing else, no prose and no code fences:
            {"outdated": [{"source": "<entity>", "relationship": "<relationship>", "destination": "<entity>"}, ...]}
            Use {"outdated": []} when nothing is outdated. The input follows in the next message as a JSON \
            object with "existing_relations", "new_relations" and "text".
            """;

    /** JSON Schema of the entities answer. */
    public static final String ENTITIES_SCHEMA = """
            {"type": "object", "properties": {"entities": {"type": "array", "items": {"type": "object", \
            "properties": {"entity": {"type": "string"}, "entity_type": {"type": "string"}}, \
            "required": ["entity", "entity_type"], "additionalProperties": false}}}, \
            "required": ["entities"], "additionalProperties": false}""";

    private static final String RELATION_ITEMS = """
            {"type": "array", "items": {"type": "object", "properties": {"source": {"type": "string"}, \
            "relationship": {"type": "string"}, "destination": {"type": "string"}}, \
            "required": ["source", "relationship", "destination"], "additionalProperties": false}}""";

    /** JSON Schema of the relations answer. */
    public static final String RELATIONS_SCHEMA = "{\"type\": \"object\", \"properties\": {\"relations\": "
            + RELATION_ITEMS + "}, \"required\": [\"relations\"], \"additionalProperties\": false}";

    /** JSON Schema of the outdated answer. */
    public static final String OUTDATED_SCHEMA = "{\"type\": \"object\", \"properties\": {\"outdated\": "
            + RELATION_ITEMS + "}, \"required\": [\"outdated\"], \"additionalProperties\": false}";
}
