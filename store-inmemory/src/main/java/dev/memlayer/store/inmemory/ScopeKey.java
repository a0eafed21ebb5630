package dev.memlayer.store.inmemory;

import dev.memlayer.api.spi.MemoryRecord;

/**
 * The exact scope of a record, the key of its {@link Partition}: every record lives in the one
 * partition of its (user_id, agent_id, run_id) combination.
 *
 * @param userId  user id or null
 * @param agentId agent id or null
 * @param runId   run id or null
 */
record ScopeKey(String userId, String agentId, String runId) {

    static ScopeKey of(MemoryRecord record) {
        return new ScopeKey(record.userId(), record.agentId(), record.runId());
    }

    /**
     * @param field {@code user_id}, {@code agent_id} or {@code run_id}
     * @return this key's id for the field, may be null
     */
    String get(String field) {
        return switch (field) {
            case "user_id" -> userId;
            case "agent_id" -> agentId;
            case "run_id" -> runId;
            default -> throw new IllegalArgumentException("not a scope field: " + field);
        };
    }
}
