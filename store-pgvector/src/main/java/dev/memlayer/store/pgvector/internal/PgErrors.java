package dev.memlayer.store.pgvector.internal;

import dev.memlayer.api.MemoryException;
import dev.memlayer.api.StoreException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Turns JDBC, Jdbi and pool failures into {@link StoreException}s that say whether a retry can help.
 */
public final class PgErrors {

    /**
     * SQLStates after which the same operation may succeed later: connection failures (class 08),
     * server shutdown/crash (57P01-57P03), serialization failure and deadlock (40001, 40P01), too
     * many connections / out of resources (53xxx), statement timeout or cancel (57014), lock not
     * available (55P03).
     */
    private static final Set<String> RETRYABLE = Set.of("57P01", "57P02", "57P03", "40001", "40P01", "57014", "55P03",
            "53000", "53100", "53200", "53300", "53400");

    private PgErrors() {
    }

    /**
     * @param operation what was attempted, e.g. {@code "search"}
     * @param failure   the failure
     * @return the exception to throw: memlayer's own exceptions unchanged, anything else wrapped
     */
    public static RuntimeException translate(String operation, Throwable failure) {
        if (failure instanceof MemoryException me) {
            return me;
        }
        SQLException sql = find(failure);
        String state = sql == null ? null : sql.getSQLState();
        boolean retryable = retryable(sql, failure);
        String detail = sql != null ? sql.getMessage() : String.valueOf(failure.getMessage());
        StringBuilder message = new StringBuilder("PostgreSQL ").append(operation).append(" failed: ").append(detail);
        if (state != null) {
            message.append(" (SQLState ").append(state).append(')');
        }
        if (retryable) {
            message.append("; the server was unreachable, overloaded or too slow: check that it is running and retry");
        } else if ("42P01".equals(state) || "42703".equals(state)) {
            message.append("; the table or a column is missing: restart the store to recreate the schema");
        }
        return new StoreException(message.toString(), retryable, failure);
    }

    /**
     * @return true when the connection broke (SQLState 08xxx, or 57P01-57P03 for a server shutting
     *         down) rather than timed out: a waiting pool ({@link SQLTransientConnectionException})
     *         or a silent socket ({@link java.net.SocketTimeoutException}) are not broken connections
     */
    public static boolean isBrokenConnection(Throwable failure) {
        boolean broken = false;
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.SocketTimeoutException) {
                return false;
            }
            if (t instanceof SQLException e && e.getSQLState() != null) {
                String s = e.getSQLState();
                broken |= s.startsWith("08") || s.equals("57P01") || s.equals("57P02") || s.equals("57P03");
            }
        }
        return broken;
    }

    /** @return true when the server aborted the transaction for a deadlock or serialization failure */
    public static boolean isTransactionConflict(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException e && ("40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean retryable(SQLException sql, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof java.net.SocketTimeoutException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException e && e.getSQLState() != null) {
                String s = e.getSQLState();
                if (s.startsWith("08") || RETRYABLE.contains(s)) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static SQLException find(Throwable failure) {
        SQLException first = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e) {
                if (e.getSQLState() != null) {
                    return e;
                }
                if (first == null) {
                    first = e;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return first;
    }
}
