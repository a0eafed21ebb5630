package dev.memlayer.benchmarks.data;

import dev.memlayer.api.Scope;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.Filters;
import java.util.Locale;

/**
 * The search workloads: which dataset, which scope, and optionally a metadata filter. Sizes are the
 * full ones divided by a divisor (1 for benchmarks; larger in the smoke test).
 */
public enum SearchCase {

    /** One user's 1,000 memories among 100,000 (90 users of 1,000 and one of 10,000). */
    SCOPED_1K("scoped-1k"),
    /** One user's 10,000 memories among 100,000. */
    SCOPED_10K("scoped-10k"),
    /** Every memory of a 10,000-memory store (10 users of 1,000), no scope. */
    UNSCOPED_10K("unscoped-10k"),
    /** Every memory of the 100,000-memory store, no scope. */
    UNSCOPED_100K("unscoped-100k");

    /** The metadata filter of the "with filter" variants: selects 1/8 of the memories. */
    public static final Filter METADATA_FILTER = Filters.eq("metadata.topic", "travel");

    private final String label;

    SearchCase(String label) {
        this.label = label;
    }

    /** @return the JMH parameter value, e.g. {@code scoped-10k} */
    public String label() {
        return label;
    }

    /**
     * @param label a {@link #label()}
     * @return the case
     * @throws IllegalArgumentException for an unknown label
     */
    public static SearchCase parse(String label) {
        for (SearchCase c : values()) {
            if (c.label.equals(label.strip().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown search case '" + label + "'; use scoped-1k, scoped-10k, "
                + "unscoped-10k or unscoped-100k");
    }

    /**
     * @param distribution how vectors are drawn
     * @param divisor      1 for the full sizes
     * @return the dataset the case searches
     */
    public Dataset dataset(Distribution distribution, int divisor) {
        return this == UNSCOPED_10K
                ? Dataset.of(10_000 / divisor, 0, 1_000 / divisor, distribution)
                : Dataset.of(100_000 / divisor, 10_000 / divisor, 1_000 / divisor, distribution);
    }

    /** @return the scope searched in the dataset, {@link Scope#none()} for unscoped cases */
    public Scope scope(Dataset dataset) {
        return switch (this) {
            case SCOPED_1K -> Scope.user(dataset.smallUser());
            case SCOPED_10K -> Scope.user(Dataset.LARGE_USER);
            case UNSCOPED_10K, UNSCOPED_100K -> Scope.none();
        };
    }

    /** @return how many memories the case searches before any metadata filter */
    public int candidates(Dataset dataset) {
        return switch (this) {
            case SCOPED_1K -> dataset.smallScope();
            case SCOPED_10K -> dataset.largeScope();
            case UNSCOPED_10K, UNSCOPED_100K -> dataset.size();
        };
    }

    /**
     * @param dataset  the case's dataset
     * @param metadata true to AND {@link #METADATA_FILTER}
     * @return the store filter, or null for an unscoped search without metadata filter
     */
    public Filter filter(Dataset dataset, boolean metadata) {
        return Filters.allOf(Filters.scope(scope(dataset)), metadata ? METADATA_FILTER : null);
    }
}
