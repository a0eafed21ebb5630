package dev.memlayer.store.pgvector.internal;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.store.pgvector.PgVectorConfig;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates the schema: the memories table with typed columns, its HNSW and B-tree
 * indexes, and the history table (SPEC §5). Idempotent, and safe when several processes start at
 * once: all DDL runs in one transaction under a global advisory lock. An existing table whose
 * embedding column has another dimension is never altered: that is a
 * {@link ErrorCode#DIMENSION_MISMATCH}.
 *
 * <p>Identifiers come from the validated configuration ({@code [a-z_][a-z0-9_]*}) and are quoted;
 * numbers (dimension, HNSW parameters) are validated integers.
 */
public final class PgSchema {

    private static final Logger LOG = LoggerFactory.getLogger(PgSchema.class);

    /** The advisory lock key serialising memlayer's DDL ("memlayer" in ASCII). */
    public static final long DDL_LOCK = 0x6d656d6c61796572L;

    /** HNSW on {@code vector} supports up to this many dimensions (pgvector 0.8). */
    public static final int MAX_VECTOR_INDEX_DIMS = 2000;
    /** HNSW on {@code halfvec} supports up to this many dimensions. */
    public static final int MAX_HALFVEC_INDEX_DIMS = 4000;

    private final PgVectorConfig config;

    /** @param config the validated configuration */
    public PgSchema(PgVectorConfig config) {
        this.config = config;
    }

    /** @return {@code "schema"."table"} */
    public String table() {
        return quote(config.schema()) + "." + quote(config.table());
    }

    /** @return {@code "schema"."table_history"} */
    public String historyTable() {
        return quote(config.schema()) + "." + quote(config.historyTable());
    }

    /**
     * The version table {@code "schema"."table_scope_versions"}: {@code (scope text primary key,
     * version bigint)}, one row {@code 'all'} (the collection's epoch, bumped by every reset and bulk
     * load) and one row {@code 'u:' || user_id} per user written since (bumped by every write that
     * changes one of that user's rows, in the same transaction). Caches of a user's rows compare
     * both to know whether they are current ({@link ScopeCache}).
     *
     * @return the qualified, quoted name
     */
    public String versionTable() {
        return quote(config.schema()) + "." + quote(config.table() + "_scope_versions");
    }

    /** @return the HNSW index's name (unqualified) */
    public String vectorIndexName() {
        return config.table() + "_embedding_hnsw";
    }

    /**
     * The distance expression the HNSW index orders by, with one {@code ?} for the query vector.
     *
     * @return e.g. {@code embedding <=> ?::vector}; for 2001-4000 dimensions a {@code halfvec}
     *         expression matching the expression index
     */
    public String indexedDistance() {
        int n = config.dimensions();
        return n <= MAX_VECTOR_INDEX_DIMS ? "embedding <=> ?::vector"
                : "(embedding::halfvec(" + n + ")) <=> (?::vector::halfvec(" + n + "))";
    }

    /** @return whether the configured dimension has an HNSW index */
    public boolean hasVectorIndex() {
        return config.dimensions() <= MAX_HALFVEC_INDEX_DIMS;
    }

    /** @return the DDL of the HNSW index (cosine) */
    public String vectorIndexDdl() {
        int n = config.dimensions();
        String target = n <= MAX_VECTOR_INDEX_DIMS ? "embedding vector_cosine_ops"
                : "(embedding::halfvec(" + n + ")) halfvec_cosine_ops";
        return "CREATE INDEX IF NOT EXISTS " + quote(vectorIndexName()) + " ON " + table() + " USING hnsw (" + target
                + ") WITH (m = " + config.hnswM() + ", ef_construction = " + config.hnswEfConstruction() + ") WHERE indexed";
    }

    /**
     * Embeddings up to this many dimensions also get the covering scope index
     * ({@link #scopeVectorIndexName()}): a B-tree entry holds at most 2704 bytes, and the vector
     * ({@code 8 + 4n} bytes) must leave room for the two ids ({@link #shortIds()} caps them at
     * {@code 2560 - 4n} bytes, which leaves over 100 bytes for the tuple header, the varlena headers,
     * the 4-byte date and alignment).
     */
    public static final int MAX_SCOPE_VECTOR_DIMS = 576;

    /** @return whether this collection has the covering index {@link #scopeVectorIndexName()} */
    public boolean hasScopeVectorIndex() {
        return config.dimensions() <= MAX_SCOPE_VECTOR_DIMS;
    }

    /**
     * @return the covering scope index's name: {@code (user_id) INCLUDE (id, expiration_date,
     *         embedding)}
     */
    public String scopeVectorIndexName() {
        return config.table() + "_user_cover_idx";
    }

    /**
     * Indexes earlier versions created that this version replaces, dropped (concurrently, once
     * their replacements are valid) by the background builder: {@code <table>_user_vec_idx}, the
     * covering index without {@code expiration_date} (a search carrying the engine's "not expired"
     * filter could not use it for an index-only scan).
     *
     * @return unqualified index names
     */
    public java.util.List<String> obsoleteIndexes() {
        return java.util.List.of(config.table() + "_user_vec_idx");
    }

    /**
     * The rows the covering scope index holds: those whose id and user_id leave room for the
     * vector in a B-tree entry (all rows with ordinary ids). The others are found through the small
     * index {@code <table>_user_long_idx}. An exact search of a user's rows reads the two parts
     * separately ({@code short} and {@code NOT (short)}), so the first is an index-only scan of
     * contiguous index pages instead of one heap page per row.
     *
     * @return a boolean SQL expression over {@code id} and {@code user_id}, never null
     */
    public String shortIds() {
        return "octet_length(id) + coalesce(octet_length(user_id), 0) <= " + (2560 - 4 * config.dimensions());
    }

    /**
     * The indexes built in the background with {@code CREATE INDEX CONCURRENTLY} when the table
     * already holds rows (after a bulk load, or when an older table lacks them), name to DDL without
     * {@code CONCURRENTLY}, in build order: the scope B-trees (user, agent, run, and the user index
     * of rows with very long ids), the creation-time index (unscoped lists), the pending-row index,
     * the covering scope index and the HNSW index. None of them is needed for a search to be
     * correct: until they are valid, searches and lists are exact scans of the table (slower, same
     * results). A bulk load therefore commits with the primary key only (measured at 100k x 384:
     * the scope B-trees took 0.35-0.55 s of a 2.0-2.5 s load); they are the first built after it.
     */
    public java.util.LinkedHashMap<String, String> backgroundIndexes() {
        String t = config.table();
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        out.put(t + "_user_idx", "CREATE INDEX IF NOT EXISTS " + quote(t + "_user_idx") + " ON " + table()
                + " (user_id, created_at DESC, created_at_ns DESC, id)");
        out.put(t + "_agent_idx", "CREATE INDEX IF NOT EXISTS " + quote(t + "_agent_idx") + " ON " + table()
                + " (agent_id, created_at DESC, created_at_ns DESC, id)");
        out.put(t + "_run_idx", "CREATE INDEX IF NOT EXISTS " + quote(t + "_run_idx") + " ON " + table()
                + " (run_id, created_at DESC, created_at_ns DESC, id)");
        if (hasScopeVectorIndex()) {
            // the few rows whose ids are too long for the covering index
            out.put(t + "_user_long_idx", "CREATE INDEX IF NOT EXISTS " + quote(t + "_user_long_idx") + " ON "
                    + table() + " (user_id) WHERE NOT (" + shortIds() + ")");
        }
        out.put(t + "_created_idx", "CREATE INDEX IF NOT EXISTS " + quote(t + "_created_idx") + " ON " + table()
                + " (created_at DESC, created_at_ns DESC, id)");
        // the rows not yet in the HNSW index: searched exactly, promoted by the background indexer
        out.put(t + "_pending_idx", "CREATE INDEX IF NOT EXISTS " + quote(t + "_pending_idx") + " ON " + table()
                + " (id) WHERE NOT indexed");
        if (hasScopeVectorIndex()) {
            out.put(scopeVectorIndexName(), "CREATE INDEX IF NOT EXISTS " + quote(scopeVectorIndexName()) + " ON "
                    + table() + " (user_id) INCLUDE (id, expiration_date, embedding) WHERE " + shortIds());
        }
        if (hasVectorIndex()) {
            out.put(vectorIndexName(), vectorIndexDdl());
        }
        return out;
    }

    /**
     * The B-tree indexes built in the foreground (everything but the primary key and the
     * {@link #backgroundIndexes()}), name to DDL, in creation order. A bulk load into an empty table
     * drops and rebuilds them.
     */
    public java.util.LinkedHashMap<String, String> foregroundIndexes() {
        java.util.LinkedHashMap<String, String> out = secondaryIndexes();
        out.keySet().removeAll(backgroundIndexes().keySet());
        return out;
    }

    /**
     * The secondary indexes (everything but the primary key), name to DDL, in creation order; the
     * HNSW index last.
     */
    public java.util.LinkedHashMap<String, String> secondaryIndexes() {
        return backgroundIndexes();
    }

    /**
     * Creates or checks the memories table and the history table.
     *
     * @param h a handle; this method runs its own transaction
     * @return what the store needs to know about the server
     * @throws ValidationException ({@link ErrorCode#DIMENSION_MISMATCH}) when the table exists with
     *                             another dimension
     */
    public ServerInfo migrate(Handle h) {
        return h.inTransaction(tx -> {
            tx.execute("SELECT pg_advisory_xact_lock(?)", DDL_LOCK);
            String version = ensureExtension(tx);
            if (config.createSchema()) {
                boolean schemaExists = tx.createQuery("SELECT 1 FROM pg_namespace WHERE nspname = ?")
                        .bind(0, config.schema()).mapTo(Integer.class).findOne().isPresent();
                if (!schemaExists) {
                    tx.execute("CREATE SCHEMA IF NOT EXISTS " + quote(config.schema()));
                }
            }
            Optional<Integer> existing = embeddingDimension(tx);
            if (existing.isPresent() && existing.get() != config.dimensions()) {
                throw new ValidationException(ErrorCode.DIMENSION_MISMATCH, "The table " + config.schema() + "."
                        + config.table() + " holds embeddings of " + existing.get() + " dimensions but the store is"
                        + " configured for " + config.dimensions() + "; use another table (collection) for this"
                        + " embedder, or the embedder that filled it");
            }
            if (existing.isEmpty()) {
                if (!config.createSchema()) {
                    throw new StoreException("The table " + config.schema() + "." + config.table()
                            + " does not exist and createSchema is false; create it or enable createSchema", false, null);
                }
                createTable(tx);
            }
            migrateColumns(tx);
            ensureIndexes(tx);
            if (config.createSchema()) {
                tx.execute("CREATE TABLE IF NOT EXISTS " + versionTable()
                        + " (scope text COLLATE \"C\" PRIMARY KEY, version bigint NOT NULL)");
            }
            ensureHistory(tx);
            boolean versions = tx.createQuery("SELECT to_regclass(?) IS NOT NULL").bind(0, versionTable())
                    .mapTo(Boolean.class).one();
            return new ServerInfo(lowerCollation(tx), iterativeScans(version), versions);
        });
    }

    /**
     * What the store needs to know about the server.
     *
     * @param lowerCollation the collation {@code lower()} uses for ICONTAINS, a quoted identifier
     * @param iterativeScans whether pgvector has iterative index scans (0.8 and later)
     * @param scopeVersions  whether the {@link #versionTable()} exists (it does unless the schema is
     *                       not managed and was created by an older version)
     */
    public record ServerInfo(String lowerCollation, boolean iterativeScans, boolean scopeVersions) {
    }

    private static boolean iterativeScans(String version) {
        String[] parts = version.split("\\.");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            boolean ok = major > 0 || minor >= 8;
            if (!ok) {
                LOG.warn("pgvector {} has no iterative index scans (0.8+): selective filters fall back to exact scans more"
                        + " often; upgrade pgvector for faster filtered searches", version);
            }
            return ok;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Creates or checks only the history table.
     *
     * @param h a handle; this method runs its own transaction
     */
    public void migrateHistory(Handle h) {
        h.useTransaction(tx -> {
            tx.execute("SELECT pg_advisory_xact_lock(?)", DDL_LOCK);
            if (config.createSchema()) {
                tx.execute("CREATE SCHEMA IF NOT EXISTS " + quote(config.schema()));
            }
            ensureHistory(tx);
        });
    }

    private String ensureExtension(Handle tx) {
        Optional<String> version = tx.createQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
                .mapTo(String.class).findOne();
        if (version.isEmpty()) {
            if (!config.createSchema()) {
                throw new StoreException("The pgvector extension is not installed in this database; run"
                        + " CREATE EXTENSION vector as a superuser", false, null);
            }
            tx.execute("CREATE EXTENSION IF NOT EXISTS vector");
            version = tx.createQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
                    .mapTo(String.class).findOne();
        }
        LOG.debug("pgvector {} in use", version.orElse("?"));
        return version.orElse("0.8.0");
    }

    private Optional<Integer> embeddingDimension(Handle tx) {
        return tx.createQuery("SELECT a.atttypmod FROM pg_attribute a WHERE a.attrelid = to_regclass(?)"
                        + " AND a.attname = 'embedding' AND NOT a.attisdropped")
                .bind(0, table()).mapTo(Integer.class).findOne();
    }

    private void createTable(Handle tx) {
        LOG.info("Creating table {}.{} ({} dimensions)", config.schema(), config.table(), config.dimensions());
        tx.execute("CREATE TABLE IF NOT EXISTS " + table() + " ("
                + "id text COLLATE \"C\" PRIMARY KEY,"
                + " memory text COLLATE \"C\" NOT NULL,"
                + " memory_lower text COLLATE \"C\" NOT NULL,"
                + " hash text COLLATE \"C\","
                + " user_id text COLLATE \"C\","
                + " agent_id text COLLATE \"C\","
                + " run_id text COLLATE \"C\","
                + " actor_id text COLLATE \"C\","
                + " role text COLLATE \"C\","
                + " memory_type text COLLATE \"C\","
                + " immutable boolean NOT NULL DEFAULT false,"
                + " created_at timestamptz NOT NULL,"
                + " created_at_ns smallint NOT NULL DEFAULT 0 CHECK (created_at_ns BETWEEN 0 AND 999),"
                + " updated_at timestamptz NOT NULL,"
                + " updated_at_ns smallint NOT NULL DEFAULT 0 CHECK (updated_at_ns BETWEEN 0 AND 999),"
                + " expiration_date date,"
                + " categories text[] COLLATE \"C\" NOT NULL DEFAULT '{}',"
                + " metadata jsonb NOT NULL DEFAULT '{}',"
                + " embedding vector(" + config.dimensions() + ") NOT NULL,"
                + " indexed boolean NOT NULL DEFAULT false)");
        if (config.dimensions() <= 1000) {
            // keep vectors inline in the heap rows (no TOAST indirection for exact scans)
            tx.execute("ALTER TABLE " + table() + " ALTER COLUMN embedding SET STORAGE PLAIN");
        }
        tx.execute("COMMENT ON TABLE " + table() + " IS 'memlayer memories, schema version 1'");
    }

    /** Columns added after version 1 go here, each as ADD COLUMN IF NOT EXISTS. */
    private void migrateColumns(Handle tx) {
        // version 1 is the first version: nothing to migrate yet
    }

    private void ensureIndexes(Handle tx) {
        // an index missing on a table that holds rows is built concurrently by the background builder
        boolean empty = tx.createQuery("SELECT NOT EXISTS (SELECT 1 FROM " + table() + ")").mapTo(Boolean.class).one();
        var background = backgroundIndexes().keySet();
        for (var e : secondaryIndexes().entrySet()) {
            if (!empty && background.contains(e.getKey()) || indexExists(tx, e.getKey())) {
                continue;
            }
            if (e.getKey().equals(vectorIndexName())) {
                tx.execute("SET LOCAL maintenance_work_mem = '" + config.maintenanceWorkMem() + "'");
            }
            tx.execute(e.getValue());
        }
        if (empty) {
            for (String name : obsoleteIndexes()) {
                tx.execute("DROP INDEX IF EXISTS " + quote(config.schema()) + "." + quote(name));
            }
        }
        if (!hasVectorIndex()) {
            LOG.warn("{} dimensions exceed what an HNSW index supports ({}); searches of {}.{} are exact scans",
                    config.dimensions(), MAX_HALFVEC_INDEX_DIMS, config.schema(), config.table());
        }
    }

    private void index(Handle tx, String name, String ddl) {
        if (!indexExists(tx, name)) {
            tx.execute(ddl);
        }
    }

    /** @return whether the index {@code name} exists in the configured schema */
    public boolean indexExists(Handle h, String name) {
        return h.createQuery("SELECT to_regclass(?) IS NOT NULL")
                .bind(0, quote(config.schema()) + "." + quote(name)).mapTo(Boolean.class).one();
    }

    private void ensureHistory(Handle tx) {
        String ht = historyTable();
        boolean exists = tx.createQuery("SELECT to_regclass(?) IS NOT NULL").bind(0, ht).mapTo(Boolean.class).one();
        if (!exists) {
            if (!config.createSchema()) {
                throw new StoreException("The table " + config.schema() + "." + config.historyTable()
                        + " does not exist and createSchema is false; create it or enable createSchema", false, null);
            }
            tx.execute("CREATE TABLE IF NOT EXISTS " + ht + " ("
                    + "seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " id text COLLATE \"C\" NOT NULL,"
                    + " memory_id text COLLATE \"C\" NOT NULL,"
                    + " old_memory text,"
                    + " new_memory text,"
                    + " event text NOT NULL CHECK (event IN ('ADD', 'UPDATE', 'DELETE')),"
                    + " created_at timestamptz,"
                    + " created_at_ns smallint NOT NULL DEFAULT 0,"
                    + " updated_at timestamptz,"
                    + " updated_at_ns smallint NOT NULL DEFAULT 0,"
                    + " is_deleted boolean NOT NULL DEFAULT false,"
                    + " actor_id text,"
                    + " role text)");
            tx.execute("COMMENT ON TABLE " + ht + " IS 'memlayer history, schema version 1'");
        }
        String idx = config.historyTable() + "_memory_idx";
        index(tx, idx, "CREATE INDEX IF NOT EXISTS " + quote(idx) + " ON " + ht + " (memory_id, seq)");
    }

    /**
     * ICU's root locale lower-cases like {@code String.toLowerCase(Locale.ROOT)} (measured: every
     * code point agrees except those added after the server's ICU version); without ICU, the
     * database's default collation is the next best thing.
     */
    private static String lowerCollation(Handle tx) {
        boolean icu = tx.createQuery("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'")
                .mapTo(Integer.class).findOne().isPresent();
        if (!icu) {
            LOG.warn("The server has no ICU collation 'und-x-icu'; icontains lower-cases with the database's default"
                    + " collation, which may differ from Java's toLowerCase(Locale.ROOT) outside ASCII");
        }
        return icu ? "\"und-x-icu\"" : "\"default\"";
    }

    /** @return the identifier in double quotes (identifiers are validated, so no escaping is needed) */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
