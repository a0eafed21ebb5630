package dev.memlayer.graph;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How {@link Neo4jGraphStore} reaches Neo4j.
 *
 * @param uri               the Bolt URI, e.g. {@code bolt://localhost:7687} or {@code neo4j://host:7687}
 * @param user              the user name, or null for no authentication
 * @param password          the password (null only without a user)
 * @param database          the database name, or null for the server's default database
 * @param collection        the name of this graph within the database, {@code [A-Za-z0-9_-]{1,64}}
 *                          (default {@value #DEFAULT_COLLECTION}); {@code reset()} removes only this
 *                          collection's entities and relations
 * @param useVectorIndex    true (default) to create and use a vector index on entity embeddings where
 *                          the server has them (Neo4j 5.11+); false for exact scans only
 * @param connectionTimeout how long to wait for a connection (default 5 s)
 * @param retryTime         how long the driver retries a transaction after transient failures (default
 *                          5 s); then the call fails with a retryable {@code StoreException}
 * @param exactScanLimit    scopes with at most this many entities are searched by an exact scan even
 *                          when a vector index exists, at least 0 (default {@value #DEFAULT_EXACT_SCAN_LIMIT})
 */
public record Neo4jConfig(String uri, String user, String password, String database, String collection,
                          boolean useVectorIndex, Duration connectionTimeout, Duration retryTime, int exactScanLimit) {

    /** The default collection name. */
    public static final String DEFAULT_COLLECTION = "memlayer";
    /** The default largest scope searched exactly although a vector index exists. */
    public static final int DEFAULT_EXACT_SCAN_LIMIT = 2000;
    /** The default URI. */
    public static final String DEFAULT_URI = "bolt://127.0.0.1:7687";

    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for a blank URI, a bad
     *                             collection name, a user without a password or a non-positive timeout
     */
    public Neo4jConfig {
        if (uri == null || uri.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "Neo4j needs a Bolt URI such as " + DEFAULT_URI);
        }
        uri = uri.strip();
        user = user == null || user.isBlank() ? null : user;
        if (user != null && password == null) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "Neo4j user '" + user + "' needs a password");
        }
        database = database == null || database.isBlank() ? null : database.strip();
        collection = collection == null ? DEFAULT_COLLECTION : collection;
        if (!COLLECTION.matcher(collection).matches()) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "the graph collection name must match [A-Za-z0-9_-]{1,64}, got '" + collection + "'");
        }
        connectionTimeout = positive("connectionTimeout", connectionTimeout, Duration.ofSeconds(5));
        retryTime = retryTime == null ? Duration.ofSeconds(5) : retryTime;
        if (retryTime.isNegative()) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "retryTime must not be negative");
        }
        if (exactScanLimit < 0) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "exactScanLimit must not be negative, got " + exactScanLimit);
        }
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isZero() || value.isNegative()) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, name + " must be positive, got " + value);
        }
        return value;
    }

    /** @return a configuration with the defaults for everything but the URI and credentials */
    public static Neo4jConfig of(String uri, String user, String password) {
        return new Neo4jConfig(uri, user, password, null, DEFAULT_COLLECTION, true, null, null, DEFAULT_EXACT_SCAN_LIMIT);
    }

    /**
     * Reads {@code NEO4J_URI} (default {@value #DEFAULT_URI}), {@code NEO4J_USER},
     * {@code NEO4J_PASSWORD}, {@code NEO4J_DATABASE} and {@code MEMLAYER_GRAPH_COLLECTION}.
     */
    public static Neo4jConfig fromEnv() {
        return fromMap(System.getenv());
    }

    static Neo4jConfig fromMap(Map<String, String> env) {
        String uri = env.getOrDefault("NEO4J_URI", DEFAULT_URI);
        String collection = env.get("MEMLAYER_GRAPH_COLLECTION");
        return new Neo4jConfig(uri == null || uri.isBlank() ? DEFAULT_URI : uri, env.get("NEO4J_USER"),
                env.get("NEO4J_PASSWORD"), env.get("NEO4J_DATABASE"),
                collection == null || collection.isBlank() ? DEFAULT_COLLECTION : collection.strip(), true, null, null,
                DEFAULT_EXACT_SCAN_LIMIT);
    }

    /** @return a copy in another collection */
    public Neo4jConfig withCollection(String value) {
        return new Neo4jConfig(uri, user, password, database, value, useVectorIndex, connectionTimeout, retryTime,
                exactScanLimit);
    }

    /** @return a copy that does or does not use a vector index */
    public Neo4jConfig withVectorIndex(boolean value) {
        return new Neo4jConfig(uri, user, password, database, collection, value, connectionTimeout, retryTime,
                exactScanLimit);
    }

    /** @return a copy with another exact-scan limit (0: always use the vector index when there is one) */
    public Neo4jConfig withExactScanLimit(int value) {
        return new Neo4jConfig(uri, user, password, database, collection, useVectorIndex, connectionTimeout, retryTime,
                value);
    }

    /** @return a copy with other timeouts */
    public Neo4jConfig withTimeouts(Duration connect, Duration retry) {
        return new Neo4jConfig(uri, user, password, database, collection, useVectorIndex, connect, retry,
                exactScanLimit);
    }

    @Override
    public String toString() {
        return "Neo4jConfig[uri=" + uri + ", user=" + user + ", password=" + (password == null ? null : "***")
                + ", database=" + database + ", collection=" + collection + ", useVectorIndex=" + useVectorIndex
                + ", connectionTimeout=" + connectionTimeout + ", retryTime=" + retryTime + ", exactScanLimit="
                + exactScanLimit + "]";
    }
}
