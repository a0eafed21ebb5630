package dev.memlayer.api;

import dev.memlayer.api.filter.Filter;

/**
 * The input of {@link Memory#search} (SPEC §3).
 *
 * @param query          the natural-language query, not blank
 * @param scope          the scope to search; may be empty when {@code filter} names a scope id
 * @param filter         an additional filter, ANDed with the scope, or null
 * @param limit          top-k: the maximum number of results, 1 to {@value #MAX_LIMIT}; default
 *                       {@value #DEFAULT_LIMIT} (Mem0's)
 * @param threshold      minimum similarity in [0,1], or null for none
 * @param rerank         accepted and currently a no-op: memlayer has no reranker SPI yet, so results
 *                       keep their similarity order whatever the value (Mem0 OSS likewise reranks only
 *                       when a reranker is configured); the engine logs it once, at DEBUG
 * @param includeExpired true to include memories past their expiration date
 */
public record SearchRequest(String query, Scope scope, Filter filter, int limit, Double threshold, boolean rerank,
                            boolean includeExpired) {

    /** Mem0's default top-k for search. */
    public static final int DEFAULT_LIMIT = 100;
    /** The largest accepted top-k. */
    public static final int MAX_LIMIT = 10_000;

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a blank query, a limit
     *                             outside [1, {@value #MAX_LIMIT}] or a threshold outside [0,1]
     */
    public SearchRequest {
        if (query == null || query.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "search needs a non-blank query");
        }
        scope = scope == null ? Scope.none() : scope;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (threshold != null && (threshold.isNaN() || threshold < 0 || threshold > 1)) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                    "threshold is a similarity in [0,1], got " + threshold);
        }
    }

    /** @return a request with default limit and no threshold */
    public static SearchRequest of(String query, Scope scope) {
        return builder(query).scope(scope).build();
    }

    /** @return a builder for the query */
    public static Builder builder(String query) {
        return new Builder(query);
    }

    /** Builds {@link SearchRequest}s. */
    public static final class Builder {
        private final String query;
        private Scope scope = Scope.none();
        private Filter filter;
        private int limit = DEFAULT_LIMIT;
        private Double threshold;
        private boolean rerank;
        private boolean includeExpired;

        private Builder(String query) {
            this.query = query;
        }

        public Builder scope(Scope value) {
            scope = value;
            return this;
        }

        public Builder filter(Filter value) {
            filter = value;
            return this;
        }

        public Builder limit(int value) {
            limit = value;
            return this;
        }

        public Builder threshold(Double value) {
            threshold = value;
            return this;
        }

        public Builder rerank(boolean value) {
            rerank = value;
            return this;
        }

        public Builder includeExpired(boolean value) {
            includeExpired = value;
            return this;
        }

        public SearchRequest build() {
            return new SearchRequest(query, scope, filter, limit, threshold, rerank, includeExpired);
        }
    }
}
