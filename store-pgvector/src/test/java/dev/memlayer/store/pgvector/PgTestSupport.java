package dev.memlayer.store.pgvector;

import dev.memlayer.api.spi.ScoredRecord;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Connection settings for tests: MEMLAYER_PG_URL / MEMLAYER_PG_USER / MEMLAYER_PG_PASSWORD with the
 * project's defaults (127.0.0.1:55432, memlayer/memlayer/memlayer), and a unique table per test
 * class so that parallel runs never share data.
 */
final class PgTestSupport {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PgTestSupport() {
    }

    /** @return the environment's configuration with a fresh table {@code <prefix>_<random>} */
    static PgVectorConfig.Builder config(String prefix, int dimensions) {
        byte[] b = new byte[5];
        RANDOM.nextBytes(b);
        return PgVectorConfig.fromEnv(Map.copyOf(System.getenv())).toBuilder()
                .table(prefix + "_" + HexFormat.of().formatHex(b))
                .dimensions(dimensions)
                .poolSize(4)
                .connectTimeout(Duration.ofSeconds(3))
                .statementTimeout(Duration.ofSeconds(20));
    }

    private static volatile com.zaxxer.hikari.HikariDataSource shared;

    /**
     * One connection pool for the conformance suites, which open and close a store per test: the
     * stores use it as a caller-managed data source (and so never close it).
     */
    static synchronized javax.sql.DataSource sharedDataSource() {
        if (shared == null) {
            PgVectorConfig env = PgVectorConfig.fromEnv(Map.copyOf(System.getenv()));
            com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource();
            ds.setPoolName("memlayer-pg-tests");
            ds.setJdbcUrl(env.jdbcUrl());
            ds.setUsername(env.user());
            ds.setPassword(env.password());
            ds.setMaximumPoolSize(16);
            ds.setMinimumIdle(1);
            ds.addDataSourceProperty("options", "-c statement_timeout=60000");
            shared = ds;
            Runtime.getRuntime().addShutdownHook(new Thread(ds::close));
        }
        return shared;
    }

    /** A fresh random suffix for table names: {@code <prefix>_<10 hex>}. */
    static String uniqueTable(String prefix) {
        byte[] b = new byte[5];
        RANDOM.nextBytes(b);
        return prefix + "_" + HexFormat.of().formatHex(b);
    }

    /** Drops the collection's tables (test cleanup). */
    static void drop(PgVectorConfig config) {
        try (Connection c = connect(config); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS \"" + config.schema() + "\".\"" + config.table() + "\"");
            s.execute("DROP TABLE IF EXISTS \"" + config.schema() + "\".\"" + config.historyTable() + "\"");
            s.execute("DROP TABLE IF EXISTS \"" + config.schema() + "\".\"" + config.table() + "_scope_versions\"");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain JDBC connection to the test server. */
    static Connection connect(PgVectorConfig config) throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
    }

    /**
     * A connection holding an open REPEATABLE READ snapshot: until it is rolled back or closed,
     * {@code CREATE INDEX CONCURRENTLY} cannot mark an index valid, so the store's background
     * builds stay unfinished.
     */
    static Connection openSnapshot(PgVectorConfig config) throws SQLException {
        Connection c = connect(config);
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1").close();
        }
        return c;
    }

    /** @return a vector of {@code dimensions} standard normal components (not unit length) */
    static float[] gaussian(Random random, int dimensions) {
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** @return the hits' ids, in order */
    static List<String> ids(List<ScoredRecord> hits) {
        return hits.stream().map(h -> h.record().id()).toList();
    }

    /** @return the hits as {@code id=score}, in order (equal lists mean equal ids, scores and order) */
    static List<String> idsAndScores(List<ScoredRecord> hits) {
        return hits.stream().map(h -> h.record().id() + "=" + h.score()).toList();
    }
}
