package dev.memlayer.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who a memory belongs to (SPEC §1): any non-empty combination of {@code user_id},
 * {@code agent_id} and {@code run_id}. All ids given are stored and, when filtering, ANDed.
 * "Long-term" memories are scoped by user and/or agent; "short-term" (session) memories also carry
 * a run id.
 *
 * <p>Ids are trimmed; an empty id or one with whitespace or control characters is rejected. A scope
 * with no id at all exists ({@link #none()}) for requests that name the scope in a filter instead;
 * operations that need a scope reject it.
 *
 * @param userId  the user, or null
 * @param agentId the agent, or null
 * @param runId   the run (session), or null
 */
public record Scope(String userId, String agentId, String runId) {

    private static final Scope NONE = new Scope(null, null, null);

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ID}) for a blank id or one with
     *                             whitespace or control characters
     */
    public Scope {
        userId = Ids.optional("user_id", userId);
        agentId = Ids.optional("agent_id", agentId);
        runId = Ids.optional("run_id", runId);
    }

    /** @return the empty scope (no ids) */
    public static Scope none() {
        return NONE;
    }

    /** @return a scope with only a user id */
    public static Scope user(String userId) {
        return new Scope(Ids.require("user_id", userId), null, null);
    }

    /** @return a scope with only an agent id */
    public static Scope agent(String agentId) {
        return new Scope(null, Ids.require("agent_id", agentId), null);
    }

    /** @return a scope with only a run id */
    public static Scope run(String runId) {
        return new Scope(null, null, Ids.require("run_id", runId));
    }

    /** @return a copy with the user id set */
    public Scope withUser(String id) {
        return new Scope(Ids.require("user_id", id), agentId, runId);
    }

    /** @return a copy with the agent id set */
    public Scope withAgent(String id) {
        return new Scope(userId, Ids.require("agent_id", id), runId);
    }

    /** @return a copy with the run id set */
    public Scope withRun(String id) {
        return new Scope(userId, agentId, Ids.require("run_id", id));
    }

    /** @return true when no id is set */
    public boolean isEmpty() {
        return userId == null && agentId == null && runId == null;
    }

    /**
     * @return the ids that are set, keyed by their wire names ({@code user_id}, {@code agent_id},
     *         {@code run_id}), in that order
     */
    public Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        if (userId != null) {
            map.put("user_id", userId);
        }
        if (agentId != null) {
            map.put("agent_id", agentId);
        }
        if (runId != null) {
            map.put("run_id", runId);
        }
        return map;
    }

    @Override
    public String toString() {
        return "Scope" + asMap();
    }
}
