package dev.memlayer.store.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorQuery;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Filters whose keys and values are crafted to break out of SQL, jsonb paths or LIKE patterns:
 * every one either matches literally (exactly what the reference evaluator says) or fails with a
 * {@link ValidationException}; the table survives; no other scope's rows come back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgInjectionTest {

    private final List<MemoryRecord> records = new ArrayList<>();
    private PgVectorConfig config;
    private PgVectorStore store;
    private List<String> hostile;
    private String canary;

    @BeforeAll
    void load() throws Exception {
        config = PgTestSupport.config("inject", 4).build();
        store = PgVectorStore.create(config);
        String table = "\"" + config.schema() + "\".\"" + config.table() + "\"";
        canary = config.table() + "_canary";
        hostile = List.of("'", "\"", "''", "'; DROP TABLE " + table + "; --", "x' OR '1'='1", "$1", "$$", "?", "?|",
                "::text", "$.a[*] ? (@ > 1)", "$.\"k\"", "@>", "{a,b}", "[1,2]", "null", "true", "1", "\\", "\\'", "\\\\",
                "%", "_", "%_\\", "a%b_c", "Robert'); DROP TABLE students;--", "E'\\x27'", "\u2028", "😀", "ΣΟΦΙΑ",
                "a\u0000b", "\u0000", "x".repeat(20_000) + "'", "' || pg_sleep(5) || '", "*", "", " ",
                "'); DROP TABLE " + canary + "; --");
        Instant t = Instant.parse("2024-07-20T10:00:00Z");
        int i = 0;
        for (String owner : List.of("victim", "attacker")) {
            for (String h : hostile) {
                String stored = h.replace("\u0000", "0"); // PostgreSQL text cannot hold NUL: store a neighbour
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put(stored, stored);
                metadata.put("v", stored);
                metadata.put("list", List.of(stored, 1L));
                records.add(MemoryRecord.builder().id(owner + "-" + i++).memory("text " + stored).hash("h")
                        .embedding(new float[] {1, 0, 0, 0}).metadata(metadata).categories(List.of(stored))
                        .createdAt(t).updatedAt(t).userId(owner).actorId(stored).build());
            }
        }
        store.upsert(records);
        try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + canary + " (name text)");
        }
    }

    @AfterAll
    void drop() throws Exception {
        store.close();
        PgTestSupport.drop(config);
        try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + canary);
        }
    }

    @Test
    void hostile_keys_and_values_match_literally_or_are_rejected_and_never_leak_other_scopes() throws Exception {
        int compared = 0;
        int rejected = 0;
        for (String h : hostile) {
            for (Function<String, Filter> make : filters()) {
                Filter f;
                try {
                    f = Filters.and(Filters.eq("user_id", "attacker"), make.apply(h));
                } catch (ValidationException invalidName) {
                    rejected++; // e.g. "" or " " as a field name: refused by the AST itself
                    continue;
                }
                List<String> expected = records.stream().filter(r -> FilterEvaluator.matches(f, r))
                        .map(MemoryRecord::id).sorted().toList();
                List<String> actual;
                try {
                    actual = store.list(f, 0, 1000).stream().map(MemoryRecord::id).sorted().toList();
                    assertThat(store.count(f)).isEqualTo(expected.size());
                    if (compared % 3 == 0) {
                        assertThat(store.search(new VectorQuery(new float[] {1, 0, 0, 0}, f, 1000))).hasSize(expected.size());
                    }
                } catch (ValidationException e) {
                    assertThat(e.code()).isIn(ErrorCode.UNSUPPORTED_FILTER, ErrorCode.INVALID_FILTER);
                    rejected++;
                    continue;
                }
                assertThat(actual).as("filter %s", abbreviate(f)).isEqualTo(expected);
                assertThat(actual).allSatisfy(id -> assertThat(id).startsWith("attacker-"));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(500);
        assertThat(store.count(null)).isEqualTo(records.size());
        try (Connection c = PgTestSupport.connect(config); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT to_regclass('" + canary + "') IS NOT NULL");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).as("the canary table survives").isTrue();
        }
    }

    @Test
    void a_hostile_value_matches_its_own_record_literally() {
        for (String h : List.of("Robert'); DROP TABLE students;--", "'); DROP TABLE " + canary + "; --", "x' OR '1'='1", "%",
                "_", "\\", "$1", "$.a[*] ? (@ > 1)")) {
            List<String> byKey = store.list(Filters.and(Filters.eq("user_id", "attacker"), Filters.eq(h, h)), 0, 10)
                    .stream().map(MemoryRecord::id).toList();
            List<String> byContains = store.list(Filters.and(Filters.eq("user_id", "attacker"),
                    Filters.contains("memory", h)), 0, 100).stream().map(MemoryRecord::id).toList();
            assertThat(byKey).as("metadata %s", h).hasSize(h.contains(".") ? 0 : 1);
            assertThat(byContains).as("memory contains %s", h).isNotEmpty();
        }
        assertThat(store.count(Filters.contains("memory", "%"))).isEqualTo(
                records.stream().filter(r -> r.memory().contains("%")).count());
    }

    @Test
    void an_unpaired_surrogate_is_rejected_as_unsupported() {
        for (Filter f : List.of(Filters.eq("memory", "a\uD800"), Filters.eq("k\uDC00", 1), Filters.gt("v", "\uD800"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.list(f, 0, 10))
                    .isInstanceOfSatisfying(ValidationException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_FILTER));
        }
    }

    private static List<Function<String, Filter>> filters() {
        return List.of(
                h -> Filters.eq(h, h),
                h -> Filters.ne(h, h),
                h -> Filters.gt(h, h),
                h -> Filters.lte(h, h),
                h -> Filters.in(h, h, 1L),
                h -> Filters.nin(h, List.of(h)),
                h -> Filters.contains(h, h),
                h -> Filters.icontains(h, h),
                Filters::exists,
                h -> Filters.eq("v", h),
                h -> Filters.contains("v", h),
                h -> Filters.icontains("v", h),
                h -> Filters.gte("v", h),
                h -> Filters.contains("list", h),
                h -> Filters.in("list", h),
                h -> Filters.eq("memory", h),
                h -> Filters.contains("memory", h),
                h -> Filters.icontains("memory", h),
                h -> Filters.lt("memory", h),
                h -> Filters.contains("categories", h),
                h -> Filters.icontains("categories", h),
                h -> Filters.in("actor_id", h, "victim"),
                h -> Filters.eq("user_id", h),
                h -> Filters.eq("metadata." + h + ".x", h));
    }

    private static String abbreviate(Filter f) {
        String s = f.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
