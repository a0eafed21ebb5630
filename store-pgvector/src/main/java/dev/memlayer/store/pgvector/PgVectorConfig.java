package dev.memlayer.store.pgvector;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Settings of the PostgreSQL + pgvector store. Build one with {@link #builder()} or read it from the
 * environment with {@link #fromEnv()}.
 *
 * @param jdbcUrl              {@code jdbc:postgresql://host:port/database[?...]}; null when a
 *                             {@code dataSource} is given
 * @param user                 the database user, or null (taken from the URL or the data source)
 * @param password             the password, or null
 * @param dataSource           a caller-managed data source to use instead of an own HikariCP pool
 *                             (not closed by the store), or null
 * @param schema               the schema holding the tables (created if missing), lower-case SQL
 *                             identifier, default {@code public}
 * @param table                the collection's table (lower-case identifier, at most 40
 *                             characters); the history lives in {@code <table>_history}; default
 *                             {@code memlayer_memories}
 * @param dimensions           the embedding dimension, 1 to 16000; 0 means "not set" (the Guice
 *                             module then takes the bound embedder's dimension). Up to 2000 the
 *                             HNSW index is on {@code vector}, up to 4000 on a {@code halfvec}
 *                             expression; above that searches are exact
 * @param hnswM                HNSW {@code m} (links per node), 2 to 100, pgvector default 16
 * @param hnswEfConstruction   HNSW {@code ef_construction}, 4 to 1000 and at least {@code 2 * m},
 *                             pgvector default 64
 * @param efSearch             HNSW {@code hnsw.ef_search} for searches (candidate list size), 1 to
 *                             1000, default 100
 * @param maxScanTuples        {@code hnsw.max_scan_tuples}: how many tuples a filtered iterative
 *                             index scan may visit before the store falls back to an exact scan,
 *                             default 20000
 * @param exactSearchThreshold a search whose filter pins user_id/agent_id/run_id (EQ or IN) runs as an
 *                             exact (brute-force) scan of that scope, recall 1.0, when the scope
 *                             holds at most this many memories (counted with a bounded index scan);
 *                             larger scopes, and filters that pin no scope, walk the HNSW index
 *                             with iterative scans (measured recall@10 about 0.95 for a 10% scope,
 *                             less for rarer ones). A whole collection of at most
 *                             min(this, 2000) memories is always searched exactly. 0 disables
 *                             exact scans (except as the fallback for short pages). Default 20000
 *                             (at 100k x 384, an exact scan of a scattered 10k scope took 10-25 ms
 *                             here, the filtered HNSW walk 10-15 ms with recall 0.95)
 * @param poolSize             maximum connections of the own pool (and of the separate pool that
 *                             holds scope locks), default 10
 * @param connectTimeout       how long to wait for a connection (from the pool or the server)
 *                             before failing with a retryable StoreException, default 5 s
 * @param statementTimeout     the server-side {@code statement_timeout} and the basis of the
 *                             driver's socket timeout, default 30 s
 * @param scopeLockTimeout     how long {@code withScopeLock} waits for another process's lock on
 *                             the same scope, default 60 s
 * @param createSchema         create and migrate the schema on start (default true); false only
 *                             checks that the tables exist with the right dimension
 * @param maintenanceWorkMem   {@code maintenance_work_mem} for HNSW index builds, e.g.
 *                             {@code 512MB}, default {@code 512MB}
 * @param deferIndexing        true (default): writes leave rows outside the HNSW index and a
 *                             background thread adds them moments later (writes cost B-tree
 *                             updates only; pending rows are searched exactly, so results are the
 *                             same); false: every write inserts into the HNSW index in its own
 *                             transaction (about 1-3 ms per row at 100k rows)
 * @param scopeCacheMaxVectors most vectors the JVM-side scope cache holds (half precision,
 *                             {@code 2 * dimensions} bytes each plus the id; 200,000 x 384 take
 *                             about 160 MB), least recently used users evicted first; 0 disables
 *                             it. An exact search pinned to one user_id (optionally with the
 *                             engine's "not expired" filter) pre-selects its candidates from the
 *                             cached vectors and has PostgreSQL score only those; results are
 *                             identical. Default 200000
 * @param scopeCacheMinScope   users with fewer memories are not cached (their SQL scan is fast
 *                             enough), at least 1, default 2000
 */
public record PgVectorConfig(
        String jdbcUrl,
        String user,
        String password,
        DataSource dataSource,
        String schema,
        String table,
        int dimensions,
        int hnswM,
        int hnswEfConstruction,
        int efSearch,
        int maxScanTuples,
        int exactSearchThreshold,
        int poolSize,
        Duration connectTimeout,
        Duration statementTimeout,
        Duration scopeLockTimeout,
        boolean createSchema,
        String maintenanceWorkMem,
        boolean deferIndexing,
        int scopeCacheMaxVectors,
        int scopeCacheMinScope) {

    /** The JDBC URL {@link #fromEnv()} uses when {@code MEMLAYER_PG_URL} is unset. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:55432/memlayer";
    /** The user and password {@link #fromEnv()} uses when unset. */
    public static final String DEFAULT_USER = "memlayer";
    public static final String DEFAULT_SCHEMA = "public";
    public static final String DEFAULT_TABLE = "memlayer_memories";
    public static final int DEFAULT_HNSW_M = 16;
    public static final int DEFAULT_HNSW_EF_CONSTRUCTION = 64;
    public static final int DEFAULT_EF_SEARCH = 100;
    public static final int DEFAULT_MAX_SCAN_TUPLES = 20_000;
    public static final int DEFAULT_EXACT_SEARCH_THRESHOLD = 20_000;
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int DEFAULT_SCOPE_CACHE_MAX_VECTORS = 200_000;
    public static final int DEFAULT_SCOPE_CACHE_MIN_SCOPE = 2_000;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern MEMORY = Pattern.compile("[0-9]+\\s*(kB|MB|GB)");

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for any value out of
     *                             its range, with a message naming it
     */
    public PgVectorConfig {
        if (dataSource == null && (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:"))) {
            throw invalid("jdbcUrl must be a jdbc:postgresql:// URL (or give a DataSource), got " + jdbcUrl);
        }
        schema = schema == null ? DEFAULT_SCHEMA : schema;
        table = table == null ? DEFAULT_TABLE : table;
        if (!IDENTIFIER.matcher(schema).matches() || schema.length() > 63) {
            throw invalid("schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63 characters), got '"
                    + schema + "'");
        }
        if (!IDENTIFIER.matcher(table).matches() || table.length() > 40) {
            throw invalid("table must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 40 characters), got '"
                    + table + "'");
        }
        if (dimensions < 0 || dimensions > 16000) {
            throw invalid("dimensions must be between 1 and 16000 (0 = take the embedder's), got " + dimensions);
        }
        if (hnswM < 2 || hnswM > 100) {
            throw invalid("hnswM must be between 2 and 100, got " + hnswM);
        }
        if (hnswEfConstruction < 4 || hnswEfConstruction > 1000 || hnswEfConstruction < 2 * hnswM) {
            throw invalid("hnswEfConstruction must be between 4 and 1000 and at least 2 * hnswM, got " + hnswEfConstruction);
        }
        if (efSearch < 1 || efSearch > 1000) {
            throw invalid("efSearch must be between 1 and 1000, got " + efSearch);
        }
        if (maxScanTuples < 1) {
            throw invalid("maxScanTuples must be positive, got " + maxScanTuples);
        }
        if (scopeCacheMaxVectors < 0) {
            throw invalid("scopeCacheMaxVectors must be at least 0, got " + scopeCacheMaxVectors);
        }
        if (scopeCacheMinScope < 1) {
            throw invalid("scopeCacheMinScope must be at least 1, got " + scopeCacheMinScope);
        }
        if (exactSearchThreshold < 0) {
            throw invalid("exactSearchThreshold must be at least 0, got " + exactSearchThreshold);
        }
        if (poolSize < 1 || poolSize > 1000) {
            throw invalid("poolSize must be between 1 and 1000, got " + poolSize);
        }
        connectTimeout = positive("connectTimeout", connectTimeout, Duration.ofSeconds(5));
        statementTimeout = positive("statementTimeout", statementTimeout, Duration.ofSeconds(30));
        scopeLockTimeout = positive("scopeLockTimeout", scopeLockTimeout, Duration.ofSeconds(60));
        if (connectTimeout.toMillis() < 250) {
            throw invalid("connectTimeout must be at least 250 ms, got " + connectTimeout);
        }
        maintenanceWorkMem = maintenanceWorkMem == null ? "512MB" : maintenanceWorkMem.strip();
        if (!MEMORY.matcher(maintenanceWorkMem).matches()) {
            throw invalid("maintenanceWorkMem must look like 512MB, 1GB or 65536kB, got '" + maintenanceWorkMem + "'");
        }
    }

    private static Duration positive(String name, Duration d, Duration fallback) {
        if (d == null) {
            return fallback;
        }
        if (d.isNegative() || d.isZero()) {
            throw invalid(name + " must be positive, got " + d);
        }
        return d;
    }

    private static ValidationException invalid(String message) {
        return new ValidationException(ErrorCode.INVALID_CONFIGURATION, message);
    }

    /** @return the history table's name, {@code <table>_history} */
    public String historyTable() {
        return table + "_history";
    }

    /**
     * @param dims the embedding dimension
     * @return a copy with another dimension
     */
    public PgVectorConfig withDimensions(int dims) {
        return toBuilder().dimensions(dims).build();
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "PgVectorConfig[url=" + (dataSource != null ? "<DataSource>" : jdbcUrl) + ", user=" + user
                + ", password=" + (password == null ? "null" : "***") + ", schema=" + schema + ", table=" + table
                + ", dimensions=" + dimensions + ", hnswM=" + hnswM + ", hnswEfConstruction=" + hnswEfConstruction
                + ", efSearch=" + efSearch + ", maxScanTuples=" + maxScanTuples + ", exactSearchThreshold="
                + exactSearchThreshold + ", poolSize=" + poolSize + ", connectTimeout=" + connectTimeout
                + ", statementTimeout=" + statementTimeout + ", scopeLockTimeout=" + scopeLockTimeout
                + ", createSchema=" + createSchema + ", maintenanceWorkMem=" + maintenanceWorkMem
                + ", deferIndexing=" + deferIndexing + ", scopeCacheMaxVectors=" + scopeCacheMaxVectors
                + ", scopeCacheMinScope=" + scopeCacheMinScope + "]";
    }

    /**
     * Reads the configuration from the environment:
     * <ul>
     *   <li>{@code MEMLAYER_PG_URL}: a JDBC URL ({@code jdbc:postgresql://host:port/db}) or a
     *       libpq-style URL ({@code postgresql://user:password@host:port/db}); default
     *       {@value #DEFAULT_URL}</li>
     *   <li>{@code MEMLAYER_PG_USER}, {@code MEMLAYER_PG_PASSWORD}: default {@code memlayer}
     *       (unless the URL carries them)</li>
     *   <li>{@code MEMLAYER_PG_SCHEMA}, {@code MEMLAYER_PG_TABLE}, {@code MEMLAYER_PG_DIMENSIONS}
     *       (default 0: the embedder's), {@code MEMLAYER_PG_POOL_SIZE}, {@code MEMLAYER_PG_HNSW_M},
     *       {@code MEMLAYER_PG_HNSW_EF_CONSTRUCTION}, {@code MEMLAYER_PG_EF_SEARCH},
     *       {@code MEMLAYER_PG_MAX_SCAN_TUPLES}, {@code MEMLAYER_PG_EXACT_SEARCH_THRESHOLD},
     *       {@code MEMLAYER_PG_CONNECT_TIMEOUT_MS}, {@code MEMLAYER_PG_STATEMENT_TIMEOUT_MS},
     *       {@code MEMLAYER_PG_SCOPE_LOCK_TIMEOUT_MS}, {@code MEMLAYER_PG_MAINTENANCE_WORK_MEM},
     *       {@code MEMLAYER_PG_DEFER_INDEXING} ({@code true}/{@code false}),
     *       {@code MEMLAYER_PG_SCOPE_CACHE_MAX_VECTORS}, {@code MEMLAYER_PG_SCOPE_CACHE_MIN_SCOPE}</li>
     * </ul>
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for unparseable values
     */
    public static PgVectorConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * Like {@link #fromEnv()}, reading the given map instead of the process environment.
     */
    public static PgVectorConfig fromEnv(Map<String, String> env) {
        Builder b = builder();
        String url = get(env, "MEMLAYER_PG_URL");
        b.url(url == null ? DEFAULT_URL : url);
        String user = get(env, "MEMLAYER_PG_USER");
        if (user != null || b.user == null) {
            b.user(user == null ? DEFAULT_USER : user);
        }
        String password = get(env, "MEMLAYER_PG_PASSWORD");
        if (password != null || b.password == null) {
            b.password(password == null ? DEFAULT_USER : password);
        }
        String v;
        if ((v = get(env, "MEMLAYER_PG_SCHEMA")) != null) {
            b.schema(v);
        }
        if ((v = get(env, "MEMLAYER_PG_TABLE")) != null) {
            b.table(v);
        }
        b.dimensions(integer(env, "MEMLAYER_PG_DIMENSIONS", 0));
        b.poolSize(integer(env, "MEMLAYER_PG_POOL_SIZE", DEFAULT_POOL_SIZE));
        b.hnswM(integer(env, "MEMLAYER_PG_HNSW_M", DEFAULT_HNSW_M));
        b.hnswEfConstruction(integer(env, "MEMLAYER_PG_HNSW_EF_CONSTRUCTION", DEFAULT_HNSW_EF_CONSTRUCTION));
        b.efSearch(integer(env, "MEMLAYER_PG_EF_SEARCH", DEFAULT_EF_SEARCH));
        b.maxScanTuples(integer(env, "MEMLAYER_PG_MAX_SCAN_TUPLES", DEFAULT_MAX_SCAN_TUPLES));
        b.exactSearchThreshold(integer(env, "MEMLAYER_PG_EXACT_SEARCH_THRESHOLD", DEFAULT_EXACT_SEARCH_THRESHOLD));
        b.scopeCacheMaxVectors(integer(env, "MEMLAYER_PG_SCOPE_CACHE_MAX_VECTORS", DEFAULT_SCOPE_CACHE_MAX_VECTORS));
        b.scopeCacheMinScope(integer(env, "MEMLAYER_PG_SCOPE_CACHE_MIN_SCOPE", DEFAULT_SCOPE_CACHE_MIN_SCOPE));
        b.connectTimeout(Duration.ofMillis(integer(env, "MEMLAYER_PG_CONNECT_TIMEOUT_MS", 5_000)));
        b.statementTimeout(Duration.ofMillis(integer(env, "MEMLAYER_PG_STATEMENT_TIMEOUT_MS", 30_000)));
        b.scopeLockTimeout(Duration.ofMillis(integer(env, "MEMLAYER_PG_SCOPE_LOCK_TIMEOUT_MS", 60_000)));
        if ((v = get(env, "MEMLAYER_PG_MAINTENANCE_WORK_MEM")) != null) {
            b.maintenanceWorkMem(v);
        }
        if ((v = get(env, "MEMLAYER_PG_DEFER_INDEXING")) != null) {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw invalid("MEMLAYER_PG_DEFER_INDEXING must be true or false, got '" + v + "'");
            }
            b.deferIndexing(Boolean.parseBoolean(v));
        }
        return b.build();
    }

    private static String get(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static int integer(Map<String, String> env, String key, int fallback) {
        String v = get(env, key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, key + " must be an integer, got '" + v + "'", e);
        }
    }

    /** @return a builder with the defaults (no URL, no dimension) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.jdbcUrl = jdbcUrl;
        b.user = user;
        b.password = password;
        b.dataSource = dataSource;
        b.schema = schema;
        b.table = table;
        b.dimensions = dimensions;
        b.hnswM = hnswM;
        b.hnswEfConstruction = hnswEfConstruction;
        b.efSearch = efSearch;
        b.maxScanTuples = maxScanTuples;
        b.exactSearchThreshold = exactSearchThreshold;
        b.poolSize = poolSize;
        b.connectTimeout = connectTimeout;
        b.statementTimeout = statementTimeout;
        b.scopeLockTimeout = scopeLockTimeout;
        b.createSchema = createSchema;
        b.maintenanceWorkMem = maintenanceWorkMem;
        b.deferIndexing = deferIndexing;
        b.scopeCacheMaxVectors = scopeCacheMaxVectors;
        b.scopeCacheMinScope = scopeCacheMinScope;
        return b;
    }

    /** Builds {@link PgVectorConfig}s; every setter returns the builder. */
    public static final class Builder {
        private String jdbcUrl;
        private String host;
        private int port = 5432;
        private String database;
        private String user;
        private String password;
        private DataSource dataSource;
        private String schema = DEFAULT_SCHEMA;
        private String table = DEFAULT_TABLE;
        private int dimensions;
        private int hnswM = DEFAULT_HNSW_M;
        private int hnswEfConstruction = DEFAULT_HNSW_EF_CONSTRUCTION;
        private int efSearch = DEFAULT_EF_SEARCH;
        private int maxScanTuples = DEFAULT_MAX_SCAN_TUPLES;
        private int exactSearchThreshold = DEFAULT_EXACT_SEARCH_THRESHOLD;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration statementTimeout = Duration.ofSeconds(30);
        private Duration scopeLockTimeout = Duration.ofSeconds(60);
        private boolean createSchema = true;
        private String maintenanceWorkMem = "512MB";
        private boolean deferIndexing = true;
        private int scopeCacheMaxVectors = DEFAULT_SCOPE_CACHE_MAX_VECTORS;
        private int scopeCacheMinScope = DEFAULT_SCOPE_CACHE_MIN_SCOPE;

        private Builder() {
        }

        /** A {@code jdbc:postgresql://} URL. */
        public Builder jdbcUrl(String v) { jdbcUrl = v; return this; }

        /**
         * A JDBC URL or a libpq-style {@code postgresql://user:password@host:port/db} URL (user and
         * password taken from it unless set).
         */
        public Builder url(String v) {
            if (v == null || v.startsWith("jdbc:")) {
                jdbcUrl = v;
                return this;
            }
            String lower = v.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
                throw invalid("a PostgreSQL URL must start with jdbc:postgresql://, postgresql:// or postgres://");
            }
            URI uri = URI.create(v);
            String info = uri.getRawUserInfo();
            if (info != null) {
                int colon = info.indexOf(':');
                String u = decode(colon < 0 ? info : info.substring(0, colon));
                if (user == null) {
                    user = u;
                }
                if (colon >= 0 && password == null) {
                    password = decode(info.substring(colon + 1));
                }
            }
            jdbcUrl = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return this;
        }

        /** Host of the server; with {@link #port} and {@link #database} forms the URL when none is set. */
        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder database(String v) { database = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder password(String v) { password = v; return this; }
        /** A caller-managed data source (not closed by the store) instead of an own pool. */
        public Builder dataSource(DataSource v) { dataSource = v; return this; }
        public Builder schema(String v) { schema = v; return this; }
        public Builder table(String v) { table = v; return this; }
        /** Same as {@link #table}: one table per collection. */
        public Builder collection(String v) { table = v; return this; }
        public Builder dimensions(int v) { dimensions = v; return this; }
        public Builder hnswM(int v) { hnswM = v; return this; }
        public Builder hnswEfConstruction(int v) { hnswEfConstruction = v; return this; }
        public Builder efSearch(int v) { efSearch = v; return this; }
        public Builder maxScanTuples(int v) { maxScanTuples = v; return this; }
        public Builder exactSearchThreshold(int v) { exactSearchThreshold = v; return this; }
        public Builder poolSize(int v) { poolSize = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder statementTimeout(Duration v) { statementTimeout = v; return this; }
        public Builder scopeLockTimeout(Duration v) { scopeLockTimeout = v; return this; }
        public Builder createSchema(boolean v) { createSchema = v; return this; }
        public Builder maintenanceWorkMem(String v) { maintenanceWorkMem = v; return this; }
        public Builder deferIndexing(boolean v) { deferIndexing = v; return this; }
        public Builder scopeCacheMaxVectors(int v) { scopeCacheMaxVectors = v; return this; }
        public Builder scopeCacheMinScope(int v) { scopeCacheMinScope = v; return this; }

        /**
         * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for invalid values
         */
        public PgVectorConfig build() {
            String url = jdbcUrl;
            if (url == null && host != null) {
                url = "jdbc:postgresql://" + host + ":" + port + "/" + (database == null ? "postgres" : database);
            }
            return new PgVectorConfig(url, user, password, dataSource, schema, table, dimensions, hnswM,
                    hnswEfConstruction, efSearch, maxScanTuples, exactSearchThreshold, poolSize, connectTimeout,
                    statementTimeout, scopeLockTimeout, createSchema, maintenanceWorkMem, deferIndexing,
                    scopeCacheMaxVectors, scopeCacheMinScope);
        }

        private static String decode(String s) {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        }
    }
}
