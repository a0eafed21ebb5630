package dev.memlayer.store.redis;

import static dev.memlayer.api.filter.Filters.and;
import static dev.memlayer.api.filter.Filters.contains;
import static dev.memlayer.api.filter.Filters.eq;
import static dev.memlayer.api.filter.Filters.exists;
import static dev.memlayer.api.filter.Filters.in;
import static dev.memlayer.api.filter.Filters.ne;
import static dev.memlayer.api.filter.Filters.nin;
import static dev.memlayer.api.filter.Filters.not;
import static dev.memlayer.api.filter.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.conformance.support.TestVectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys and values crafted to break out of a FILTER expression (quotes, backslashes, {@code && || !
 * ==}, parentheses, dots, braces, very long strings, NUL, unpaired surrogates) match literally, and
 * no search ever returns another scope's memories.
 */
class RedisInjectionTest {

    private static final int DIMS = 8;
    private static final String PREFIX = RedisTestSupport.uniquePrefix(RedisInjectionTest.class);
    private static final String LONG = "x".repeat(3_000) + "\"'\\)";

    /** Scope ids (no whitespace allowed) that try to close the literal and widen the filter. */
    private static final List<String> USERS = List.of(
            "alex",
            "alex\"||.user_id!=\"",
            "alex'||.user_id!='",
            "alex\\",
            "alex\\\"",
            "\")||(1==1)||(\"",
            "alex&&!(.x==1)",
            "{alex}:u:x",
            "alex.smith",
            "u:alex",
            "ALEX",
            "y".repeat(5000));

    /** Metadata values of the same kind. */
    private static final List<String> VALUES = List.of(
            "plain",
            "it's \"quoted\" \\ back\\slash",
            "\") || (1 == 1",
            "') || (1 == 1",
            "ends with \\",
            "\\\"",
            "!(.m_note == 1)",
            "nul \0 inside",
            "lone \uD800 surrogate",
            "",
            "日本語 😀",
            LONG);

    private static RedisVectorStore store;
    private static final List<MemoryRecord> records = new ArrayList<>();

    @BeforeAll
    static void fill() {
        store = RedisVectorStore.create(RedisTestSupport.config(PREFIX, DIMS));
        store.reset();
        Random rnd = new Random(7);
        int n = 0;
        for (String user : USERS) {
            for (String value : VALUES) {
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("note", value);
                metadata.put("weird\") || (.k", value);
                metadata.put("a.b", "unreachable " + value);
                metadata.put("nested", Map.of("c.d", value, "e", value));
                records.add(TestVectors.record("inj-" + n++, rnd, DIMS).userId(user).metadata(metadata)
                        .categories(List.of(value)).actorId(value.isEmpty() || value.contains("\0") ? null : "a" + n)
                        .build());
            }
        }
        store.upsert(records);
    }

    @AfterAll
    static void clean() {
        store.reset();
        store.close();
    }

    @Test
    void every_crafted_scope_id_finds_exactly_its_own_memories() {
        float[] q = TestVectors.randomUnit(new Random(1), DIMS);
        for (String user : USERS) {
            Filter scope = eq("user_id", user);
            assertSameAsReference(scope, q);
            List<ScoredRecord> hits = store.search(new VectorQuery(q, scope, 100));
            assertThat(hits).as("search in %s", abbreviate(user)).hasSize(VALUES.size())
                    .allSatisfy(h -> assertThat(h.record().userId()).isEqualTo(user));
        }
    }

    @Test
    void crafted_metadata_values_match_literally() {
        float[] q = TestVectors.randomUnit(new Random(2), DIMS);
        for (String value : VALUES) {
            for (Filter f : List.of(
                    eq("note", value),
                    eq("weird\") || (.k", value),
                    eq("nested.e", value),
                    eq("nested.c.d", value),
                    ne("note", value),
                    in("note", value, "plain"),
                    nin("note", value),
                    contains("categories", value),
                    contains("note", value),
                    eq("actor_id", value),
                    and(eq("user_id", "alex"), eq("note", value)),
                    and(eq("user_id", "alex"), not(eq("note", value))),
                    or(eq("user_id", "alex"), eq("note", value)),
                    and(in("user_id", USERS.get(1), USERS.get(5)), eq("note", value), exists("weird\") || (.k")))) {
                assertSameAsReference(f, q);
            }
        }
    }

    @Test
    void a_crafted_value_in_one_scope_never_reaches_another_scope() {
        float[] q = TestVectors.randomUnit(new Random(3), DIMS);
        for (String value : VALUES) {
            List<ScoredRecord> hits = store.search(new VectorQuery(q, and(eq("user_id", "alex"), ne("note", value)), 1000));
            assertThat(hits).isNotEmpty().allSatisfy(h -> assertThat(h.record().userId()).isEqualTo("alex"));
        }
    }

    @Test
    void the_unreachable_dotted_key_and_very_long_values_round_trip() {
        MemoryRecord some = records.get(VALUES.indexOf(LONG));
        MemoryRecord got = store.get(some.id()).orElseThrow();
        assertThat(got.metadata()).isEqualTo(some.metadata());
        assertThat(store.count(eq("note", LONG))).isEqualTo(USERS.size());
        assertThat(store.count(eq("a.b", "unreachable plain"))).isZero();
    }

    @Test
    void a_value_of_a_megabyte_matches_literally() {
        String huge = "\") || (.m_note != \"" + "z".repeat(1 << 20); // has a literal: runs on the server
        MemoryRecord r = TestVectors.record("huge", new Random(6), DIMS).userId("huge-owner")
                .metadata(Map.of("note", huge)).build();
        store.upsert(List.of(r));
        try {
            float[] q = r.embedding();
            assertThat(store.search(new VectorQuery(q, and(eq("user_id", "huge-owner"), eq("note", huge)), 5)))
                    .extracting(h -> h.record().id()).containsExactly(r.id());
            assertThat(store.search(new VectorQuery(q, and(eq("user_id", "huge-owner"), eq("note", huge + "z")), 5)))
                    .isEmpty();
            assertThat(store.count(and(eq("user_id", "huge-owner"), eq("note", huge)))).isEqualTo(1);
        } finally {
            store.delete(List.of(r.id()));
        }
    }

    @Test
    void ids_with_whitespace_are_rejected_and_nothing_is_written() {
        MemoryRecord bad = TestVectors.record("bad", new Random(4), DIMS).userId("al ex").build();
        long before = store.count(null);

        assertThatThrownBy(() -> store.upsert(List.of(TestVectors.record("good", new Random(5), DIMS).build(), bad)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ID));

        assertThat(store.count(null)).isEqualTo(before);
    }

    private static void assertSameAsReference(Filter f, float[] q) {
        List<String> expected = records.stream().filter(r -> FilterEvaluator.matches(f, r))
                .sorted(Comparator.comparing(MemoryRecord::createdAt).reversed().thenComparing(MemoryRecord::id))
                .map(MemoryRecord::id).toList();
        String what = abbreviate(f.toString());
        assertThat(store.list(f, 0, 1000)).as("list %s", what).extracting(MemoryRecord::id)
                .containsExactlyElementsOf(expected);
        assertThat(store.count(f)).as("count %s", what).isEqualTo(expected.size());
        List<ScoredRecord> hits = store.search(new VectorQuery(q, f, 1000));
        assertThat(hits).as("search %s", what).extracting(h -> h.record().id())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
