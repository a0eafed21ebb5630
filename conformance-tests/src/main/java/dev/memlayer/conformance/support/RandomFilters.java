package dev.memlayer.conformance.support;

import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Filterable;
import dev.memlayer.api.filter.Operator;
import dev.memlayer.api.spi.MemoryRecord;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random {@link Filter}s over records made by {@link RandomRecords}: every operator, Exists,
 * AND/OR/NOT nesting up to depth 3, every reserved field and metadata paths of every kind
 * (present, JSON null, missing, nested, through a non-object). Values are mostly drawn from what
 * the records hold (so that filters match something), sometimes of another JSON type (to exercise
 * the type rules), with case variants and substrings for CONTAINS/ICONTAINS; dates on
 * {@code created_at}/{@code updated_at} come as ISO dates, ISO date-times (UTC, with offset, without
 * offset) and epoch seconds (whole and fractional).
 *
 * <p>Every filter returned is valid (constructing it did not throw).
 */
public final class RandomFilters {

    /** The fields filters are generated on, canonical names. */
    public static final List<String> FIELDS = List.of(
            FilterFields.ID, FilterFields.USER_ID, FilterFields.AGENT_ID, FilterFields.RUN_ID, FilterFields.ACTOR_ID,
            FilterFields.ROLE, FilterFields.CREATED_AT, FilterFields.UPDATED_AT, FilterFields.CATEGORIES,
            FilterFields.MEMORY, FilterFields.HASH, FilterFields.MEMORY_TYPE, FilterFields.EXPIRATION_DATE,
            FilterFields.IMMUTABLE,
            "metadata.s", "metadata.n", "metadata.d", "metadata.b", "metadata.l", "metadata.m", "metadata.m.k",
            "metadata.m.n", "metadata.m.deep", "metadata.m.deep.z", "metadata.x", "metadata.opt", "metadata.missing",
            "metadata.s.sub", "metadata.l.0", "metadata.x.k");

    private static final Operator[] OPERATORS = Operator.values();

    private final Random random;
    private final Map<String, List<Object>> observed = new LinkedHashMap<>();
    private final Map<String, List<Instant>> instants = new LinkedHashMap<>();

    /**
     * @param random  the seeded source
     * @param records the records the filters will be run against (values are drawn from them)
     */
    public RandomFilters(Random random, List<MemoryRecord> records) {
        this.random = random;
        for (String field : FIELDS) {
            List<Object> values = new ArrayList<>();
            for (MemoryRecord r : records) {
                collect(value(field, r), values);
            }
            observed.put(field, values);
        }
        List<Instant> created = new ArrayList<>();
        List<Instant> updated = new ArrayList<>();
        for (MemoryRecord r : records) {
            created.add(r.createdAt());
            updated.add(r.updatedAt());
        }
        instants.put(FilterFields.CREATED_AT, created);
        instants.put(FilterFields.UPDATED_AT, updated);
    }

    /** @return the next random filter */
    public Filter next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                return filter(0);
            } catch (ValidationException e) {
                // a generated combination the AST refuses (should be rare): draw again
            }
        }
        throw new IllegalStateException("could not generate a valid filter in 100 attempts");
    }

    private Filter filter(int depth) {
        double r = random.nextDouble();
        if (depth >= 3 || r < 0.5) {
            return leaf();
        }
        if (r < 0.72) {
            return new Filter.And(children(depth));
        }
        if (r < 0.9) {
            return new Filter.Or(children(depth));
        }
        return new Filter.Not(filter(depth + 1));
    }

    private List<Filter> children(int depth) {
        int n = 1 + random.nextInt(3);
        List<Filter> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(filter(depth + 1));
        }
        return out;
    }

    private Filter leaf() {
        String field = FIELDS.get(random.nextInt(FIELDS.size()));
        if (random.nextDouble() < 0.12) {
            return new Filter.Exists(field);
        }
        Operator op = OPERATORS[random.nextInt(OPERATORS.length)];
        boolean instant = FilterFields.isInstant(field);
        if (instant && (op == Operator.CONTAINS || op == Operator.ICONTAINS)) {
            op = Operator.GTE;
        }
        Object value = switch (op) {
            case IN, NIN -> {
                int n = 1 + random.nextInt(3);
                List<Object> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    values.add(scalarFor(field));
                }
                yield values;
            }
            case GT, GTE, LT, LTE -> {
                Object v = scalarFor(field);
                yield v instanceof Boolean ? numberOrString() : v;
            }
            case CONTAINS -> {
                Object v = scalarFor(field);
                yield v instanceof String s && random.nextBoolean() ? substring(s) : v;
            }
            case ICONTAINS -> {
                Object v = scalarFor(field);
                String s = v instanceof String str ? str : anyString(field);
                if (random.nextBoolean()) {
                    s = substring(s);
                }
                yield caseVariant(s);
            }
            case EQ, NE -> scalarFor(field);
        };
        return new Filter.Comparison(field, op, value);
    }

    private Object scalarFor(String field) {
        if (FilterFields.isInstant(field)) {
            return instantValue(field);
        }
        List<Object> values = observed.get(field);
        if (!values.isEmpty() && random.nextDouble() < 0.7) {
            Object v = values.get(random.nextInt(values.size()));
            return v instanceof String s && random.nextDouble() < 0.2 ? caseVariant(s) : v;
        }
        if (random.nextDouble() < 0.3) {
            return switch (field) {
                case FilterFields.USER_ID -> pick("u1", "u2", "U1", "alex", "nobody");
                case FilterFields.ROLE -> pick("user", "assistant", "system", "USER");
                case FilterFields.MEMORY_TYPE -> "procedural_memory";
                case FilterFields.EXPIRATION_DATE -> "2024-" + pick("01-01", "06-30", "12-31") ;
                default -> RandomRecords.scalar(random);
            };
        }
        return RandomRecords.scalar(random);
    }

    private Object instantValue(String field) {
        List<Instant> pool = instants.get(field);
        Instant t = pool.isEmpty() ? Instant.parse("2024-07-01T00:00:00Z") : pool.get(random.nextInt(pool.size()));
        double r = random.nextDouble();
        if (r < 0.3) {
            return t.toString();
        }
        if (r < 0.5) {
            return t.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        }
        if (r < 0.65) {
            return t.getEpochSecond();
        }
        if (r < 0.75) {
            return t.getEpochSecond() + 0.5;
        }
        if (r < 0.85) {
            return t.atOffset(ZoneOffset.ofHours(2)).toString();
        }
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString();
    }

    private Object numberOrString() {
        return switch (random.nextInt(3)) {
            case 0 -> RandomRecords.LONGS.get(random.nextInt(RandomRecords.LONGS.size()));
            case 1 -> RandomRecords.DOUBLES.get(random.nextInt(RandomRecords.DOUBLES.size()));
            default -> RandomRecords.STRINGS.get(random.nextInt(RandomRecords.STRINGS.size()));
        };
    }

    private String anyString(String field) {
        List<Object> strings = observed.get(field).stream().filter(v -> v instanceof String).toList();
        if (!strings.isEmpty() && random.nextDouble() < 0.7) {
            return (String) strings.get(random.nextInt(strings.size()));
        }
        return RandomRecords.STRINGS.get(random.nextInt(RandomRecords.STRINGS.size()));
    }

    private String substring(String s) {
        int[] cps = s.codePoints().toArray();
        if (cps.length == 0) {
            return s;
        }
        int from = random.nextInt(cps.length);
        int to = from + 1 + random.nextInt(cps.length - from);
        return new String(cps, from, to - from);
    }

    private String caseVariant(String s) {
        return switch (random.nextInt(3)) {
            case 0 -> s.toUpperCase(Locale.ROOT);
            case 1 -> s.toLowerCase(Locale.ROOT);
            default -> s;
        };
    }

    private String pick(String... values) {
        return values[random.nextInt(values.length)];
    }

    private static Object value(String field, Filterable r) {
        if (FilterFields.isMetadata(field)) {
            return FilterFields.resolve(r.metadata(), FilterFields.metadataPath(field));
        }
        return r.reservedValue(field);
    }

    private static void collect(Object v, List<Object> out) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            out.add(v);
        } else if (v instanceof List<?> list) {
            for (Object e : list) {
                collect(e, out);
            }
        }
    }
}
