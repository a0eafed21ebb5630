package dev.memlayer.graph.internal;

import dev.memlayer.api.graph.ScoredEntity;
import dev.memlayer.api.graph.StoredRelation;
import java.util.Comparator;

/** The result orders of the {@link dev.memlayer.api.graph.GraphStore} contract, in one place. */
public final class GraphOrder {

    private GraphOrder() {
    }

    /** Score descending, then name, then exact scope ({@link GraphScopes#key}). */
    public static final Comparator<ScoredEntity> ENTITIES = Comparator.comparingDouble(ScoredEntity::score).reversed()
            .thenComparing(ScoredEntity::name)
            .thenComparing(e -> GraphScopes.key(e.scope()));

    private static final Comparator<StoredRelation> TRIPLE_THEN_ID = Comparator.comparing(StoredRelation::source)
            .thenComparing(StoredRelation::relationship)
            .thenComparing(StoredRelation::destination)
            .thenComparing(r -> GraphScopes.key(r.scope()))
            .thenComparing(StoredRelation::id);

    /** In the order they were added: createdAt ascending, then source, relationship, destination, scope, id. */
    public static final Comparator<StoredRelation> OLDEST_FIRST = Comparator.comparing(StoredRelation::createdAt)
            .thenComparing(TRIPLE_THEN_ID);

    /** Newest first: createdAt descending, then source, relationship, destination, scope, id. */
    public static final Comparator<StoredRelation> NEWEST_FIRST = Comparator.comparing(StoredRelation::createdAt)
            .reversed().thenComparing(TRIPLE_THEN_ID);
}
