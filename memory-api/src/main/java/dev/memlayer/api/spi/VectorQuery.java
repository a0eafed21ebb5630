package dev.memlayer.api.spi;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;

/**
 * A nearest-neighbour query: the {@code limit} records most similar to {@code vector} among those
 * matching {@code filter}.
 *
 * @param vector a unit-length query vector of the store's dimension
 * @param filter the records to consider (scope ids included), or null for all
 * @param limit  top-k, at least 1
 */
public record VectorQuery(float[] vector, Filter filter, int limit) {
    public VectorQuery {
        if (vector == null || vector.length == 0) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "a vector query needs a non-empty vector");
        }
        if (limit < 1) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "limit must be at least 1, got " + limit);
        }
    }
}
