package dev.memlayer.api;

/**
 * Stable codes carried by {@link ValidationException}. Codes are part of the public contract: they
 * never change meaning, so callers may switch on them (and a REST layer may return them).
 */
public enum ErrorCode {
    /** No user_id, agent_id or run_id was given where one is required (SPEC §1). */
    MISSING_SCOPE,
    /** An id is null, empty, or contains whitespace or control characters (SPEC §1). */
    INVALID_ID,
    /** Metadata tries to set an identity key such as user_id or role (SPEC §1). */
    RESERVED_METADATA_KEY,
    /** A filter names an operator that does not exist (SPEC §4). */
    UNKNOWN_OPERATOR,
    /** A filter is malformed: wrong value shape, empty AND/OR, bad date (SPEC §4). */
    INVALID_FILTER,
    /** A backend cannot evaluate a filter value faithfully (e.g. a NUL byte in SQL text). */
    UNSUPPORTED_FILTER,
    /** A batch holds more than the allowed number of items (SPEC §5). */
    BATCH_TOO_LARGE,
    /** A batch names ids that do not exist or are immutable; nothing was changed (SPEC §5). */
    INVALID_BATCH,
    /** Messages are missing, empty, or have an unknown role (SPEC §2). */
    INVALID_MESSAGES,
    /** infer=true or procedural memory was asked for but no language model is configured. */
    LLM_NOT_CONFIGURED,
    /** A paging argument is out of range (SPEC §5). */
    INVALID_PAGE,
    /** Any other argument out of its documented range (limit, threshold, timestamp, ...). */
    INVALID_ARGUMENT,
    /** A vector's dimension does not match the store or embedder. */
    DIMENSION_MISMATCH,
    /** A configuration value is missing or wrong. */
    INVALID_CONFIGURATION
}
