package dev.memlayer.conformance.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.memlayer.api.spi.MemoryRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Field-by-field comparison of {@link MemoryRecord}s with a message that names every differing
 * field. Embeddings are compared within {@value #EMBEDDING_TOLERANCE} per component, since a backend
 * may print and parse floats.
 *
 * <p>(Deliberately not AssertJ's {@code SoftAssertions}: their proxies take seconds to generate on
 * first use.)
 */
public final class RecordAssertions {

    /** Largest difference allowed per embedding component after a round trip. */
    public static final double EMBEDDING_TOLERANCE = 1e-6;

    private RecordAssertions() {
    }

    /**
     * Asserts that every field of {@code actual} equals the one of {@code expected}: exact equality
     * for text, hash, ids, role, memory_type, immutable, expiration_date and instants, {@link
     * Object#equals} for metadata (so {@code Long 1} differs from {@code Double 1.0}) and
     * categories (order kept).
     *
     * @param actual           what the store returned
     * @param expected         what was stored
     * @param compareEmbedding whether the embedding must be present and equal (within tolerance);
     *                         when false it is not looked at (list/search may omit it)
     */
    public static void assertSameRecord(MemoryRecord actual, MemoryRecord expected, boolean compareEmbedding) {
        assertThat(actual).as("record %s", expected.id()).isNotNull();
        List<String> diffs = new ArrayList<>();
        check(diffs, "id", actual.id(), expected.id());
        check(diffs, "memory", actual.memory(), expected.memory());
        check(diffs, "hash", actual.hash(), expected.hash());
        check(diffs, "metadata", actual.metadata(), expected.metadata());
        check(diffs, "categories", actual.categories(), expected.categories());
        check(diffs, "created_at", actual.createdAt(), expected.createdAt());
        check(diffs, "updated_at", actual.updatedAt(), expected.updatedAt());
        check(diffs, "user_id", actual.userId(), expected.userId());
        check(diffs, "agent_id", actual.agentId(), expected.agentId());
        check(diffs, "run_id", actual.runId(), expected.runId());
        check(diffs, "actor_id", actual.actorId(), expected.actorId());
        check(diffs, "role", actual.role(), expected.role());
        check(diffs, "memory_type", actual.memoryType(), expected.memoryType());
        check(diffs, "immutable", actual.immutable(), expected.immutable());
        check(diffs, "expiration_date", actual.expirationDate(), expected.expirationDate());
        if (compareEmbedding) {
            float[] a = actual.embedding();
            float[] e = expected.embedding();
            if (a == null) {
                diffs.add("embedding: missing");
            } else if (e != null && a.length != e.length) {
                diffs.add("embedding: length " + a.length + ", expected " + e.length);
            } else if (e != null) {
                for (int i = 0; i < e.length; i++) {
                    if (!(Math.abs(a[i] - e[i]) <= EMBEDDING_TOLERANCE)) {
                        diffs.add("embedding[" + i + "]: " + a[i] + ", expected " + e[i]);
                        break;
                    }
                }
            }
        }
        if (!diffs.isEmpty()) {
            fail("record " + expected.id() + " did not round-trip:\n  " + String.join("\n  ", diffs));
        }
    }

    private static void check(List<String> diffs, String field, Object actual, Object expected) {
        if (!Objects.equals(actual, expected)) {
            diffs.add(field + ": " + describe(actual) + ", expected " + describe(expected));
        }
    }

    private static String describe(Object value) {
        return value instanceof String ? FilterPrinter.literal(value) : FilterPrinter.literal(value)
                + (value == null ? "" : " (" + value.getClass().getSimpleName() + ")");
    }
}
