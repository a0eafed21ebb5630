package dev.memlayer.api.spi;

import dev.memlayer.api.Scope;
import java.time.LocalDate;

/**
 * What an {@link LlmExtractor} needs to know besides the messages.
 *
 * @param target       whose facts to extract: the user's (from user messages) or the agent's (from
 *                     assistant messages)
 * @param scope        the scope being written
 * @param today        today's date (UTC), for resolving "yesterday" and for the prompt
 * @param customPrompt a caller-supplied prompt replacing the default instructions, or null
 */
public record ExtractionContext(Target target, Scope scope, LocalDate today, String customPrompt) {

    /** Whose facts are extracted (SPEC §2, step 1). */
    public enum Target {
        /** Facts about the user, from the user's messages only. */
        USER,
        /** Facts about the assistant/agent, from the assistant's messages. */
        AGENT
    }
}
