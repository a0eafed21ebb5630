package dev.memlayer.store.pgvector.internal;

import com.pgvector.PGvector;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Binds {@link SqlFragment} parameters positionally with explicit JDBC setters, so that every value
 * reaches PostgreSQL as a typed parameter.
 */
public final class PgBinder {

    private PgBinder() {
    }

    /**
     * Binds {@code params} to positions {@code 0..n-1} of the statement.
     *
     * @return the statement
     */
    public static <S extends SqlStatement<S>> S bindAll(S statement, List<?> params) {
        for (int i = 0; i < params.size(); i++) {
            Object value = params.get(i);
            statement.bind(i, (Argument) (position, ps, ctx) -> set(ps, position, value));
        }
        return statement;
    }

    /** Sets one JDBC parameter. */
    public static void set(PreparedStatement ps, int position, Object value) throws SQLException {
        switch (value) {
            case null -> ps.setNull(position, Types.VARCHAR);
            case String s -> ps.setString(position, s);
            case BigDecimal d -> ps.setBigDecimal(position, d);
            case Boolean b -> ps.setBoolean(position, b);
            case Short s -> ps.setShort(position, s);
            case Integer n -> ps.setInt(position, n);
            case Long n -> ps.setLong(position, n);
            case OffsetDateTime t -> ps.setObject(position, t);
            case LocalDate d -> ps.setObject(position, d);
            case SqlFragment.TextArray a -> ps.setArray(position, ps.getConnection().createArrayOf("text", a.values()));
            case PGvector v -> ps.setObject(position, v);
            case float[] v -> ps.setObject(position, new PGvector(v));
            case String[] a -> ps.setArray(position, ps.getConnection().createArrayOf("text", a));
            case BinaryCopy.Jsonb j -> ps.setString(position, j.text());
            default -> throw new IllegalArgumentException("unsupported SQL parameter type " + value.getClass());
        }
    }
}
