package dev.memlayer.store.redis.internal;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Operator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which entities' vector sets and indexes hold every record a filter can match: the partitions a
 * search, list or count must look at. Every memory is indexed under each of its scope ids, so
 * {@code user_id = alex} is answered from alex's partition alone, whatever agent or run the
 * memories also carry; {@code user_id = alex AND agent_id = travel} from the smaller of the two;
 * {@code user_id IN (a, b)} or an OR of scopes from the union.
 */
public sealed interface Cover {

    /** The records are all in the union of these entities' partitions (empty: nothing matches). */
    record Tags(Set<String> tags) implements Cover {
    }

    /** Any one of the alternatives holds them all (the parts of an AND); pick the cheapest. */
    record Choice(List<Cover> alternatives) implements Cover {
    }

    /** The union of the parts holds them (the parts of an OR). */
    record Union(List<Cover> parts) implements Cover {
    }

    /**
     * @param filter a filter, or null
     * @return the cover, or null when the filter does not confine the records to named entities
     */
    static Cover of(Filter filter) {
        if (filter == null) {
            return null;
        }
        return switch (filter) {
            case Filter.Comparison c when isScope(c.field()) && c.operator() == Operator.EQ ->
                    new Tags(c.value() instanceof String s ? Set.of(Keys.tag(c.field(), s)) : Set.of());
            case Filter.Comparison c when isScope(c.field()) && c.operator() == Operator.IN -> {
                Set<String> tags = new LinkedHashSet<>();
                for (Object v : (List<?>) c.value()) {
                    if (v instanceof String s) {
                        tags.add(Keys.tag(c.field(), s));
                    }
                }
                yield new Tags(tags);
            }
            case Filter.And and -> {
                List<Cover> alternatives = new ArrayList<>();
                for (Filter f : and.filters()) {
                    Cover c = of(f);
                    if (c != null) {
                        alternatives.add(c);
                    }
                }
                yield alternatives.isEmpty() ? null : alternatives.size() == 1 ? alternatives.get(0) : new Choice(alternatives);
            }
            case Filter.Or or -> {
                List<Cover> parts = new ArrayList<>();
                for (Filter f : or.filters()) {
                    Cover c = of(f);
                    if (c == null) {
                        yield null;
                    }
                    parts.add(c);
                }
                yield new Union(parts);
            }
            default -> null;
        };
    }

    private static boolean isScope(String field) {
        return FilterFields.USER_ID.equals(field) || FilterFields.AGENT_ID.equals(field)
                || FilterFields.RUN_ID.equals(field);
    }

    /** Adds every tag the cover mentions to {@code out}. */
    static void collect(Cover cover, Collection<String> out) {
        switch (cover) {
            case Tags t -> out.addAll(t.tags());
            case Choice c -> c.alternatives().forEach(a -> collect(a, out));
            case Union u -> u.parts().forEach(p -> collect(p, out));
        }
    }

    /**
     * Picks the partitions to read: for a choice the alternative with the fewest records in total
     * (the first on ties).
     *
     * @param sizes number of records per tag (missing = 0)
     * @return the tags to read
     */
    static Set<String> resolve(Cover cover, Map<String, Long> sizes) {
        return switch (cover) {
            case Tags t -> t.tags();
            case Union u -> {
                Set<String> all = new LinkedHashSet<>();
                for (Cover p : u.parts()) {
                    all.addAll(resolve(p, sizes));
                }
                yield all;
            }
            case Choice c -> {
                Set<String> best = null;
                long bestSize = Long.MAX_VALUE;
                for (Cover a : c.alternatives()) {
                    Set<String> tags = resolve(a, sizes);
                    long size = 0;
                    for (String t : tags) {
                        size += sizes.getOrDefault(t, 0L);
                    }
                    if (size < bestSize) {
                        best = tags;
                        bestSize = size;
                    }
                }
                yield best;
            }
        };
    }

    /**
     * @return the scope fields every record in a tag's partition has: {@code user_id -> alex} for
     *         {@code u:alex}
     */
    static Map<String, String> known(String tag) {
        var type = Keys.typeOf(tag);
        return type == null ? Map.of() : Map.of(type.field(), Keys.idOf(tag));
    }

    /**
     * @return whether a filter is exactly "member of this one partition" (then an index can be
     *         paged without looking at the records)
     */
    static boolean isExactlyPartition(Filter filter, Set<String> tags) {
        return filter instanceof Filter.Comparison c && isScope(c.field()) && c.operator() == Operator.EQ
                && c.value() instanceof String s && tags.size() == 1 && tags.contains(Keys.tag(c.field(), s));
    }
}
