package dev.memlayer.store.pgvector.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A piece of SQL with its positional ({@code ?}) parameters, in order. Parameter values are
 * {@link String}, {@link java.math.BigDecimal}, {@link Boolean}, {@link Integer}, {@link Long},
 * {@link Short}, {@link java.time.OffsetDateTime}, {@link java.time.LocalDate}, {@link TextArray}
 * or {@link com.pgvector.PGvector}; {@link PgBinder} binds them.
 *
 * @param sql    the SQL text; never contains user-supplied text, only {@code ?} placeholders
 * @param params the values of the placeholders, in order
 */
public record SqlFragment(String sql, List<Object> params) {

    /** The fragment that is always true. */
    public static final SqlFragment TRUE = new SqlFragment("TRUE", List.of());
    /** The fragment that is always false. */
    public static final SqlFragment FALSE = new SqlFragment("FALSE", List.of());

    public SqlFragment {
        params = Collections.unmodifiableList(new ArrayList<>(params));
    }

    /** @return true for the constant TRUE */
    public boolean isTrue() {
        return this == TRUE || "TRUE".equals(sql) && params.isEmpty();
    }

    /** @return true for the constant FALSE */
    public boolean isFalse() {
        return this == FALSE || "FALSE".equals(sql) && params.isEmpty();
    }

    /**
     * A {@code text[]} parameter.
     *
     * @param values the elements, none null
     */
    public record TextArray(String[] values) {
    }

    /** Accumulates SQL text and parameters. */
    public static final class Builder {
        private final StringBuilder sql = new StringBuilder();
        private final List<Object> params = new ArrayList<>();

        /** Appends SQL text (never user input). */
        public Builder sql(String text) {
            sql.append(text);
            return this;
        }

        /** Appends a {@code ?} placeholder bound to {@code value}. */
        public Builder param(Object value) {
            sql.append('?');
            params.add(value);
            return this;
        }

        /** Appends another fragment's SQL and parameters. */
        public Builder frag(SqlFragment fragment) {
            sql.append(fragment.sql());
            params.addAll(fragment.params());
            return this;
        }

        public SqlFragment build() {
            return new SqlFragment(sql.toString(), params);
        }
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }
}
