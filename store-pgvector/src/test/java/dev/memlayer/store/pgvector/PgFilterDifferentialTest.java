package dev.memlayer.store.pgvector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Role;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.filter.Operator;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.VectorQuery;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Seeded random filters over records with awkward values (type mixtures, unicode case pairs,
 * LIKE metacharacters, nested and list metadata, nanosecond timestamps): the SQL compiled by
 * {@code PgFilterCompiler} must select exactly the records {@link FilterEvaluator} selects.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgFilterDifferentialTest {

    private static final int DIMS = 4;
    private static final String[] TEXTS = {"I like Tea", "i LIKE tea", "ΟΔΟΣ and σοφία", "İstanbul trip", "straße",
        "100% sure_thing", "back\\slash", "", "Tea", "tea time", "ÀÉÎ café", "emoji 😀 here", "a'b\"c", "1", "2.5",
        "Ᲊ new letter"};
    private static final String[] IDS = {"alex", "bob", "Alex", "carol"};
    private static final String[] CATEGORIES = {"food", "Food", "travel", "work", "ΣΟΦΙΑ", "100%"};
    private static final Object[] SCALARS = {1L, 1.0, 2L, 2.5, -3L, 0L, 1e20, new BigDecimal("2.50"), "1", "a", "A", "b",
        "tea", "Tea", "", "%", "_", "\\", "zeta", "Zeta", "é", true, false};

    private final Random random = new Random(20240711);
    private final List<MemoryRecord> records = new ArrayList<>();
    private PgVectorConfig config;
    private PgVectorStore store;

    @BeforeAll
    void load() {
        config = PgTestSupport.config("filterdiff", DIMS).build();
        store = PgVectorStore.create(config);
        Instant base = Instant.parse("2024-07-20T00:00:00Z");
        for (int i = 0; i < 240; i++) {
            Instant created = base.plusSeconds(random.nextInt(40) * 3600L - 20 * 3600L).plusNanos(random.nextInt(3) * 1_000L
                    + (random.nextBoolean() ? 1 : 0));
            MemoryRecord.Builder b = MemoryRecord.builder()
                    .id(String.format("r%03d", i))
                    .memory(pick(TEXTS))
                    .hash(random.nextInt(5) == 0 ? null : "h" + random.nextInt(4))
                    .embedding(new float[] {1, 0, 0, i})
                    .createdAt(created)
                    .updatedAt(created.plusSeconds(random.nextInt(3)))
                    .userId(random.nextInt(6) == 0 ? null : pick(IDS))
                    .agentId(random.nextInt(2) == 0 ? null : pick(IDS))
                    .runId(random.nextInt(3) == 0 ? "run" + random.nextInt(3) : null)
                    .actorId(random.nextInt(3) == 0 ? pick(IDS) : null)
                    .role(random.nextInt(3) == 0 ? null : random.nextBoolean() ? Role.USER : Role.ASSISTANT)
                    .memoryType(random.nextInt(5) == 0 ? MemoryType.PROCEDURAL : null)
                    .immutable(random.nextInt(4) == 0)
                    .expirationDate(random.nextInt(3) == 0 ? LocalDate.of(2024, 7, 1 + random.nextInt(30)) : null)
                    .categories(randomCategories())
                    .metadata(randomMetadata());
            records.add(b.build());
        }
        store.upsert(records);
    }

    @AfterAll
    void drop() {
        store.close();
        PgTestSupport.drop(config);
    }

    @Test
    void random_filters_select_exactly_what_the_reference_evaluator_selects() {
        int compared = 0;
        for (int i = 0; i < 900; i++) {
            Filter filter;
            try {
                filter = randomFilter(random.nextInt(3));
            } catch (ValidationException invalid) {
                continue; // the AST refused the combination (e.g. icontains with a number)
            }
            List<String> expected = records.stream().filter(r -> FilterEvaluator.matches(filter, r))
                    .map(MemoryRecord::id).sorted().toList();
            List<String> actual = store.list(filter, 0, 1000).stream().map(MemoryRecord::id).sorted().toList();
            assertThat(actual).as("filter %s", filter).isEqualTo(expected);
            assertThat(store.count(filter)).as("count of %s", filter).isEqualTo(expected.size());
            compared++;
        }
        assertThat(compared).isGreaterThan(600);
    }

    @Test
    void search_and_delete_where_apply_the_same_filters() {
        for (int i = 0; i < 60; i++) {
            Filter filter;
            try {
                filter = randomFilter(1);
            } catch (ValidationException invalid) {
                continue;
            }
            long expected = records.stream().filter(r -> FilterEvaluator.matches(filter, r)).count();
            int got = store.search(new VectorQuery(new float[] {1, 0, 0, 0}, filter, 500)).size();
            assertThat(got).as("search with %s", filter).isEqualTo((int) expected);
        }
    }

    // ------------------------------------------------------------------ generators

    private Filter randomFilter(int depth) {
        if (depth > 0 && random.nextInt(3) > 0) {
            int n = 1 + random.nextInt(3);
            List<Filter> parts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                parts.add(randomFilter(depth - 1));
            }
            return switch (random.nextInt(3)) {
                case 0 -> Filters.and(parts);
                case 1 -> Filters.or(parts);
                default -> Filters.not(parts.get(0));
            };
        }
        String field = pick(new String[] {"id", "user_id", "agent_id", "run_id", "actor_id", "role", "memory", "hash",
            "memory_type", "created_at", "updated_at", "categories", "immutable", "expiration_date", "a", "b", "num",
            "flag", "list", "nested.x", "nested.y", "nested", "missing", "nested.x.deep", "list.0", "quote'key",
            "metadata.b"});
        if (random.nextInt(10) == 0) {
            return Filters.exists(field);
        }
        Operator op = Operator.values()[random.nextInt(Operator.values().length)];
        Object value = valueFor(field, op);
        if (op == Operator.IN || op == Operator.NIN) {
            List<Object> list = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                list.add(valueFor(field, Operator.EQ));
            }
            value = list;
        }
        return new Filter.Comparison(field, op, value);
    }

    private Object valueFor(String field, Operator op) {
        return switch (field) {
            case "created_at", "updated_at" -> switch (random.nextInt(4)) {
                case 0 -> "2024-07-" + (19 + random.nextInt(3));
                case 1 -> records.get(random.nextInt(records.size())).createdAt().toString();
                case 2 -> records.get(random.nextInt(records.size())).createdAt().getEpochSecond();
                default -> "2024-07-20T0" + random.nextInt(10) + ":00:00+02:00";
            };
            case "id" -> random.nextBoolean() ? String.format("r%03d", random.nextInt(260)) : pick(new String[] {"r1", "r", "R0"});
            case "user_id", "agent_id", "actor_id" -> random.nextInt(4) == 0 ? pick(SCALARS) : pick(IDS);
            case "memory" -> random.nextBoolean() ? pick(TEXTS) : pick(new String[] {"tea", "TEA", "ος", "ΟΣ", "i̇", "%",
                "_", "\\", "Straße", "STRASSE", "é", "É", "😀", "ᲊ", "a'b"});
            case "role" -> pick(new Object[] {"user", "assistant", "USER", "system", 1L});
            case "memory_type" -> pick(new Object[] {"procedural_memory", "semantic", true});
            case "expiration_date" -> pick(new Object[] {"2024-07-15", "2024-07", "2024-07-15T00:00:00Z", "2025", 20240715L});
            case "categories" -> random.nextBoolean() ? pick(CATEGORIES) : pick(new Object[] {"FOOD", "σοφια", "trav", 1L});
            case "immutable" -> pick(new Object[] {true, false, "true", 1L});
            default -> op == Operator.CONTAINS || op == Operator.ICONTAINS
                    ? pick(new Object[] {"a", "A", "ea", "TEA", "1", "é", "Σ", "%", 1L, true})
                    : pick(SCALARS);
        };
    }

    private List<String> randomCategories() {
        List<String> out = new ArrayList<>();
        for (String c : CATEGORIES) {
            if (random.nextInt(4) == 0) {
                out.add(c);
            }
        }
        return out;
    }

    private Map<String, Object> randomMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (random.nextInt(4) > 0) {
            m.put("a", pick(SCALARS));
        }
        if (random.nextInt(3) > 0) {
            m.put("b", random.nextInt(5) == 0 ? null : pick(TEXTS));
        }
        if (random.nextBoolean()) {
            m.put("num", pick(new Object[] {1L, 1.0, 2L, 2.5, -3L, 0.1, 1e-7, 123456789.0, Long.MAX_VALUE}));
        }
        if (random.nextBoolean()) {
            m.put("flag", random.nextBoolean());
        }
        if (random.nextBoolean()) {
            m.put("list", Arrays.asList(pick(SCALARS), pick(SCALARS), random.nextInt(4) == 0 ? null : pick(TEXTS),
                    random.nextInt(4) == 0 ? List.of("a") : pick(SCALARS)));
        }
        if (random.nextBoolean()) {
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("x", random.nextBoolean() ? pick(SCALARS) : Map.of("deep", pick(SCALARS)));
            if (random.nextBoolean()) {
                nested.put("y", List.of(pick(SCALARS)));
            }
            m.put("nested", random.nextInt(6) == 0 ? pick(SCALARS) : nested);
        }
        if (random.nextInt(5) == 0) {
            m.put("quote'key", pick(SCALARS));
        }
        return m;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }
}
