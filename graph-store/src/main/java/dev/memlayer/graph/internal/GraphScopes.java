package dev.memlayer.graph.internal;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Scope;
import dev.memlayer.api.ValidationException;

/**
 * Scope rules of the {@link dev.memlayer.api.graph.GraphStore} contract: things are stored in an
 * exact scope, and a scope used to read or delete matches every stored scope that has each id it sets.
 */
public final class GraphScopes {

    private GraphScopes() {
    }

    /**
     * @param query  the scope of a read or delete
     * @param stored the exact scope something is stored in
     * @return true when every id set in {@code query} equals the stored one
     */
    public static boolean matches(Scope query, Scope stored) {
        return (query.userId() == null || query.userId().equals(stored.userId()))
                && (query.agentId() == null || query.agentId().equals(stored.agentId()))
                && (query.runId() == null || query.runId().equals(stored.runId()));
    }

    /**
     * The exact scope as one string, {@code u:<user> a:<agent> r:<run>} with empty parts for missing
     * ids. Unambiguous because ids never contain white space (SPEC §1). Also the tie-break order of
     * entities with the same score and name.
     */
    public static String key(Scope scope) {
        return "u:" + nz(scope.userId()) + " a:" + nz(scope.agentId()) + " r:" + nz(scope.runId());
    }

    /**
     * The unique key of an entity: collection, exact scope and name.
     *
     * @param collection a collection name without white space
     */
    public static String entityKey(String collection, Scope scope, String name) {
        return collection + " " + key(scope) + " " + name;
    }

    /**
     * @throws ValidationException ({@link ErrorCode#MISSING_SCOPE}) for a null or empty scope
     */
    public static Scope require(Scope scope, String operation) {
        if (scope == null || scope.isEmpty()) {
            throw new ValidationException(ErrorCode.MISSING_SCOPE,
                    operation + " needs a scope with a user_id, agent_id or run_id");
        }
        return scope;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
