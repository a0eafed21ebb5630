package dev.memlayer.api.graph;

import dev.memlayer.api.Relation;
import java.util.List;

/**
 * The LLM side of graph memory (Mem0's entity, relation and delete-relation calls). memory-core's
 * default implementation builds on the configured {@link dev.memlayer.api.spi.LanguageModel} with
 * memlayer's prompts; users may plug their own. The engine normalises every name, type and
 * relationship an extractor returns (lower case, white space as {@code _}). Implementations throw
 * {@link dev.memlayer.api.LlmException} for an answer they cannot read — never an empty result
 * standing in for an error.
 */
public interface GraphExtractor {

    /**
     * The entities a text mentions, with their types. Self-references of the speaker ("I", "me",
     * "my") are the entity {@link GraphContext#selfName()}. For a question, the entities it asks about
     * (the question is not answered).
     *
     * @param text    the conversation as {@code <role>: <content>} lines, or a search query
     * @param context the scope and self name
     * @return the entities, possibly empty
     */
    List<ExtractedEntity> extractEntities(String text, GraphContext context);

    /**
     * The relations the text states among the entities.
     *
     * @param text     the same text
     * @param entities the entities extracted from it
     * @param context  the scope and self name
     * @return relations {@code source --relationship--> destination}, possibly empty
     */
    List<Relation> establishRelations(String text, List<ExtractedEntity> entities, GraphContext context);

    /**
     * Which existing relations the new information makes outdated or contradicts (e.g. "Alice gave Rex
     * to Bob" outdates {@code alice --owns--> rex}). Relations that can both be true stay.
     *
     * @param existing     the existing (valid) relations around the text's entities
     * @param newRelations the relations established from the text
     * @param text         the text
     * @param context      the scope and self name
     * @return the outdated relations, each one of {@code existing}; the engine ignores any other
     */
    List<Relation> findOutdated(List<Relation> existing, List<Relation> newRelations, String text,
                                GraphContext context);
}
