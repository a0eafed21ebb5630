package dev.memlayer.store.redis.internal;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.FilterValues;
import dev.memlayer.api.filter.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles the {@link Filter} AST to a Redis vector-set {@code FILTER} expression: the one filter
 * compiler of this backend. The expression is a <em>superset</em> of the filter (it never rejects a
 * record the filter accepts), and {@link ServerFilter#exact()} says when it is exact; the store
 * always post-filters the candidates with {@link dev.memlayer.api.filter.FilterEvaluator}, so the
 * answers equal the reference's whatever the server can express.
 *
 * <p>Each sub-filter is compiled to a pair (upper, lower): an expression accepting a superset and
 * one accepting a subset of what the sub-filter accepts. AND and OR combine pairs component-wise,
 * NOT swaps and negates them, and a leaf the server evaluates exactly has upper = lower. The
 * server expression is the root's upper bound.
 *
 * <p>What runs on the server (attributes are written by {@link VsetEncoding#attributes}):
 * <ul>
 *   <li>Exactly: {@code eq}, {@code ne}, {@code in}, {@code nin} and {@code exists} on
 *       {@code id}, {@code user_id}, {@code agent_id}, {@code run_id}, {@code actor_id},
 *       {@code role}, {@code memory_type}, {@code hash}, {@code expiration_date} (string values
 *       that have a literal, see {@link VsetEncoding#stringLiteral}); {@code eq}/{@code in}/
 *       {@code nin}/{@code contains} on {@code categories}; {@code eq}/{@code in} on
 *       {@code immutable}; every comparison whose value has the wrong type for the field (constant
 *       false); AND, OR and NOT of these.</li>
 *   <li>As a superset: {@code created_at}/{@code updated_at} comparisons (as doubles of epoch
 *       seconds, rounding widened); metadata {@code eq}, {@code in}, {@code gt}/{@code gte}/
 *       {@code lt}/{@code lte} with a number, {@code contains} with a number or boolean, and
 *       {@code exists} (exact) - but only where they are ANDed at the top level, because a
 *       missing attribute makes the whole server expression false.</li>
 *   <li>Only in Java: {@code contains}/{@code icontains} on strings, string ordering
 *       ({@code gt} on {@code expiration_date}), {@code icontains} on categories, anything on
 *       {@code memory}, and metadata comparisons under OR or NOT.</li>
 * </ul>
 */
public final class RedisFilterCompiler {

    /** Reserved string fields that are never {@code ""} when present. */
    private static final Set<String> NEVER_EMPTY = Set.of(FilterFields.ID, FilterFields.USER_ID,
            FilterFields.AGENT_ID, FilterFields.RUN_ID, FilterFields.ROLE, FilterFields.MEMORY_TYPE,
            FilterFields.EXPIRATION_DATE);

    private static final Set<String> STRING_FIELDS = Set.copyOf(VsetEncoding.STRING_FIELDS);

    private RedisFilterCompiler() {
    }

    /**
     * @param filter the filter, or null
     * @return its server-side part
     */
    public static ServerFilter compile(Filter filter) {
        return compile(filter, Map.of());
    }

    /**
     * Compiles for one vector set whose members are known to have some field values: a top-level
     * {@code eq} on such a field with that value compiles to "true".
     *
     * @param filter the filter, or null
     * @param known  field to value every candidate has (e.g. {@code user_id -> alex} when searching
     *               alex's vector set)
     * @return the server-side part
     */
    public static ServerFilter compile(Filter filter, Map<String, String> known) {
        if (filter == null) {
            return ServerFilter.ALL;
        }
        List<Filter> conjuncts = new ArrayList<>();
        flatten(filter, conjuncts);
        Approx acc = Approx.TRUE;
        for (Filter c : conjuncts) {
            if (c instanceof Filter.Comparison cmp && cmp.operator() == Operator.EQ
                    && cmp.value() instanceof String s && s.equals(known.get(cmp.field()))) {
                continue;
            }
            acc = and(acc, approx(c, true));
        }
        if (acc.upper instanceof False) {
            return ServerFilter.NOTHING;
        }
        boolean exact = acc.upper.equals(acc.lower);
        return acc.upper instanceof Code code ? new ServerFilter(code.text, exact, false)
                : new ServerFilter(null, exact, false);
    }

    /**
     * Adds a conjunct that is evaluated exactly by the server to a compiled filter.
     *
     * @param base  a compiled filter
     * @param extra an exact expression over reserved attributes
     */
    public static ServerFilter and(ServerFilter base, String extra) {
        if (base.matchesNothing()) {
            return base;
        }
        String expr = base.expression() == null ? extra : "(" + base.expression() + ") and (" + extra + ")";
        return new ServerFilter(expr, base.exact(), false);
    }

    /** @return the exact expression "this reserved string field is absent" */
    public static String absent(String field) {
        return "." + field + " == \"\"";
    }

    private static void flatten(Filter f, List<Filter> out) {
        if (f instanceof Filter.And and) {
            for (Filter c : and.filters()) {
                flatten(c, out);
            }
        } else {
            out.add(f);
        }
    }

    // ------------------------------------------------------------------ the (upper, lower) algebra

    private sealed interface Expr permits True, False, Code {
    }

    private record True() implements Expr {
    }

    private record False() implements Expr {
    }

    private record Code(String text) implements Expr {
    }

    private static final Expr T = new True();
    private static final Expr F = new False();

    private record Approx(Expr upper, Expr lower) {
        static final Approx TRUE = new Approx(T, T);
        static final Approx FALSE = new Approx(F, F);
        /** Nothing known: every record may match, none surely does. */
        static final Approx UNKNOWN = new Approx(T, F);

        static Approx exact(String code) {
            Expr e = new Code(code);
            return new Approx(e, e);
        }

        static Approx upperOnly(String code) {
            return new Approx(new Code(code), F);
        }
    }

    private static Expr andE(Expr a, Expr b) {
        if (a instanceof False || b instanceof False) {
            return F;
        }
        if (a instanceof True) {
            return b;
        }
        if (b instanceof True) {
            return a;
        }
        return new Code("(" + ((Code) a).text + ") and (" + ((Code) b).text + ")");
    }

    private static Expr orE(Expr a, Expr b) {
        if (a instanceof True || b instanceof True) {
            return T;
        }
        if (a instanceof False) {
            return b;
        }
        if (b instanceof False) {
            return a;
        }
        return new Code("(" + ((Code) a).text + ") or (" + ((Code) b).text + ")");
    }

    private static Expr notE(Expr a) {
        return switch (a) {
            case True t -> F;
            case False f -> T;
            case Code c -> new Code("!(" + c.text + ")");
        };
    }

    private static Approx and(Approx a, Approx b) {
        return new Approx(andE(a.upper, b.upper), andE(a.lower, b.lower));
    }

    private static Approx or(Approx a, Approx b) {
        return new Approx(orE(a.upper, b.upper), orE(a.lower, b.lower));
    }

    private static Approx not(Approx a) {
        return new Approx(notE(a.lower), notE(a.upper));
    }

    // ------------------------------------------------------------------ the AST

    /**
     * @param top whether {@code f} is ANDed at the top level, where a missing attribute (which
     *            makes the server's whole expression false) can only reject records {@code f}
     *            rejects too, provided the sub-filter is false for a missing field
     */
    private static Approx approx(Filter f, boolean top) {
        return switch (f) {
            case Filter.And and -> {
                Approx acc = Approx.TRUE;
                for (Filter c : and.filters()) {
                    acc = and(acc, approx(c, top));
                }
                yield acc;
            }
            case Filter.Or or -> {
                Approx acc = Approx.FALSE;
                for (Filter c : or.filters()) {
                    acc = or(acc, approx(c, false));
                }
                yield acc;
            }
            case Filter.Not not -> not(approx(not.filter(), false));
            case Filter.Exists exists -> exists(exists.field(), top);
            case Filter.Comparison c -> comparison(c.field(), c.operator(), c.value(), top);
        };
    }

    private enum Kind { STRING, INSTANT, CATEGORIES, IMMUTABLE, MEMORY, METADATA }

    private static Kind kind(String field) {
        if (FilterFields.isMetadata(field)) {
            return Kind.METADATA;
        }
        if (STRING_FIELDS.contains(field)) {
            return Kind.STRING;
        }
        return switch (field) {
            case FilterFields.CREATED_AT, FilterFields.UPDATED_AT -> Kind.INSTANT;
            case FilterFields.CATEGORIES -> Kind.CATEGORIES;
            case FilterFields.IMMUTABLE -> Kind.IMMUTABLE;
            case FilterFields.MEMORY -> Kind.MEMORY;
            default -> throw new IllegalArgumentException("unknown reserved field " + field);
        };
    }

    private static String selector(String field) {
        return FilterFields.isMetadata(field)
                ? "." + VsetEncoding.metadataAttribute(field.substring(FilterFields.METADATA_PREFIX.length()))
                : "." + field;
    }

    private static Approx comparison(String field, Operator op, Object value, boolean top) {
        return switch (op) {
            case EQ -> eq(field, value, top);
            case NE -> not(eq(field, value, false));
            case IN -> in(field, (List<?>) value, top);
            case NIN -> not(in(field, (List<?>) value, false));
            case GT, GTE, LT, LTE -> order(field, op, value, top);
            case CONTAINS -> contains(field, value, top, false);
            case ICONTAINS -> contains(field, value, top, true);
        };
    }

    private static Approx eq(String field, Object value, boolean top) {
        String sel = selector(field);
        return switch (kind(field)) {
            case STRING -> {
                if (!(value instanceof String s)) {
                    yield Approx.FALSE; // a string never equals a non-string; absent never equals
                }
                if (s.isEmpty()) {
                    yield NEVER_EMPTY.contains(field) ? Approx.FALSE : Approx.upperOnly(sel + " == \"\"");
                }
                yield VsetEncoding.stringLiteral(s).map(l -> Approx.exact(sel + " == " + l)).orElse(Approx.UNKNOWN);
            }
            case INSTANT -> {
                double d = VsetEncoding.seconds(FilterValues.toInstant(field, value));
                yield VsetEncoding.numberLiteral(d).map(l -> Approx.upperOnly(sel + " == " + l)).orElse(Approx.UNKNOWN);
            }
            case CATEGORIES -> Approx.FALSE; // a list never equals a scalar
            case IMMUTABLE -> value instanceof Boolean b ? Approx.exact(sel + " == " + (b ? "1" : "0")) : Approx.FALSE;
            case MEMORY -> value instanceof String ? Approx.UNKNOWN : Approx.FALSE;
            case METADATA -> top ? metadataEq(sel, value).map(Approx::upperOnly).orElse(Approx.UNKNOWN) : Approx.UNKNOWN;
        };
    }

    /** {@code .m == literal}: a superset of EQ (mixed types compare as numbers on the server). */
    private static Optional<String> metadataEq(String sel, Object value) {
        return scalarLiteral(value).map(l -> sel + " == " + l);
    }

    private static Optional<String> scalarLiteral(Object value) {
        return switch (value) {
            case String s -> VsetEncoding.stringLiteral(s);
            case Boolean b -> Optional.of(b ? "1" : "0");
            case Number n -> VsetEncoding.toDouble(n).flatMap(VsetEncoding::numberLiteral);
            default -> Optional.empty();
        };
    }

    private static Approx in(String field, List<?> values, boolean top) {
        Kind kind = kind(field);
        if (kind == Kind.CATEGORIES) {
            Approx acc = Approx.FALSE;
            for (Object v : values) {
                acc = or(acc, categoryMember(v));
            }
            return acc;
        }
        if (kind == Kind.METADATA) {
            if (!top) {
                return Approx.UNKNOWN;
            }
            String sel = selector(field);
            Approx acc = Approx.FALSE;
            for (Object v : values) {
                Optional<String> l = scalarLiteral(v);
                if (l.isEmpty()) {
                    return Approx.UNKNOWN;
                }
                // the field equals the value, or (a list field) holds it
                acc = or(acc, Approx.upperOnly("(" + sel + " == " + l.get() + ") or (" + l.get() + " in " + sel + ")"));
            }
            return acc;
        }
        Approx acc = Approx.FALSE;
        for (Object v : values) {
            acc = or(acc, eq(field, v, top));
        }
        return acc;
    }

    private static Approx categoryMember(Object value) {
        if (!(value instanceof String s)) {
            return Approx.FALSE; // categories hold strings only
        }
        return VsetEncoding.stringLiteral(s).map(l -> Approx.exact(l + " in ." + FilterFields.CATEGORIES))
                .orElse(Approx.UNKNOWN);
    }

    private static Approx order(String field, Operator op, Object value, boolean top) {
        String sel = selector(field);
        boolean greater = op == Operator.GT || op == Operator.GTE;
        return switch (kind(field)) {
            case STRING, MEMORY -> value instanceof String ? Approx.UNKNOWN : Approx.FALSE;
            case INSTANT -> {
                double d = VsetEncoding.seconds(FilterValues.toInstant(field, value));
                // x > v implies double(x) >= double(v); double(x) > double(v) implies x > v
                yield VsetEncoding.numberLiteral(d)
                        .map(l -> new Approx(new Code(sel + (greater ? " >= " : " <= ") + l),
                                new Code(sel + (greater ? " > " : " < ") + l)))
                        .orElse(Approx.UNKNOWN);
            }
            case CATEGORIES, IMMUTABLE -> Approx.FALSE; // lists and booleans are not ordered
            case METADATA -> {
                if (!top) {
                    yield Approx.UNKNOWN;
                }
                if (value instanceof Number n) {
                    yield VsetEncoding.toDouble(n).flatMap(VsetEncoding::numberLiteral)
                            .map(l -> Approx.upperOnly(sel + (greater ? " >= " : " <= ") + l))
                            .orElse(Approx.UNKNOWN);
                }
                yield Approx.upperOnly(sel + " == " + sel); // string order: at least present
            }
        };
    }

    private static Approx contains(String field, Object value, boolean top, boolean ignoreCase) {
        String sel = selector(field);
        return switch (kind(field)) {
            case STRING, MEMORY -> value instanceof String ? Approx.UNKNOWN : Approx.FALSE;
            case INSTANT, IMMUTABLE -> Approx.FALSE; // neither a string nor a list
            case CATEGORIES -> ignoreCase ? (value instanceof String ? Approx.UNKNOWN : Approx.FALSE) : categoryMember(value);
            case METADATA -> {
                if (!top) {
                    yield Approx.UNKNOWN;
                }
                if (!ignoreCase && !(value instanceof String)) {
                    // only a list can hold a number or boolean
                    yield scalarLiteral(value).map(l -> Approx.upperOnly(l + " in " + sel)).orElse(Approx.UNKNOWN);
                }
                yield Approx.upperOnly(sel + " == " + sel); // a substring or member: at least present
            }
        };
    }

    private static Approx exists(String field, boolean top) {
        String sel = selector(field);
        return switch (kind(field)) {
            case STRING -> {
                if (FilterFields.ID.equals(field)) {
                    yield Approx.TRUE;
                }
                yield NEVER_EMPTY.contains(field) ? Approx.exact(sel + " != \"\"")
                        : new Approx(T, new Code(sel + " != \"\""));
            }
            case INSTANT, CATEGORIES, IMMUTABLE, MEMORY -> Approx.TRUE; // always present and not null
            // present and not null exactly when the attribute is there (nulls are not written)
            case METADATA -> top ? Approx.exact(sel + " == " + sel) : Approx.UNKNOWN;
        };
    }
}
