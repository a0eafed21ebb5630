package dev.memlayer.api.graph;

import dev.memlayer.api.Scope;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What a {@link GraphExtractor} needs to know besides the text.
 *
 * @param scope    the scope being written or searched
 * @param selfName the entity name that stands for the speaker's self-references ("I", "me", "my"):
 *                 the scope's user id, else its agent id, else its run id (Mem0 uses the user id)
 * @param today    today's date (UTC)
 */
public record GraphContext(Scope scope, String selfName, LocalDate today) {
    public GraphContext {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(selfName, "selfName");
        Objects.requireNonNull(today, "today");
    }

    /** @return the context for a scope: self name from the user, agent or run id */
    public static GraphContext of(Scope scope, LocalDate today) {
        String self = scope.userId() != null ? scope.userId() : scope.agentId() != null ? scope.agentId()
                : scope.runId() != null ? scope.runId() : "user";
        return new GraphContext(scope, self, today);
    }
}
