package dev.memlayer.conformance;

import static dev.memlayer.api.filter.Filters.and;
import static dev.memlayer.api.filter.Filters.contains;
import static dev.memlayer.api.filter.Filters.eq;
import static dev.memlayer.api.filter.Filters.exists;
import static dev.memlayer.api.filter.Filters.gt;
import static dev.memlayer.api.filter.Filters.gte;
import static dev.memlayer.api.filter.Filters.icontains;
import static dev.memlayer.api.filter.Filters.in;
import static dev.memlayer.api.filter.Filters.lt;
import static dev.memlayer.api.filter.Filters.lte;
import static dev.memlayer.api.filter.Filters.ne;
import static dev.memlayer.api.filter.Filters.nin;
import static dev.memlayer.api.filter.Filters.none;
import static dev.memlayer.api.filter.Filters.not;
import static dev.memlayer.api.filter.Filters.or;
import static dev.memlayer.conformance.support.TestVectors.DIMENSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Role;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.support.FilterPrinter;
import dev.memlayer.conformance.support.RandomFilters;
import dev.memlayer.conformance.support.RandomRecords;
import dev.memlayer.conformance.support.TestVectors;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Filters mean the same on every {@link VectorStore} (SPEC §4): exactly what
 * {@link FilterEvaluator} says. Two parts:
 *
 * <ol>
 *   <li>Tables of hand-checked cases per operator over a fixed set of eight records
 *       ({@code f1}..{@code f8}, see {@link #fixture()}). Each case asserts the exact set of
 *       matching records, through {@link VectorStore#list}, {@link VectorStore#count} and
 *       {@link VectorStore#search} with the filter; each case is also checked against the reference
 *       evaluator, so the table and the evaluator vouch for each other.</li>
 *   <li>A differential test: seeded random records ({@link RandomRecords}) and random filters
 *       ({@link RandomFilters}); for every filter the backend's list ids (in order), count and search
 *       ids must equal the reference evaluator's. The seed is printed in every failure; rerun one
 *       with {@code -Dmemlayer.filter.seed=<seed>}.</li>
 * </ol>
 *
 * <p>Every operator must work on every backend: there is no hook to skip one. A backend's test class
 * implements {@link #createStore(int)} only; the suite resets the store before and after each test.
 */
public abstract class FilterContract {

    /** Records in the differential test. */
    protected static final int RANDOM_RECORDS = 300;
    /** Filters in the differential test. */
    protected static final int RANDOM_FILTERS = 500;
    /** The default seed of the differential test; override with {@code -Dmemlayer.filter.seed}. */
    protected static final long DEFAULT_SEED = 20240720L;

    private final List<VectorStore> opened = new ArrayList<>();

    /**
     * Creates a store of the given dimension ({@link TestVectors#DIMENSIONS}). The suite resets it
     * before use and resets and closes it after the test.
     *
     * @param dimensions the embedding dimension
     * @return a new store instance
     */
    protected abstract VectorStore createStore(int dimensions);

    private VectorStore newStore() {
        VectorStore s = createStore(DIMENSIONS);
        opened.add(s);
        s.reset();
        return s;
    }

    @AfterEach
    void resetAndCloseStores() {
        for (VectorStore s : opened) {
            try {
                s.reset();
            } finally {
                s.close();
            }
        }
        opened.clear();
    }

    // ------------------------------------------------------------------ the fixture

    /** Readable names of the fixture records, f1..f8. */
    private static final List<String> NAMES = List.of("f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8");

    private static String idOf(String name) {
        return TestVectors.id("filter-" + name);
    }

    private static MemoryRecord.Builder base(String name, String text, String createdAt) {
        Instant t = Instant.parse(createdAt);
        return MemoryRecord.builder().id(idOf(name)).memory(text).hash(TestVectors.md5Hex(text))
                .embedding(TestVectors.randomUnit(new Random(name.hashCode()), DIMENSIONS))
                .createdAt(t).updatedAt(t);
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /**
     * The eight records every table case runs against. Metadata at a glance:
     *
     * <pre>
     *      food       n     price  active tags      trip                       other
     * f1   "vegan"    1L    9.5    true   [a,b]     {city:Berlin, days:3}      note: It's "quoted"
     * f2   "Vegan"    1.0   12L    false  [b,c]     {city:Paris}               allergy: peanuts
     * f3   "omnivore" "1"   -3L           [1,2]                                allergy: null
     * f4   "vegan"    2L                  []        "Berlin"                   name: Ärger
     * f5              10L   0.1                                                name: жук
     * f6                                                                       name: 😀, sym: U+FF61, flag: "true"
     * f7   (no metadata)
     * f8              -1L                                                      name: ab, flag: true,
     *                                                                          nested: {deep: {x: 1}}, mixed: [Berlin, 5, true]
     * </pre>
     *
     * Reserved fields: user alex (f1 f2 f3 f7 f8), sam (f4 f5), none (f6); agent travel (f1 f4 f6),
     * support (f2); run run-1 (f3); actor alice (f1), bob (f2); role user (f1 f5), assistant (f2);
     * procedural (f3); immutable (f2); expiration 2025-01-01 (f1); categories f1 [food, travel],
     * f2 [health], f4 [Food], f5 [gratitude, food]; created_at f8 2023-12-31T23:00Z &lt; f6 2024-06-30
     * &lt; f1 2024-07-01T10:00Z &lt; f7 2024-07-10T12:30Z &lt; f2 2024-07-15 &lt; f3 2024-07-20 (midnight)
     * &lt; f4 2024-07-31T23:59:59.999999Z &lt; f5 2024-08-01; updated_at = created_at except f1
     * (2024-07-02T08:00Z).
     *
     * @return the records, f1..f8 in order
     */
    protected static List<MemoryRecord> fixture() {
        return List.of(
                base("f1", "I love vegan food in Berlin", "2024-07-01T10:00:00Z")
                        .updatedAt(Instant.parse("2024-07-02T08:00:00Z"))
                        .userId("alex").agentId("travel").actorId("alice").role(Role.USER)
                        .categories(List.of("food", "travel")).expirationDate(LocalDate.of(2025, 1, 1))
                        .metadata(map("food", "vegan", "n", 1L, "price", 9.5, "active", true, "tags", List.of("a", "b"),
                                "trip", map("city", "Berlin", "days", 3L), "note", "It's \"quoted\""))
                        .build(),
                base("f2", "Allergic to peanuts", "2024-07-15T00:00:00Z")
                        .userId("alex").agentId("support").actorId("bob").role(Role.ASSISTANT)
                        .categories(List.of("health")).immutable(true)
                        .metadata(map("food", "Vegan", "n", 1.0, "price", 12L, "active", false, "tags", List.of("b", "c"),
                                "trip", map("city", "Paris"), "allergy", "peanuts"))
                        .build(),
                base("f3", "Prefers window seats", "2024-07-20T00:00:00Z")
                        .userId("alex").runId("run-1").memoryType(MemoryType.PROCEDURAL)
                        .metadata(map("food", "omnivore", "n", "1", "price", -3L, "tags", List.of(1L, 2L), "allergy", null))
                        .build(),
                base("f4", "ÄPFEL sind lecker", "2024-07-31T23:59:59.999999Z")
                        .userId("sam").agentId("travel").categories(List.of("Food"))
                        .metadata(map("food", "vegan", "n", 2L, "name", "Ärger", "tags", List.of(), "trip", "Berlin"))
                        .build(),
                base("f5", "Спасибо за помощь", "2024-08-01T00:00:00Z")
                        .userId("sam").role(Role.USER).categories(List.of("gratitude", "food"))
                        .metadata(map("name", "жук", "n", 10L, "price", 0.1))
                        .build(),
                base("f6", "Emoji 😀 test 100%", "2024-06-30T00:00:00Z")
                        .userId(null).agentId("travel")
                        .metadata(map("name", "😀", "sym", "\uFF61", "flag", "true"))
                        .build(),
                base("f7", "Nothing in metadata", "2024-07-10T12:30:00Z")
                        .userId("alex")
                        .build(),
                base("f8", "under_score and back\\slash", "2023-12-31T23:00:00Z")
                        .userId("alex")
                        .metadata(map("name", "ab", "n", -1L, "flag", true, "nested", map("deep", map("x", 1L)),
                                "mixed", List.of("Berlin", 5L, true)))
                        .build());
    }

    /** One row of a table: a filter and the names of the fixture records it matches. */
    private record Case(String description, Filter filter, Set<String> expected) {
    }

    private static Case c(Filter filter, String... expected) {
        return new Case(FilterPrinter.describe(filter), filter, new TreeSet<>(Arrays.asList(expected)));
    }

    private static String[] allBut(String... excluded) {
        Set<String> ex = Set.of(excluded);
        return NAMES.stream().filter(n -> !ex.contains(n)).toArray(String[]::new);
    }

    private Stream<DynamicTest> run(List<Case> cases) {
        VectorStore store = newStore();
        List<MemoryRecord> records = fixture();
        store.upsert(records);
        Map<String, String> nameOf = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            nameOf.put(records.get(i).id(), NAMES.get(i));
        }
        return cases.stream().map(k -> DynamicTest.dynamicTest(k.description(), () -> {
            Set<String> reference = new TreeSet<>();
            for (MemoryRecord r : records) {
                if (FilterEvaluator.matches(k.filter(), r)) {
                    reference.add(nameOf.get(r.id()));
                }
            }
            assertThat(reference).as("reference evaluator on %s", k.description()).isEqualTo(k.expected());

            List<String> expectedListOrder = records.stream()
                    .filter(r -> k.expected().contains(nameOf.get(r.id())))
                    .sorted(Comparator.comparing(MemoryRecord::createdAt).reversed().thenComparing(MemoryRecord::id))
                    .map(r -> nameOf.get(r.id())).toList();
            List<String> listed = store.list(k.filter(), 0, 100).stream().map(r -> nameOf.getOrDefault(r.id(), r.id())).toList();
            assertThat(listed).as("list with %s", k.description()).containsExactlyElementsOf(expectedListOrder);
            assertThat(store.count(k.filter())).as("count with %s", k.description()).isEqualTo(k.expected().size());

            float[] q = TestVectors.randomUnit(new Random(k.description().hashCode()), DIMENSIONS);
            List<ScoredRecord> hits = store.search(new VectorQuery(q, k.filter(), records.size()));
            Set<String> found = new TreeSet<>();
            for (ScoredRecord h : hits) {
                found.add(nameOf.getOrDefault(h.record().id(), h.record().id()));
            }
            assertThat(found).as("search with %s", k.description()).isEqualTo(k.expected());
            assertThat(hits).as("search with %s", k.description()).hasSize(k.expected().size());
            List<ScoredRecord> top2 = store.search(new VectorQuery(q, k.filter(), 2));
            assertThat(top2).as("search (limit 2) with %s", k.description()).hasSize(Math.min(2, k.expected().size()));
            assertThat(top2).allSatisfy(h -> assertThat(k.expected()).contains(nameOf.get(h.record().id())));
        }));
    }

    // ------------------------------------------------------------------ tables

    @TestFactory
    Stream<DynamicTest> eq_matches_same_type_and_value_numbers_numerically_strings_case_sensitively() {
        return run(List.of(
                c(eq("food", "vegan"), "f1", "f4"),
                c(eq("food", "Vegan"), "f2"),
                c(eq("n", 1L), "f1", "f2"),
                c(eq("n", 1.0), "f1", "f2"),
                c(eq("n", "1"), "f3"),
                c(eq("price", 12.0), "f2"),
                c(eq("price", 0.1), "f5"),
                c(eq("price", -3), "f3"),
                c(eq("active", true), "f1"),
                c(eq("active", false), "f2"),
                c(eq("flag", true), "f8"),
                c(eq("flag", "true"), "f6"),
                c(eq("tags", "a")),
                c(eq("trip", "Berlin"), "f4"),
                c(eq("note", "It's \"quoted\""), "f1"),
                c(eq("name", "Ärger"), "f4"),
                c(eq("name", "ärger")),
                c(eq("name", "😀"), "f6"),
                c(eq("sym", "\uFF61"), "f6"),
                c(eq("allergy", "peanuts"), "f2"),
                c(eq("missing_key", "x")),
                c(eq("food", "")),
                c(eq("n", true))));
    }

    @TestFactory
    Stream<DynamicTest> eq_on_reserved_fields() {
        return run(List.of(
                c(eq("user_id", "alex"), "f1", "f2", "f3", "f7", "f8"),
                c(eq("user_id", "Alex")),
                c(eq("agent_id", "travel"), "f1", "f4", "f6"),
                c(eq("run_id", "run-1"), "f3"),
                c(eq("actor_id", "alice"), "f1"),
                c(eq("role", "user"), "f1", "f5"),
                c(eq("role", "assistant"), "f2"),
                c(eq("memory_type", "procedural_memory"), "f3"),
                c(eq("immutable", true), "f2"),
                c(eq("immutable", false), allBut("f2")),
                c(eq("id", idOf("f3")), "f3"),
                c(eq("hash", TestVectors.md5Hex("Allergic to peanuts")), "f2"),
                c(eq("memory", "Allergic to peanuts"), "f2"),
                c(eq("memory", "allergic to peanuts")),
                c(eq("expiration_date", "2025-01-01"), "f1"),
                c(eq("categories", "food")),
                c(eq("user_id", 1L))));
    }

    @TestFactory
    Stream<DynamicTest> ne_is_not_eq_and_matches_records_without_the_field() {
        return run(List.of(
                c(ne("food", "vegan"), "f2", "f3", "f5", "f6", "f7", "f8"),
                c(ne("n", 1L), "f3", "f4", "f5", "f6", "f7", "f8"),
                c(ne("allergy", "peanuts"), allBut("f2")),
                c(ne("user_id", "alex"), "f4", "f5", "f6"),
                c(ne("tags", "a"), allBut()),
                c(ne("role", "user"), "f2", "f3", "f4", "f6", "f7", "f8"),
                c(ne("run_id", "run-1"), allBut("f3")),
                c(ne("flag", true), allBut("f8")),
                c(ne("immutable", true), allBut("f2"))));
    }

    @TestFactory
    Stream<DynamicTest> ordering_compares_numbers_numerically_and_strings_by_code_point() {
        return run(List.of(
                c(gt("n", 1L), "f4", "f5"),
                c(gte("n", 1L), "f1", "f2", "f4", "f5"),
                c(lt("n", 1), "f8"),
                c(lte("n", 1.0), "f1", "f2", "f8"),
                c(gt("n", 1.5), "f4", "f5"),
                c(gt("price", 0), "f1", "f2", "f5"),
                c(lt("price", 0.1), "f3"),
                c(lte("price", 0.1), "f3", "f5"),
                c(gt("n", "0"), "f3"),
                c(gt("active", 0)),
                c(gt("tags", "a")),
                c(gt("trip", "A"), "f4"),
                c(gt("food", "omnivore"), "f1", "f4"),
                c(lt("food", "a"), "f2"),
                c(gte("name", "ab"), "f4", "f5", "f6", "f8"),
                c(gt("name", "ab"), "f4", "f5", "f6"),
                c(gt("name", "\uFF61"), "f6"),
                c(lt("sym", "😀"), "f6"),
                c(gt("sym", "😀")),
                c(gt("user_id", "b"), "f4", "f5"),
                c(gte("expiration_date", "2024-12-31"), "f1"),
                c(gt("memory", "Z"), "f4", "f5", "f8"),
                c(lt("missing_key", 5L))));
    }

    @TestFactory
    Stream<DynamicTest> created_at_and_updated_at_compare_as_instants_given_dates_date_times_or_epoch_seconds() {
        return run(List.of(
                c(and(gte("created_at", "2024-07-01"), lte("created_at", "2024-07-31")), "f1", "f7", "f2", "f3"),
                c(lt("created_at", "2024-08-01"), allBut("f5")),
                c(gte("created_at", "2024-08-01"), "f5"),
                c(gt("created_at", "2024-07-20"), "f4", "f5"),
                c(gte("created_at", "2024-07-20"), "f3", "f4", "f5"),
                c(eq("created_at", "2024-07-20"), "f3"),
                c(eq("created_at", "2024-07-20T00:00:00Z"), "f3"),
                c(eq("created_at", 1721433600L), "f3"),
                c(ne("created_at", 1721433600L), allBut("f3")),
                c(gt("created_at", "2024-07-31T23:59:59.999998Z"), "f4", "f5"),
                c(eq("created_at", "2024-07-31T23:59:59.999999Z"), "f4"),
                c(lt("created_at", "2024-07-10T14:30:00+02:00"), "f8", "f6", "f1"),
                c(lte("created_at", "2024-07-10T14:30:00+02:00"), "f8", "f6", "f1", "f7"),
                c(lte("created_at", "2024-07-15T00:00:00"), "f8", "f6", "f1", "f7", "f2"),
                c(gte("created_at", 1721001600L), "f2", "f3", "f4", "f5"),
                c(gte("created_at", 1721001600.0), "f2", "f3", "f4", "f5"),
                c(gt("created_at", 1721433599.5), "f3", "f4", "f5"),
                c(lt("created_at", 1704067200L), "f8"),
                c(in("created_at", "2024-07-20", "2024-08-01T00:00:00Z"), "f3", "f5"),
                c(nin("created_at", List.of("2024-07-20", 1722470400L)), allBut("f3", "f5")),
                c(gt("updated_at", "2024-07-02"), "f1", "f2", "f3", "f4", "f5", "f7"),
                c(lt("updated_at", "2024-07-02T08:00:00Z"), "f6", "f8"),
                c(eq("updated_at", "2024-07-02T10:00:00+02:00"), "f1")));
    }

    @TestFactory
    Stream<DynamicTest> in_matches_any_listed_value_and_any_overlap_with_a_list_field() {
        return run(List.of(
                c(in("food", "vegan", "omnivore"), "f1", "f3", "f4"),
                c(in("n", 2L, 10.0), "f4", "f5"),
                c(in("n", "1"), "f3"),
                c(in("n", 1L), "f1", "f2"),
                c(in("categories", "food", "health"), "f1", "f2", "f5"),
                c(in("categories", "FOOD")),
                c(in("tags", "c", 1L), "f2", "f3"),
                c(in("tags", 1.0), "f3"),
                c(in("tags", "1")),
                c(in("user_id", "sam", "nobody"), "f4", "f5"),
                c(in("role", "assistant"), "f2"),
                c(in("id", idOf("f1"), idOf("f7"), TestVectors.id("nope")), "f1", "f7"),
                c(in("mixed", true), "f8"),
                c(in("mixed", "berlin")),
                c(in("trip", "Berlin"), "f4"),
                c(in("flag", true), "f8"),
                c(in("memory_type", "procedural_memory", "other"), "f3")));
    }

    @TestFactory
    Stream<DynamicTest> nin_is_not_in() {
        return run(List.of(
                c(nin("food", "vegan", "omnivore"), "f2", "f5", "f6", "f7", "f8"),
                c(nin("categories", "food"), "f2", "f3", "f4", "f6", "f7", "f8"),
                c(nin("user_id", "alex"), "f4", "f5", "f6"),
                c(nin("tags", "b"), "f3", "f4", "f5", "f6", "f7", "f8"),
                c(nin("n", 1L, 2L), "f3", "f5", "f6", "f7", "f8"),
                c(nin("agent_id", "travel", "support"), "f3", "f5", "f7", "f8")));
    }

    @TestFactory
    Stream<DynamicTest> contains_is_a_literal_substring_for_strings_and_membership_for_lists() {
        return run(List.of(
                c(contains("memory", "peanut"), "f2"),
                c(contains("memory", "Berlin"), "f1"),
                c(contains("memory", "berlin")),
                c(contains("memory", "100%"), "f6"),
                c(contains("memory", "%"), "f6"),
                c(contains("memory", "a%d")),
                c(contains("memory", "_"), "f8"),
                c(contains("memory", "r_s"), "f8"),
                c(contains("memory", "e_s")),
                c(contains("memory", "back\\slash"), "f8"),
                c(contains("memory", "\\"), "f8"),
                c(contains("memory", "😀"), "f6"),
                c(contains("memory", ""), allBut()),
                c(contains("categories", "food"), "f1", "f5"),
                c(contains("categories", "foo")),
                c(contains("tags", "b"), "f1", "f2"),
                c(contains("tags", 1.0), "f3"),
                c(contains("food", "ega"), "f1", "f2", "f4"),
                c(contains("note", "'s \"q"), "f1"),
                c(contains("trip", "Ber"), "f4"),
                c(contains("n", "1"), "f3"),
                c(contains("n", 1L)),
                c(contains("mixed", "Berlin"), "f8"),
                c(contains("mixed", 5.0), "f8"),
                c(contains("name", "😀"), "f6"),
                c(contains("user_id", "le"), "f1", "f2", "f3", "f7", "f8")));
    }

    @TestFactory
    Stream<DynamicTest> icontains_ignores_case_with_unicode_lower_case() {
        return run(List.of(
                c(icontains("memory", "BERLIN"), "f1"),
                c(icontains("memory", "äpfel"), "f4"),
                c(icontains("memory", "ÄpFeL"), "f4"),
                c(icontains("memory", "спасибо"), "f5"),
                c(icontains("memory", "%"), "f6"),
                c(icontains("memory", "_"), "f8"),
                c(icontains("food", "VEGAN"), "f1", "f2", "f4"),
                c(icontains("categories", "FOOD"), "f1", "f4", "f5"),
                c(icontains("categories", "foo")),
                c(icontains("name", "ärg"), "f4"),
                c(icontains("name", "ЖУК"), "f5"),
                c(icontains("tags", "B"), "f1", "f2"),
                c(icontains("mixed", "BERLIN"), "f8"),
                c(icontains("n", "1"), "f3"),
                c(icontains("role", "USER"), "f1", "f5")));
    }

    @TestFactory
    Stream<DynamicTest> exists_means_present_and_not_null() {
        return run(List.of(
                c(exists("allergy"), "f2"),
                c(exists("food"), "f1", "f2", "f3", "f4"),
                c(exists("trip.city"), "f1", "f2"),
                c(exists("nested.deep"), "f8"),
                c(exists("tags"), "f1", "f2", "f3", "f4"),
                c(exists("run_id"), "f3"),
                c(exists("agent_id"), "f1", "f2", "f4", "f6"),
                c(exists("user_id"), allBut("f6")),
                c(exists("expiration_date"), "f1"),
                c(exists("memory_type"), "f3"),
                c(exists("actor_id"), "f1", "f2"),
                c(exists("role"), "f1", "f2", "f5"),
                c(exists("categories"), allBut()),
                c(exists("immutable"), allBut()),
                c(exists("missing_key")),
                c(not(exists("allergy")), allBut("f2")),
                c(not(exists("food")), "f5", "f6", "f7", "f8")));
    }

    @TestFactory
    Stream<DynamicTest> and_or_not_nest() {
        return run(List.of(
                c(and(eq("user_id", "alex"), eq("food", "vegan")), "f1"),
                c(or(eq("food", "Vegan"), eq("name", "жук")), "f2", "f5"),
                c(not(eq("food", "vegan")), "f2", "f3", "f5", "f6", "f7", "f8"),
                c(none(exists("allergy"), eq("user_id", "sam")), "f1", "f3", "f6", "f7", "f8"),
                c(and(eq("user_id", "alex"), or(eq("food", "vegan"), not(exists("food")))), "f1", "f7", "f8"),
                c(and(eq("user_id", "alex"), in("agent_id", "travel", "customer-support", "support"),
                        gte("created_at", "2024-07-01"), lte("created_at", "2024-07-31"),
                        contains("categories", "food"), or(eq("food", "vegan"), none(exists("allergy")))), "f1"),
                c(not(not(eq("user_id", "sam"))), "f4", "f5"),
                c(or(and(eq("n", 1L), eq("active", true)), and(gt("n", 5L))), "f1", "f5"),
                c(and(ne("food", "vegan"), eq("user_id", "alex")), "f2", "f3", "f7", "f8"),
                c(and(eq("user_id", "alex")), "f1", "f2", "f3", "f7", "f8"),
                c(or(eq("user_id", "nobody")))));
    }

    @TestFactory
    Stream<DynamicTest> dotted_paths_reach_into_nested_metadata_objects_only() {
        return run(List.of(
                c(eq("metadata.trip.city", "Paris"), "f2"),
                c(eq("trip.city", "Berlin"), "f1"),
                c(eq("trip.days", 3L), "f1"),
                c(gt("trip.days", 2.5), "f1"),
                c(eq("nested.deep.x", 1.0), "f8"),
                c(exists("trip.city.name")),
                c(eq("metadata.food", "vegan"), "f1", "f4"),
                c(eq("tags.0", "a")),
                c(exists("tags.0")),
                c(ne("trip.city", "Berlin"), allBut("f1"))));
    }

    // ------------------------------------------------------------------ hostile keys and values

    @Test
    void crafted_keys_and_values_are_matched_literally_or_rejected() {
        VectorStore store = newStore();
        List<MemoryRecord> records = new ArrayList<>(fixture());
        String text = "'; DROP TABLE memories; -- \" || 1 == 1 \\";
        MemoryRecord hostile = base("f9", text, "2024-07-05T00:00:00Z").userId("alex")
                .metadata(map("it's", "o'clock", "q\"k", "a\"b", "x') OR ('1'='1", "v", "back\\slash", "\\",
                        "sp ace", "s p", "$.x", "dollar", "@attr", "at"))
                .build();
        records.add(hostile);
        store.upsert(records);
        List<Filter> filters = List.of(
                eq("food", "vegan' OR '1'='1"),
                eq("food", "vegan\" || \"1\" == \"1"),
                contains("memory", "' OR "),
                contains("memory", "'; DROP TABLE memories; --"),
                eq("memory", text),
                icontains("memory", "drop table"),
                eq("it's", "o'clock"),
                eq("q\"k", "a\"b"),
                eq("x') OR ('1'='1", "v"),
                eq("back\\slash", "\\"),
                eq("sp ace", "s p"),
                exists("$.x"),
                eq("@attr", "at"),
                in("it's", "o'clock", "x'y"),
                ne("it's", "o'clock"),
                eq("user_id", "alex' OR user_id <> '"),
                in("user_id", "alex\") || (\"1", "sam"));
        for (Filter f : filters) {
            Set<String> expected = new TreeSet<>();
            for (MemoryRecord r : records) {
                if (FilterEvaluator.matches(f, r)) {
                    expected.add(r.id());
                }
            }
            try {
                Set<String> listed = new TreeSet<>(TestVectors.ids(store.list(f, 0, 100)));
                assertThat(listed).as("list with %s", FilterPrinter.describe(f)).isEqualTo(expected);
                assertThat(store.count(f)).as("count with %s", FilterPrinter.describe(f)).isEqualTo(expected.size());
                Set<String> found = new TreeSet<>(VectorStoreContract.ids(
                        store.search(new VectorQuery(TestVectors.randomUnit(new Random(1), DIMENSIONS), f, 100))));
                assertThat(found).as("search with %s", FilterPrinter.describe(f)).isEqualTo(expected);
            } catch (ValidationException rejected) {
                // rejecting a key or value that cannot be expressed safely is allowed (SPEC §4)
            }
        }
        assertThat(store.count(null)).as("the store is intact").isEqualTo(records.size());
        assertThat(store.get(hostile.id())).isPresent();
    }

    // ------------------------------------------------------------------ differential

    @Test
    void backend_agrees_with_the_reference_evaluator_on_random_filters() {
        long seed = Long.getLong("memlayer.filter.seed", DEFAULT_SEED);
        Random random = new Random(seed);
        List<MemoryRecord> records = RandomRecords.generate(random, RANDOM_RECORDS, DIMENSIONS);
        VectorStore store = newStore();
        store.upsert(records);
        RandomFilters filters = new RandomFilters(random, records);
        Map<String, MemoryRecord> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.put(r.id(), r));

        List<String> failures = new ArrayList<>();
        int nonEmpty = 0;
        for (int i = 0; i < RANDOM_FILTERS && failures.size() < 10; i++) {
            Filter f = filters.next();
            float[] q = TestVectors.randomUnit(random, DIMENSIONS);
            List<String> expected = records.stream()
                    .filter(r -> FilterEvaluator.matches(f, r))
                    .sorted(Comparator.comparing(MemoryRecord::createdAt).reversed().thenComparing(MemoryRecord::id))
                    .map(MemoryRecord::id).toList();
            if (!expected.isEmpty() && expected.size() < records.size()) {
                nonEmpty++;
            }
            String where = "seed " + seed + ", filter #" + i + ": " + FilterPrinter.describe(f);
            try {
                List<String> listed = listAll(store, f);
                if (!listed.equals(expected)) {
                    failures.add(where + "\n    list " + diff(listed, expected, byId));
                    continue;
                }
                long count = store.count(f);
                if (count != expected.size()) {
                    failures.add(where + "\n    count " + count + ", reference " + expected.size());
                    continue;
                }
                List<String> found = VectorStoreContract.ids(store.search(new VectorQuery(q, f, records.size())));
                if (!new HashSet<>(found).equals(new HashSet<>(expected)) || found.size() != expected.size()) {
                    failures.add(where + "\n    search " + diff(found, expected, byId));
                    continue;
                }
                List<String> top = VectorStoreContract.ids(store.search(new VectorQuery(q, f, 5)));
                if (top.size() != Math.min(5, expected.size()) || !expected.containsAll(top)) {
                    failures.add(where + "\n    search (limit 5) returned " + top.size() + " hits, reference has "
                            + expected.size() + " matches");
                }
            } catch (RuntimeException e) {
                failures.add(where + "\n    threw " + e);
            }
        }
        if (!failures.isEmpty()) {
            fail("The backend disagrees with FilterEvaluator (rerun with -Dmemlayer.filter.seed=" + seed + "):\n"
                    + String.join("\n", failures));
        }
        // the generator must produce filters that discriminate, or the test proves little
        assertThat(nonEmpty).as("filters matching some but not all records").isGreaterThan(RANDOM_FILTERS / 4);
    }

    private static List<String> listAll(VectorStore store, Filter f) {
        List<String> out = new ArrayList<>();
        int page = 250;
        for (long offset = 0; ; offset += page) {
            List<MemoryRecord> batch = store.list(f, offset, page);
            out.addAll(TestVectors.ids(batch));
            if (batch.size() < page) {
                return out;
            }
        }
    }

    private static String diff(List<String> actual, List<String> expected, Map<String, MemoryRecord> byId) {
        Set<String> missing = new LinkedHashSet<>(expected);
        missing.removeAll(new HashSet<>(actual));
        Set<String> extra = new LinkedHashSet<>(actual);
        extra.removeAll(new HashSet<>(expected));
        StringBuilder b = new StringBuilder();
        b.append(actual.size()).append(" ids, reference ").append(expected.size());
        if (missing.isEmpty() && extra.isEmpty()) {
            b.append(" (same ids, different order or duplicates)");
        }
        missing.stream().limit(3).forEach(id -> b.append("\n      missing ").append(FilterPrinter.describe(byId.get(id))));
        extra.stream().limit(3).forEach(id -> b.append("\n      unexpected ")
                .append(byId.containsKey(id) ? FilterPrinter.describe(byId.get(id)) : id));
        return b.toString();
    }
}
