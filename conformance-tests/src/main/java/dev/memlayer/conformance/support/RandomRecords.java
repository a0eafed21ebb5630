package dev.memlayer.conformance.support;

import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Role;
import dev.memlayer.api.spi.MemoryRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded random {@link MemoryRecord}s whose fields exercise every filter rule: strings with quotes,
 * backslashes, SQL/LIKE wildcards, Unicode and case variants; longs and doubles that are equal
 * numerically (1 and 1.0); booleans; JSON nulls; lists of mixed scalars; nested maps; missing keys;
 * timestamps at midnight, shared between records, and with microseconds.
 *
 * <p>Metadata keys (all plain identifiers, never dotted): {@code s} (string), {@code n} (long),
 * {@code d} (double), {@code b} (boolean), {@code l} (list), {@code m} (map with {@code k},
 * {@code n}, {@code deep.z}), {@code x} (any kind, including null, list and map), {@code opt}
 * (string, JSON null or absent). Each key is absent from some records.
 */
public final class RandomRecords {

    /** String values, chosen to trip up quoting, LIKE patterns, case folding and code-point order. */
    public static final List<String> STRINGS = List.of(
            "vegan", "Vegan", "VEGAN", "omnivore", "it's", "say \"hi\"", "back\\slash", "100%", "under_score",
            "Ärger", "ärger", "ÄRGER", "жук", "ЖУК", "😀", "\uFF61", "", " ", "a", "ab", "B", "Berlin", "berlin",
            "x y", "日本", "a%b", "a_b", "O'Brien", "line\\n", "{\"json\": 1}", "%", "_", "null", "true", "1");

    /** Long values. */
    public static final List<Long> LONGS = List.of(-100L, -3L, -2L, -1L, 0L, 1L, 2L, 3L, 10L, 100L);

    /** Double values, several of them whole numbers equal to a long above. */
    public static final List<Double> DOUBLES = List.of(-2.5, -1.0, 0.0, 0.1, 0.5, 1.0, 2.0, 2.5, 3.75, 100.0);

    /** Words of memory texts. */
    public static final List<String> WORDS = List.of(
            "I", "love", "LOVE", "vegan", "Vegan", "food", "in", "Berlin", "berlin", "peanuts", "allergy", "tea",
            "Ärger", "äpfel", "ÄPFEL", "жук", "😀", "100%", "under_score", "it's", "\"quoted\"", "back\\slash",
            "日本", "window", "seat", "O'Brien");

    /** Category values, with case variants. */
    public static final List<String> CATEGORIES = List.of("food", "Food", "travel", "health", "work", "日本", "ärger",
            "food_preferences");

    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    private RandomRecords() {
    }

    /**
     * Generates records with random unit embeddings.
     *
     * @param random     the seeded source
     * @param count      how many records
     * @param dimensions the embedding dimension
     * @return {@code count} records with distinct random UUIDs; every record has at least one scope id
     */
    public static List<MemoryRecord> generate(Random random, int count, int dimensions) {
        List<MemoryRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant created = createdAt(random, out);
            Instant updated = random.nextBoolean() ? created
                    : created.plusSeconds(random.nextInt(30 * 86400)).plusNanos(1000L * random.nextInt(1_000_000));
            String text = text(random);
            String user = pick(random, 0.15, "u1", "u2", "u3", "U1", "alex");
            String agent = pick(random, 0.5, "a1", "a2");
            String run = pick(random, 0.6, "r1", "r2", "r3");
            if (user == null && agent == null && run == null) {
                user = "u1";
            }
            out.add(MemoryRecord.builder()
                    .id(TestVectors.randomId(random))
                    .memory(text)
                    .hash(TestVectors.md5Hex(text))
                    .embedding(TestVectors.randomUnit(random, dimensions))
                    .metadata(metadata(random))
                    .categories(categories(random))
                    .createdAt(created)
                    .updatedAt(updated)
                    .userId(user)
                    .agentId(agent)
                    .runId(run)
                    .actorId(pick(random, 0.5, "alice", "bob", "Alice"))
                    .role(random.nextDouble() < 0.4 ? null : Role.values()[random.nextInt(Role.values().length)])
                    .memoryType(random.nextDouble() < 0.2 ? MemoryType.PROCEDURAL : null)
                    .immutable(random.nextDouble() < 0.2)
                    .expirationDate(random.nextDouble() < 0.6 ? null : LocalDate.of(2024, 1, 1).plusDays(random.nextInt(730)))
                    .build());
        }
        return out;
    }

    private static Instant createdAt(Random random, List<MemoryRecord> earlier) {
        if (!earlier.isEmpty() && random.nextDouble() < 0.1) {
            return earlier.get(random.nextInt(earlier.size())).createdAt(); // a tie
        }
        Instant day = START.plus(Duration.ofDays(random.nextInt(366)));
        if (random.nextDouble() < 0.2) {
            return day; // midnight: on the boundary of date filters
        }
        return day.plusSeconds(random.nextInt(86400)).plusNanos(1000L * random.nextInt(1_000_000));
    }

    private static String text(Random random) {
        int n = 2 + random.nextInt(5);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return b.toString();
    }

    private static List<String> categories(Random random) {
        int n = random.nextInt(4);
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            out.add(CATEGORIES.get(random.nextInt(CATEGORIES.size())));
        }
        return new ArrayList<>(out);
    }

    private static Map<String, Object> metadata(Random random) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (random.nextDouble() < 0.7) {
            m.put("s", string(random));
        }
        if (random.nextDouble() < 0.7) {
            m.put("n", LONGS.get(random.nextInt(LONGS.size())));
        }
        if (random.nextDouble() < 0.7) {
            m.put("d", DOUBLES.get(random.nextInt(DOUBLES.size())));
        }
        if (random.nextDouble() < 0.6) {
            m.put("b", random.nextBoolean());
        }
        if (random.nextDouble() < 0.6) {
            m.put("l", list(random));
        }
        if (random.nextDouble() < 0.6) {
            m.put("m", map(random));
        }
        if (random.nextDouble() < 0.8) {
            m.put("x", any(random, 0));
        }
        double opt = random.nextDouble();
        if (opt < 0.3) {
            m.put("opt", null);
        } else if (opt < 0.6) {
            m.put("opt", string(random));
        }
        return m;
    }

    private static String string(Random random) {
        return STRINGS.get(random.nextInt(STRINGS.size()));
    }

    /** A scalar of a random JSON kind (string, long, double or boolean). */
    static Object scalar(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> string(random);
            case 1 -> LONGS.get(random.nextInt(LONGS.size()));
            case 2 -> DOUBLES.get(random.nextInt(DOUBLES.size()));
            default -> random.nextBoolean();
        };
    }

    private static List<Object> list(Random random) {
        int n = random.nextInt(5);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(random.nextDouble() < 0.6 ? string(random) : scalar(random));
        }
        return out;
    }

    private static Map<String, Object> map(Random random) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (random.nextDouble() < 0.8) {
            out.put("k", string(random));
        }
        if (random.nextDouble() < 0.6) {
            out.put("n", random.nextBoolean() ? LONGS.get(random.nextInt(LONGS.size()))
                    : DOUBLES.get(random.nextInt(DOUBLES.size())));
        }
        if (random.nextDouble() < 0.5) {
            Map<String, Object> deep = new LinkedHashMap<>();
            deep.put("z", random.nextDouble() < 0.2 ? null : random.nextBoolean());
            out.put("deep", deep);
        }
        return out;
    }

    private static Object any(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 5 : 7);
        return switch (kind) {
            case 0, 1, 2, 3 -> scalar(random);
            case 4 -> null;
            case 5 -> list(random);
            default -> map(random);
        };
    }

    private static String pick(Random random, double nullChance, String... values) {
        if (random.nextDouble() < nullChance) {
            return null;
        }
        return values[random.nextInt(values.length)];
    }
}
