package dev.memlayer.store.pgvector.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.FilterValues;
import dev.memlayer.api.filter.Operator;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Compiles the {@link Filter} AST into a SQL {@code WHERE} fragment over the memories table, with
 * every value and every metadata key bound as a parameter (nothing from the filter is ever written
 * into the SQL text). The semantics are exactly those of
 * {@link dev.memlayer.api.filter.FilterEvaluator} (SPEC §4):
 *
 * <ul>
 *   <li>every compiled comparison is two-valued (TRUE or FALSE, never SQL NULL), so NOT, NE
 *       ({@code NOT EQ}) and NIN ({@code NOT IN}) are plain negations and match missing fields and
 *       JSON nulls;</li>
 *   <li>metadata values are compared as {@code jsonb}: numbers numerically ({@code 1 = 1.0}),
 *       a string never equals a number, lists match IN by overlap and CONTAINS by membership;
 *       paths are followed with {@code ->} one bound key at a time, so an array is never indexed
 *       (the reference stops at a non-object);</li>
 *   <li>strings order by code point ({@code COLLATE "C"}); {@code created_at}/{@code updated_at}
 *       compare as instants to the nanosecond; {@code expiration_date} compares as its ISO
 *       string;</li>
 *   <li>CONTAINS uses {@code strpos}, so {@code %}, {@code _} and {@code \} are literal;
 *       ICONTAINS on {@code memory} compares with the column {@code memory_lower}, which the store
 *       fills with {@code toLowerCase(Locale.ROOT)} (exactly the reference); on other fields it
 *       lower-cases both sides with {@code lower()} under the ICU root collation when the server
 *       has it (measured: it agrees with {@code toLowerCase(Locale.ROOT)} on every code point but
 *       the 27 that Unicode 16 added and ICU 72 does not know yet), else under the database's
 *       default collation;</li>
 *   <li>PostgreSQL text cannot hold NUL (U+0000), and the store never writes it, so a value or
 *       key containing NUL is compiled to its exact meaning without sending it: it equals
 *       nothing, contains nothing, and orders like its prefix before the NUL. A value with an
 *       unpaired surrogate (no UTF-8 form) is rejected with
 *       {@link ErrorCode#UNSUPPORTED_FILTER}.</li>
 * </ul>
 *
 * <p>Operator to SQL ({@code ?} = a bound parameter; {@code icu} = the ICU root collation; a
 * value of the wrong type for the field compiles to FALSE, so its negation is TRUE):
 * <pre>
 * text column c (id, memory, user_id, agent_id, run_id, actor_id, role, hash, memory_type;
 * expiration_date as to_char(expiration_date, 'YYYY-MM-DD')); nullable ones are guarded with
 * (c IS NOT NULL AND ...):
 *   EQ        c = ?
 *   IN        c = ANY(?::text[])
 *   GT..LTE   c COLLATE "C" &gt; ?
 *   CONTAINS  strpos(c, ?) &gt; 0
 *   ICONTAINS strpos(lower(c COLLATE icu), lower(?::text COLLATE icu)) &gt; 0
 *             memory: strpos(memory_lower, ?) &gt; 0, both sides toLowerCase(Locale.ROOT) in Java
 *   EXISTS    c IS NOT NULL
 * created_at / updated_at (timestamptz + nanosecond remainder column; values via FilterValues.toInstant):
 *   EQ        (created_at = ?::timestamptz AND created_at_ns = ?::smallint)
 *   IN        OR of EQ
 *   GT..LTE   (created_at &gt;= ? AND (created_at, created_at_ns) &gt; (?, ?))
 *             (instants outside years 1-9999: TRUE or FALSE)
 * categories (text[]):
 *   EQ, GT..LTE  FALSE (a list never equals a scalar and has no order)
 *   IN        categories &amp;&amp; ?::text[]
 *   CONTAINS  categories @&gt; ?::text[]
 *   ICONTAINS EXISTS (SELECT 1 FROM unnest(categories) c(x) WHERE lower(x COLLATE icu) = lower(? COLLATE icu))
 * immutable (boolean):
 *   EQ        immutable / NOT immutable;  IN  the same or TRUE;  others FALSE
 * metadata path V = (metadata -&gt; ?::text -&gt; ?::text ...):
 *   EQ        coalesce(V = ?::jsonb, false)
 *   IN        coalesce(CASE jsonb_typeof(V) WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(V)
 *             e(x) WHERE scalar x AND x &lt;@ ?::jsonb) WHEN 'object' THEN false WHEN 'null' THEN false
 *             ELSE V &lt;@ ?::jsonb END, false)
 *   GT..LTE   coalesce(CASE WHEN jsonb_typeof(V) = 'number' THEN (V)::numeric &gt; ?::numeric END, false)
 *             coalesce(CASE WHEN jsonb_typeof(V) = 'string' THEN (V #&gt;&gt; '{}') COLLATE "C" &gt; ? END, false)
 *   CONTAINS  coalesce(CASE jsonb_typeof(V) WHEN 'string' THEN strpos(V #&gt;&gt; '{}', ?) &gt; 0
 *             WHEN 'array' THEN EXISTS (... x = ?::jsonb) ELSE false END, false)
 *   ICONTAINS the same with lower(... COLLATE icu), equality of lowered strings for array elements
 *   EXISTS    coalesce(jsonb_typeof(V) &lt;&gt; 'null', false)
 * any field:
 *   NE        NOT (EQ)          NIN  NOT (IN)
 *   AND/OR    (a AND b) / (a OR b), constants folded;   NOT  (NOT a)
 * </pre>
 */
public final class PgFilterCompiler {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The largest magnitude exponent PostgreSQL's numeric accepts (131072 digits before the point). */
    private static final int NUMERIC_MAX_DIGITS_BEFORE_POINT = 131072;
    /** The largest scale PostgreSQL's numeric accepts. */
    private static final int NUMERIC_MAX_SCALE = 16383;

    private final String lowerCollation;

    /**
     * @param lowerCollation the collation under which {@code lower()} runs for ICONTAINS, as a
     *                       quoted SQL identifier chosen by the store (e.g. {@code "und-x-icu"}
     *                       or {@code "default"}); never user input
     */
    public PgFilterCompiler(String lowerCollation) {
        this.lowerCollation = Objects.requireNonNull(lowerCollation, "lowerCollation");
    }

    /**
     * @param filter the filter, or null for "everything"
     * @return a boolean SQL expression over the memories table's columns, with its parameters
     * @throws ValidationException ({@link ErrorCode#UNSUPPORTED_FILTER}) for values PostgreSQL
     *                             cannot represent faithfully (unpaired surrogates, numbers
     *                             beyond numeric's range)
     */
    public SqlFragment compile(Filter filter) {
        return filter == null ? SqlFragment.TRUE : node(filter);
    }

    private SqlFragment node(Filter filter) {
        return switch (filter) {
            case Filter.And(List<Filter> parts) -> and(parts.stream().map(this::node).toList());
            case Filter.Or(List<Filter> parts) -> or(parts.stream().map(this::node).toList());
            case Filter.Not(Filter inner) -> not(node(inner));
            case Filter.Exists(String field) -> exists(field);
            case Filter.Comparison(String field, Operator op, Object value) -> comparison(field, op, value);
        };
    }

    // ------------------------------------------------------------------ boolean structure

    private static SqlFragment and(List<SqlFragment> parts) {
        List<SqlFragment> kept = new ArrayList<>();
        for (SqlFragment p : parts) {
            if (p.isFalse()) {
                return SqlFragment.FALSE;
            }
            if (!p.isTrue()) {
                kept.add(p);
            }
        }
        return join(kept, " AND ", SqlFragment.TRUE);
    }

    private static SqlFragment or(List<SqlFragment> parts) {
        List<SqlFragment> kept = new ArrayList<>();
        for (SqlFragment p : parts) {
            if (p.isTrue()) {
                return SqlFragment.TRUE;
            }
            if (!p.isFalse()) {
                kept.add(p);
            }
        }
        return join(kept, " OR ", SqlFragment.FALSE);
    }

    private static SqlFragment join(List<SqlFragment> parts, String op, SqlFragment empty) {
        if (parts.isEmpty()) {
            return empty;
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        SqlFragment.Builder b = SqlFragment.builder().sql("(");
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                b.sql(op);
            }
            b.frag(parts.get(i));
        }
        return b.sql(")").build();
    }

    private static SqlFragment not(SqlFragment inner) {
        if (inner.isTrue()) {
            return SqlFragment.FALSE;
        }
        if (inner.isFalse()) {
            return SqlFragment.TRUE;
        }
        return SqlFragment.builder().sql("(NOT ").frag(inner).sql(")").build();
    }

    // ------------------------------------------------------------------ fields

    private SqlFragment exists(String field) {
        if (FilterFields.isMetadata(field)) {
            SqlFragment v = jsonPath(FilterFields.metadataPath(field));
            if (v == null) {
                return SqlFragment.FALSE;
            }
            return SqlFragment.builder().sql("coalesce(jsonb_typeof(").frag(v).sql(") <> 'null', false)").build();
        }
        return switch (field) {
            case FilterFields.USER_ID, FilterFields.AGENT_ID, FilterFields.RUN_ID, FilterFields.ACTOR_ID,
                 FilterFields.ROLE, FilterFields.HASH, FilterFields.MEMORY_TYPE, FilterFields.EXPIRATION_DATE ->
                    new SqlFragment(field + " IS NOT NULL", List.of());
            // never null: id, memory, timestamps, categories (a list, possibly empty), immutable
            default -> SqlFragment.TRUE;
        };
    }

    private SqlFragment comparison(String field, Operator op, Object value) {
        return switch (op) {
            case NE -> not(positive(field, Operator.EQ, value));
            case NIN -> not(positive(field, Operator.IN, value));
            default -> positive(field, op, value);
        };
    }

    private SqlFragment positive(String field, Operator op, Object value) {
        if (FilterFields.isMetadata(field)) {
            return metadata(FilterFields.metadataPath(field), op, value);
        }
        return switch (field) {
            case FilterFields.ID -> text(column(field), false, op, value);
            // memory_lower holds memory.toLowerCase(Locale.ROOT), written by the store
            case FilterFields.MEMORY -> op == Operator.ICONTAINS
                    ? (value instanceof String s && plain(s)
                        ? SqlFragment.builder().sql("strpos(memory_lower, ").param(FilterEvaluator.lower(s)).sql(") > 0").build()
                        : SqlFragment.FALSE)
                    : text(column(field), false, op, value);
            case FilterFields.USER_ID, FilterFields.AGENT_ID, FilterFields.RUN_ID, FilterFields.ACTOR_ID,
                 FilterFields.ROLE, FilterFields.HASH, FilterFields.MEMORY_TYPE -> text(column(field), true, op, value);
            case FilterFields.EXPIRATION_DATE ->
                    text(column("to_char(expiration_date, 'YYYY-MM-DD')"), true, op, value);
            case FilterFields.CREATED_AT, FilterFields.UPDATED_AT -> instant(field, op, value);
            case FilterFields.CATEGORIES -> categories(op, value);
            case FilterFields.IMMUTABLE -> bool(op, value);
            default -> throw new IllegalStateException("unknown reserved field " + field);
        };
    }

    private static SqlFragment column(String sql) {
        return new SqlFragment(sql, List.of());
    }

    // ------------------------------------------------------------------ text columns

    /**
     * A comparison on a text expression {@code e} (a column, or the ISO form of expiration_date).
     */
    private SqlFragment text(SqlFragment e, boolean nullable, Operator op, Object value) {
        SqlFragment cond = switch (op) {
            case EQ -> value instanceof String s && plain(s) ? binary(e, " = ", s) : SqlFragment.FALSE;
            case IN -> {
                String[] values = storableStrings((List<?>) value);
                yield values.length == 0 ? SqlFragment.FALSE
                        : SqlFragment.builder().frag(e).sql(" = ANY(").param(new SqlFragment.TextArray(values))
                                .sql("::text[])").build();
            }
            case GT, GTE, LT, LTE -> value instanceof String s ? textOrder(e, op, s) : SqlFragment.FALSE;
            case CONTAINS -> value instanceof String s && plain(s)
                    ? SqlFragment.builder().sql("strpos(").frag(e).sql(", ").param(s).sql(") > 0").build()
                    : SqlFragment.FALSE;
            case ICONTAINS -> value instanceof String s && plain(s) ? textIcontains(e, s) : SqlFragment.FALSE;
            case NE, NIN -> throw new IllegalStateException("negated operators are compiled as NOT");
        };
        if (!nullable || cond.isFalse()) {
            return cond;
        }
        return SqlFragment.builder().sql("(").frag(e).sql(" IS NOT NULL AND ").frag(cond).sql(")").build();
    }

    private static SqlFragment binary(SqlFragment e, String op, Object param) {
        return SqlFragment.builder().frag(e).sql(op).param(param).build();
    }

    /**
     * Code point order against {@code s}. If {@code s} holds a NUL, no stored string (which never
     * holds one) equals it, and for a stored {@code x}: {@code x > s} iff {@code x > p} and
     * {@code x < s} iff {@code x <= p}, where {@code p} is the prefix of {@code s} before its
     * first NUL (U+0000 is the smallest code point).
     */
    private static SqlFragment textOrder(SqlFragment e, Operator op, String s) {
        String operator = sqlOperator(op);
        String bound = s;
        int nul = s.indexOf('\u0000');
        if (nul >= 0) {
            bound = s.substring(0, nul);
            operator = op == Operator.GT || op == Operator.GTE ? " > " : " <= ";
        }
        requireNoSurrogates(bound);
        return SqlFragment.builder().sql("(").frag(e).sql(" COLLATE \"C\"").sql(operator).param(bound).sql(")").build();
    }

    private SqlFragment textIcontains(SqlFragment e, String s) {
        return SqlFragment.builder().sql("strpos(lower(").frag(e).sql(" COLLATE ").sql(lowerCollation)
                .sql("), lower(").param(s).sql("::text COLLATE ").sql(lowerCollation).sql(")) > 0").build();
    }

    private static String sqlOperator(Operator op) {
        return switch (op) {
            case GT -> " > ";
            case GTE -> " >= ";
            case LT -> " < ";
            case LTE -> " <= ";
            default -> throw new IllegalStateException("not an ordering operator: " + op);
        };
    }

    // ------------------------------------------------------------------ instants

    private SqlFragment instant(String field, Operator op, Object value) {
        return switch (op) {
            case EQ -> instantEquals(field, FilterValues.toInstant(field, value));
            case IN -> {
                List<SqlFragment> parts = new ArrayList<>();
                Set<Instant> seen = new LinkedHashSet<>();
                for (Object v : (List<?>) value) {
                    if (seen.add(FilterValues.toInstant(field, v))) {
                        parts.add(instantEquals(field, FilterValues.toInstant(field, v)));
                    }
                }
                yield or(parts);
            }
            case GT, GTE, LT, LTE -> instantOrder(field, op, FilterValues.toInstant(field, value));
            // rejected by the AST's validation; nothing is contained in an instant
            case CONTAINS, ICONTAINS -> SqlFragment.FALSE;
            case NE, NIN -> throw new IllegalStateException("negated operators are compiled as NOT");
        };
    }

    private static SqlFragment instantEquals(String field, Instant t) {
        if (!PgTime.storable(t)) {
            return SqlFragment.FALSE; // the store never holds an instant outside the storable range
        }
        return SqlFragment.builder().sql("(" + field + " = ").param(PgTime.micros(t))
                .sql("::timestamptz AND " + field + "_ns = ").param(PgTime.nanos(t)).sql("::smallint)").build();
    }

    private static SqlFragment instantOrder(String field, Operator op, Instant t) {
        boolean greater = op == Operator.GT || op == Operator.GTE;
        if (t.isBefore(PgTime.MIN)) {
            return greater ? SqlFragment.TRUE : SqlFragment.FALSE;
        }
        if (!t.isBefore(PgTime.END)) {
            return greater ? SqlFragment.FALSE : SqlFragment.TRUE;
        }
        // the first conjunct is implied by the second; it lets the planner use a created_at index
        return SqlFragment.builder()
                .sql("(" + field + (greater ? " >= " : " <= ")).param(PgTime.micros(t)).sql("::timestamptz AND ("
                        + field + ", " + field + "_ns)" + sqlOperator(op) + "(")
                .param(PgTime.micros(t)).sql("::timestamptz, ").param(PgTime.nanos(t)).sql("::smallint))").build();
    }

    // ------------------------------------------------------------------ categories, immutable

    private SqlFragment categories(Operator op, Object value) {
        return switch (op) {
            // a list never equals a scalar, and lists have no order
            case EQ, GT, GTE, LT, LTE -> SqlFragment.FALSE;
            case IN -> {
                String[] values = storableStrings((List<?>) value);
                yield values.length == 0 ? SqlFragment.FALSE
                        : SqlFragment.builder().sql("categories && ").param(new SqlFragment.TextArray(values))
                                .sql("::text[]").build();
            }
            case CONTAINS -> value instanceof String s && plain(s)
                    ? SqlFragment.builder().sql("categories @> ").param(new SqlFragment.TextArray(new String[] {s}))
                            .sql("::text[]").build()
                    : SqlFragment.FALSE;
            case ICONTAINS -> value instanceof String s && plain(s)
                    ? SqlFragment.builder().sql("EXISTS (SELECT 1 FROM unnest(categories) AS c(x) WHERE lower(c.x COLLATE ")
                            .sql(lowerCollation).sql(") = lower(").param(s).sql("::text COLLATE ").sql(lowerCollation)
                            .sql("))").build()
                    : SqlFragment.FALSE;
            case NE, NIN -> throw new IllegalStateException("negated operators are compiled as NOT");
        };
    }

    private static SqlFragment bool(Operator op, Object value) {
        return switch (op) {
            case EQ -> value instanceof Boolean b ? column(b ? "immutable" : "(NOT immutable)") : SqlFragment.FALSE;
            case IN -> {
                boolean t = false;
                boolean f = false;
                for (Object v : (List<?>) value) {
                    t |= Boolean.TRUE.equals(v);
                    f |= Boolean.FALSE.equals(v);
                }
                yield t && f ? SqlFragment.TRUE : t ? column("immutable") : f ? column("(NOT immutable)") : SqlFragment.FALSE;
            }
            // a boolean has no order and contains nothing
            case GT, GTE, LT, LTE, CONTAINS, ICONTAINS -> SqlFragment.FALSE;
            case NE, NIN -> throw new IllegalStateException("negated operators are compiled as NOT");
        };
    }

    // ------------------------------------------------------------------ metadata

    /**
     * {@code (metadata -> ?::text -> ?::text ...)}: one bound key per segment. {@code ->} with a
     * text key yields NULL on an array or a scalar, exactly like the reference's path resolution.
     *
     * @return null when a segment holds a NUL (no stored key does, so the field is missing)
     */
    private static SqlFragment jsonPath(List<String> path) {
        SqlFragment.Builder b = SqlFragment.builder().sql("(metadata");
        for (String segment : path) {
            if (hasNul(segment)) {
                return null;
            }
            requireNoSurrogates(segment);
            b.sql(" -> ").param(segment).sql("::text");
        }
        return b.sql(")").build();
    }

    private SqlFragment metadata(List<String> path, Operator op, Object value) {
        SqlFragment v = jsonPath(path);
        if (v == null) {
            return SqlFragment.FALSE; // missing: no positive comparison matches
        }
        return switch (op) {
            case EQ -> {
                String literal = jsonScalar(value);
                yield literal == null ? SqlFragment.FALSE
                        : SqlFragment.builder().sql("coalesce(").frag(v).sql(" = ").param(literal).sql("::jsonb, false)").build();
            }
            case IN -> {
                String array = jsonArray((List<?>) value);
                yield array == null ? SqlFragment.FALSE
                        : SqlFragment.builder().sql("coalesce(CASE jsonb_typeof(").frag(v).sql(")")
                                .sql(" WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(").frag(v)
                                .sql(") AS e(x) WHERE jsonb_typeof(e.x) IN ('string', 'number', 'boolean') AND e.x <@ ")
                                .param(array).sql("::jsonb)")
                                .sql(" WHEN 'object' THEN false WHEN 'null' THEN false ELSE ").frag(v).sql(" <@ ")
                                .param(array).sql("::jsonb END, false)").build();
            }
            case GT, GTE, LT, LTE -> {
                if (value instanceof Number n) {
                    yield SqlFragment.builder().sql("coalesce(CASE WHEN jsonb_typeof(").frag(v)
                            .sql(") = 'number' THEN (").frag(v).sql(")::numeric").sql(sqlOperator(op))
                            .param(numeric(n)).sql("::numeric END, false)").build();
                }
                if (value instanceof String s) {
                    SqlFragment text = SqlFragment.builder().sql("(").frag(v).sql(" #>> '{}')").build();
                    yield SqlFragment.builder().sql("coalesce(CASE WHEN jsonb_typeof(").frag(v)
                            .sql(") = 'string' THEN ").frag(textOrder(text, op, s)).sql(" END, false)").build();
                }
                yield SqlFragment.FALSE;
            }
            case CONTAINS -> {
                String literal = jsonScalar(value);
                if (literal == null) {
                    yield SqlFragment.FALSE;
                }
                SqlFragment member = SqlFragment.builder().sql("EXISTS (SELECT 1 FROM jsonb_array_elements(").frag(v)
                        .sql(") AS e(x) WHERE e.x = ").param(literal).sql("::jsonb)").build();
                SqlFragment.Builder b = SqlFragment.builder().sql("coalesce(CASE jsonb_typeof(").frag(v).sql(")");
                if (value instanceof String s) {
                    b.sql(" WHEN 'string' THEN strpos(").frag(v).sql(" #>> '{}', ").param(s).sql(") > 0");
                }
                yield b.sql(" WHEN 'array' THEN ").frag(member).sql(" ELSE false END, false)").build();
            }
            case ICONTAINS -> {
                if (!(value instanceof String s) || !plain(s)) {
                    yield SqlFragment.FALSE;
                }
                SqlFragment text = SqlFragment.builder().sql("(").frag(v).sql(" #>> '{}')").build();
                yield SqlFragment.builder().sql("coalesce(CASE jsonb_typeof(").frag(v).sql(")")
                        .sql(" WHEN 'string' THEN ").frag(textIcontains(text, s))
                        .sql(" WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(").frag(v)
                        .sql(") AS e(x) WHERE jsonb_typeof(e.x) = 'string' AND lower((e.x #>> '{}') COLLATE ")
                        .sql(lowerCollation).sql(") = lower(").param(s).sql("::text COLLATE ").sql(lowerCollation)
                        .sql(")) ELSE false END, false)").build();
            }
            case NE, NIN -> throw new IllegalStateException("negated operators are compiled as NOT");
        };
    }

    /**
     * The JSON text of a scalar filter value.
     *
     * @return null for a string with a NUL (which no stored value equals)
     */
    private static String jsonScalar(Object value) {
        return switch (value) {
            case String s -> {
                if (hasNul(s)) {
                    yield null;
                }
                requireNoSurrogates(s);
                try {
                    yield JSON.writeValueAsString(s);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            case Boolean b -> b.toString();
            case Number n -> numeric(n).toPlainString();
            default -> throw new IllegalStateException("not a scalar filter value: " + value);
        };
    }

    /** @return a JSON array of the storable values, or null if none is */
    private static String jsonArray(List<?> values) {
        StringBuilder b = new StringBuilder("[");
        int n = 0;
        for (Object value : values) {
            String literal = jsonScalar(value);
            if (literal != null) {
                b.append(n++ == 0 ? "" : ",").append(literal);
            }
        }
        return n == 0 ? null : b.append(']').toString();
    }

    private static BigDecimal numeric(Number n) {
        BigDecimal d = FilterValues.decimal(n);
        if (d == null) {
            throw new ValidationException(ErrorCode.UNSUPPORTED_FILTER, "filter numbers must be finite, got " + n);
        }
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.signum() != 0 && (stripped.precision() - stripped.scale() > NUMERIC_MAX_DIGITS_BEFORE_POINT
                || stripped.scale() > NUMERIC_MAX_SCALE)) {
            throw new ValidationException(ErrorCode.UNSUPPORTED_FILTER, "the filter number " + n
                    + " is outside PostgreSQL's numeric range; use a number with at most 131072 digits before"
                    + " and 16383 after the decimal point");
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    // ------------------------------------------------------------------ text values

    /**
     * @return false when {@code s} holds a NUL (no stored string does, so it equals and is contained
     *         in nothing); true when it can be bound as is
     * @throws ValidationException ({@link ErrorCode#UNSUPPORTED_FILTER}) for an unpaired surrogate
     */
    private static boolean plain(String s) {
        if (hasNul(s)) {
            return false;
        }
        requireNoSurrogates(s);
        return true;
    }

    private static boolean hasNul(String s) {
        return s.indexOf('\u0000') >= 0;
    }

    private static void requireNoSurrogates(String s) {
        if (TextChecks.hasUnpairedSurrogate(s)) {
            throw new ValidationException(ErrorCode.UNSUPPORTED_FILTER, "the filter value or key '"
                    + s.replaceAll("[\\uD800-\\uDFFF]", "\uFFFD")
                    + "' contains an unpaired UTF-16 surrogate, which PostgreSQL text cannot represent; remove it");
        }
    }

    /** The distinct string values of an IN list that a stored string could equal. */
    private static String[] storableStrings(List<?> values) {
        Set<String> out = new LinkedHashSet<>();
        for (Object v : values) {
            if (v instanceof String s && !hasNul(s)) {
                requireNoSurrogates(s);
                out.add(s);
            }
        }
        return out.toArray(String[]::new);
    }
}
