package dev.memlayer.api.spi;

import dev.memlayer.api.Message;
import java.util.List;

/**
 * The memory-specific reasoning of {@code add} (SPEC §2). memory-core's default implementation
 * builds on any {@link LanguageModel} with memlayer's own prompts; users may plug their own.
 * Implementations throw {@link dev.memlayer.api.LlmException} for an answer they cannot parse —
 * never an empty result standing in for an error.
 */
public interface LlmExtractor {

    /**
     * LLM call 1: the durable facts in a conversation.
     *
     * @param conversation the messages (system messages included, as context)
     * @param context      whose facts, the scope, today's date, an optional custom prompt
     * @return the facts, possibly empty when there is nothing worth remembering
     */
    List<Fact> extractFacts(List<Message> conversation, ExtractionContext context);

    /**
     * LLM call 2: decide ADD, UPDATE, DELETE or NONE for new facts against existing memories.
     *
     * @param existing the candidate memories with small integer ids
     * @param facts    the newly extracted facts
     * @param context  the same context as extraction
     * @return the actions; ids of UPDATE/DELETE/NONE refer to {@code existing}
     */
    List<MemoryAction> reconcile(List<ExistingMemory> existing, List<Fact> facts, ExtractionContext context);

    /**
     * Procedural memory: summarise an agent's conversation as an execution history (task, steps,
     * results).
     *
     * @return the summary text, not blank
     */
    String summarizeProcedure(List<Message> conversation, ExtractionContext context);
}
