package dev.memlayer.api.filter;

import java.util.Map;

/**
 * Something a {@link FilterEvaluator} can test: a stored memory, seen through its reserved fields and
 * its metadata.
 */
public interface Filterable {

    /**
     * The value of a reserved field ({@link FilterFields#RESERVED}).
     *
     * @param field a reserved field name
     * @return null when absent; otherwise a {@link String} (ids, text, hash, role, memory_type,
     *         expiration_date as {@code yyyy-MM-dd}), a {@link java.time.Instant} (created_at,
     *         updated_at), a {@code List<String>} (categories) or a {@link Boolean} (immutable)
     */
    Object reservedValue(String field);

    /** @return the metadata as JSON-like values (String, Number, Boolean, null, List, Map); may be empty */
    Map<String, Object> metadata();
}
