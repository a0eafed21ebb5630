package dev.memlayer.store.redis;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Settings of the Redis backend ({@link RedisVectorStore}, {@link RedisHistoryStore}).
 *
 * <p>Build one with {@link #builder()} or read it from the environment with {@link #fromEnv()}:
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>setting</th><th>default</th></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_URL}</td><td>{@link #uri}</td><td>{@value #DEFAULT_URI}</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_PASSWORD}</td><td>{@link #password}</td><td>from the URL, else none</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_TLS}</td><td>{@link #tls}</td><td>{@code true} for {@code rediss://}</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_PREFIX}</td><td>{@link #keyPrefix}</td><td>{@value #DEFAULT_PREFIX}</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_DIMENSIONS}</td><td>{@link #dimensions}</td><td>384</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_QUANTIZATION}</td><td>{@link #quantization}</td><td>{@code NOQUANT}</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_M}</td><td>{@link #hnswM}</td><td>16</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_EF_CONSTRUCTION}</td><td>{@link #efConstruction}</td><td>200</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_EF}</td><td>{@link #efSearch}</td><td>0 (server default)</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_FILTER_EF}</td><td>{@link #filterEf}</td><td>0 (server default)</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_EXACT_THRESHOLD}</td><td>{@link #exactSearchThreshold}</td><td>{@value #DEFAULT_EXACT_THRESHOLD}</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_INDEX_BACKLOG}</td><td>{@link #indexBacklog}</td><td>{@value #DEFAULT_INDEX_BACKLOG}</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_BACKGROUND_INDEXING}</td><td>{@link #backgroundIndexing}</td><td>{@code true}</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_CONNECT_TIMEOUT_MS}</td><td>{@link #connectTimeout}</td><td>2000</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_TIMEOUT_MS}</td><td>{@link #commandTimeout}</td><td>5000</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_POOL_SIZE}</td><td>{@link #poolSize}</td><td>16</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_LOCK_TTL_MS}</td><td>{@link #lockTtl}</td><td>30000</td></tr>
 *   <tr><td>{@code MEMLAYER_REDIS_LOCK_WAIT_MS}</td><td>{@link #lockWait}</td><td>30000</td></tr>
 * </table>
 *
 * @param uri                  {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} (TLS)
 * @param password             the password, or null (then the URL's, if any)
 * @param tls                  whether to connect with TLS (also implied by {@code rediss://})
 * @param keyPrefix            the first part of every key this backend writes; one prefix is one
 *                             collection. Non-empty, without whitespace, braces or glob characters
 * @param dimensions           the embedding dimension, at least 1
 * @param quantization         how vectors are stored in the vector sets; {@link Quantization#NOQUANT}
 *                             keeps float32 (exact ranking); scores are exact either way
 * @param hnswM                HNSW links per node ({@code VADD ... M}), 4 to 512 (layer 0 keeps twice as
 *                             many); Redis's default, 16
 * @param efConstruction       HNSW exploration factor when inserting ({@code VADD ... EF}), at least 1;
 *                             Redis's default, 200. It sets the cost of indexing a vector: measured on
 *                             Redis 8.0.2 (2 shared cores, 384 dimensions, sets of 1,000) about 0.7 ms
 *                             per {@code VADD} at 200, 0.4 ms at 50, 0.2-0.4 ms at 16; that cost is paid
 *                             by {@linkplain #backgroundIndexing background indexing}, not by upserts
 * @param efSearch             HNSW exploration factor when searching ({@code VSIM ... EF}); 0 = the
 *                             server default; raised to the requested count when smaller
 * @param filterEf             how many candidates a filtered HNSW search may visit
 *                             ({@code VSIM ... FILTER-EF}); 0 = the server default (count x 100)
 * @param exactSearchThreshold vector sets with at most this many elements are searched exactly
 *                             ({@code VSIM ... TRUTH}, a linear scan) instead of through HNSW; 0
 *                             turns exact scans off except as the fallback for selective filters
 * @param indexBacklog         how many pending vectors (written, not yet in a vector set; see the
 *                             package documentation) a collection may hold, at least 0. An upsert
 *                             that leaves more indexes vectors itself until at most this many are
 *                             left (an upsert that finds more indexes them before writing), so
 *                             writes faster than indexing slow down to its speed instead of growing
 *                             the backlog. Searches score a scope's pending vectors exactly in
 *                             Java (about 1.5 kB read per pending vector at 384 dimensions), so this
 *                             bounds their extra cost. 0 = every upsert indexes its vectors before
 *                             returning
 * @param backgroundIndexing   whether the store moves pending vectors into the vector sets on a
 *                             background thread (one per store) after each write and when it opens
 *                             a collection that has some; when false they are indexed only by
 *                             upserts over the {@link #indexBacklog} and
 *                             {@link RedisVectorStore#indexPending()}
 * @param connectTimeout       TCP connect timeout (also the longest wait for a pooled connection)
 * @param commandTimeout       socket read timeout per command: how long a hung server takes to fail
 *                             a call. Must exceed the server time of the largest batch (about
 *                             20-60 microseconds per record and scope id for the write itself, plus
 *                             the indexing an upsert over the {@link #indexBacklog} does, in steps of
 *                             at most 8 vectors), or a batch that did complete is reported as failed
 * @param poolSize             maximum pooled connections
 * @param lockTtl              expiry of a scope lock key; renewed while the work runs
 * @param lockWait             how long {@link RedisVectorStore#withScopeLock} waits for a scope lock
 */
public record RedisConfig(
        String uri,
        String password,
        boolean tls,
        String keyPrefix,
        int dimensions,
        Quantization quantization,
        int hnswM,
        int efConstruction,
        int efSearch,
        int filterEf,
        int exactSearchThreshold,
        int indexBacklog,
        boolean backgroundIndexing,
        Duration connectTimeout,
        Duration commandTimeout,
        int poolSize,
        Duration lockTtl,
        Duration lockWait) {

    /** The default URL: the project's local Redis ({@code scripts/services.sh start redis}). */
    public static final String DEFAULT_URI = "redis://127.0.0.1:56379";
    /** The default key prefix. */
    public static final String DEFAULT_PREFIX = "memlayer";
    /** The default size up to which a vector set is searched by an exact scan. */
    public static final int DEFAULT_EXACT_THRESHOLD = 2048;
    /**
     * The default {@link #indexBacklog}: two upsert batches of the engine's largest size (1,000),
     * about 3 MB of vectors at 384 dimensions and 1.5-2 s of indexing at the measured
     * {@code VADD} cost.
     */
    public static final int DEFAULT_INDEX_BACKLOG = 2000;

    /** How vectors are stored in the vector sets ({@code VADD ... NOQUANT | Q8}). */
    public enum Quantization {
        /** float32, 4 bytes per dimension: similarities equal the reference formula within 1e-6. */
        NOQUANT,
        /**
         * int8, 1 byte per dimension in the vector sets: about a quarter of their memory; the
         * ranking uses similarities within about 1e-2, the reported scores are exact (computed
         * from the float32 copy in the memory hash).
         */
        Q8
    }

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for a value out of range
     */
    public RedisConfig {
        require(uri != null && !uri.isBlank(), "uri must be set, e.g. " + DEFAULT_URI);
        URI parsed;
        try {
            parsed = URI.create(uri.strip());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "Redis URL '" + uri + "' is not a URI", e);
        }
        String scheme = parsed.getScheme();
        require("redis".equals(scheme) || "rediss".equals(scheme),
                "Redis URL '" + uri + "' must start with redis:// or rediss://");
        require(parsed.getHost() != null, "Redis URL '" + uri + "' has no host");
        uri = uri.strip();
        require(keyPrefix != null && !keyPrefix.isEmpty(), "keyPrefix must not be empty");
        for (int i = 0; i < keyPrefix.length(); i++) {
            char c = keyPrefix.charAt(i);
            require(!Character.isWhitespace(c) && !Character.isISOControl(c) && "{}*?[]\\".indexOf(c) < 0,
                    "keyPrefix '" + keyPrefix + "' must not contain whitespace, control characters, braces or "
                            + "glob characters (* ? [ ] \\)");
        }
        require(dimensions >= 1, "dimensions must be at least 1, got " + dimensions);
        Objects.requireNonNull(quantization, "quantization");
        require(hnswM >= 4 && hnswM <= 512, "hnswM must be in 4..512, got " + hnswM);
        require(efConstruction >= 1, "efConstruction must be at least 1, got " + efConstruction);
        require(efSearch >= 0, "efSearch must be 0 (server default) or positive, got " + efSearch);
        require(filterEf >= 0, "filterEf must be 0 (server default) or positive, got " + filterEf);
        require(exactSearchThreshold >= 0, "exactSearchThreshold must be at least 0, got " + exactSearchThreshold);
        require(indexBacklog >= 0, "indexBacklog must be at least 0, got " + indexBacklog);
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("commandTimeout", commandTimeout);
        require(poolSize >= 1, "poolSize must be at least 1, got " + poolSize);
        requirePositive("lockTtl", lockTtl);
        require(lockWait != null && !lockWait.isNegative(), "lockWait must be zero or positive");
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this config's values */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the defaults: {@value #DEFAULT_URI}, prefix {@value #DEFAULT_PREFIX}, 384 dimensions */
    public static RedisConfig defaults() {
        return builder().build();
    }

    /**
     * Reads the settings from the environment (see the class documentation); unset variables keep
     * their defaults.
     *
     * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for an unparsable value
     */
    public static RedisConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * Like {@link #fromEnv()}, reading from the given map instead of the process environment.
     *
     * @param env variable name to value
     */
    public static RedisConfig fromEnv(Map<String, String> env) {
        Builder b = builder();
        Function<String, String> get = name -> {
            String v = env.get(name);
            return v == null || v.isBlank() ? null : v.strip();
        };
        String v;
        if ((v = get.apply("MEMLAYER_REDIS_URL")) != null) {
            b.uri(v);
        }
        if ((v = get.apply("MEMLAYER_REDIS_PASSWORD")) != null) {
            b.password(v);
        }
        if ((v = get.apply("MEMLAYER_REDIS_TLS")) != null) {
            b.tls(parseBoolean("MEMLAYER_REDIS_TLS", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_PREFIX")) != null) {
            b.keyPrefix(v);
        }
        if ((v = get.apply("MEMLAYER_REDIS_DIMENSIONS")) != null) {
            b.dimensions(parseInt("MEMLAYER_REDIS_DIMENSIONS", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_QUANTIZATION")) != null) {
            try {
                b.quantization(Quantization.valueOf(v.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                        "MEMLAYER_REDIS_QUANTIZATION must be NOQUANT or Q8, got '" + v + "'", e);
            }
        }
        if ((v = get.apply("MEMLAYER_REDIS_M")) != null) {
            b.hnswM(parseInt("MEMLAYER_REDIS_M", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_EF_CONSTRUCTION")) != null) {
            b.efConstruction(parseInt("MEMLAYER_REDIS_EF_CONSTRUCTION", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_EF")) != null) {
            b.efSearch(parseInt("MEMLAYER_REDIS_EF", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_FILTER_EF")) != null) {
            b.filterEf(parseInt("MEMLAYER_REDIS_FILTER_EF", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_EXACT_THRESHOLD")) != null) {
            b.exactSearchThreshold(parseInt("MEMLAYER_REDIS_EXACT_THRESHOLD", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_INDEX_BACKLOG")) != null) {
            b.indexBacklog(parseInt("MEMLAYER_REDIS_INDEX_BACKLOG", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_BACKGROUND_INDEXING")) != null) {
            b.backgroundIndexing(parseBoolean("MEMLAYER_REDIS_BACKGROUND_INDEXING", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_CONNECT_TIMEOUT_MS")) != null) {
            b.connectTimeout(Duration.ofMillis(parseInt("MEMLAYER_REDIS_CONNECT_TIMEOUT_MS", v)));
        }
        if ((v = get.apply("MEMLAYER_REDIS_TIMEOUT_MS")) != null) {
            b.commandTimeout(Duration.ofMillis(parseInt("MEMLAYER_REDIS_TIMEOUT_MS", v)));
        }
        if ((v = get.apply("MEMLAYER_REDIS_POOL_SIZE")) != null) {
            b.poolSize(parseInt("MEMLAYER_REDIS_POOL_SIZE", v));
        }
        if ((v = get.apply("MEMLAYER_REDIS_LOCK_TTL_MS")) != null) {
            b.lockTtl(Duration.ofMillis(parseInt("MEMLAYER_REDIS_LOCK_TTL_MS", v)));
        }
        if ((v = get.apply("MEMLAYER_REDIS_LOCK_WAIT_MS")) != null) {
            b.lockWait(Duration.ofMillis(parseInt("MEMLAYER_REDIS_LOCK_WAIT_MS", v)));
        }
        return b.build();
    }

    /** @return a copy with another key prefix (another collection) */
    public RedisConfig withKeyPrefix(String prefix) {
        return toBuilder().keyPrefix(prefix).build();
    }

    /** @return a copy with another embedding dimension */
    public RedisConfig withDimensions(int value) {
        return toBuilder().dimensions(value).build();
    }

    /** @return the URL's host */
    public String host() {
        return URI.create(uri).getHost();
    }

    /** @return the URL's port, 6379 when the URL has none */
    public int port() {
        int p = URI.create(uri).getPort();
        return p < 0 ? 6379 : p;
    }

    /** @return the user from the URL ({@code redis://user:pw@host}), or null */
    public String user() {
        String info = URI.create(uri).getRawUserInfo();
        if (info == null || info.isEmpty()) {
            return null;
        }
        int colon = info.indexOf(':');
        String user = colon < 0 ? info : info.substring(0, colon);
        return user.isEmpty() ? null : decode(user);
    }

    /** @return {@link #password} if set, else the URL's password, else null */
    public String effectivePassword() {
        if (password != null && !password.isEmpty()) {
            return password;
        }
        String info = URI.create(uri).getRawUserInfo();
        if (info == null) {
            return null;
        }
        int colon = info.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String pw = info.substring(colon + 1);
        return pw.isEmpty() ? null : decode(pw);
    }

    /** @return whether to use TLS: {@link #tls} or a {@code rediss://} URL */
    public boolean effectiveTls() {
        return tls || uri.startsWith("rediss:");
    }

    /** @return the database number from the URL path ({@code /2}), 0 when absent */
    public int database() {
        String path = URI.create(uri).getPath();
        if (path == null || path.length() <= 1) {
            return 0;
        }
        try {
            return Integer.parseInt(path.substring(1));
        } catch (NumberFormatException e) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    "Redis URL '" + uri + "' has a path that is not a database number", e);
        }
    }

    @Override
    public String toString() {
        return "RedisConfig[uri=" + redactedUri() + ", password=" + (password == null ? "none" : "***") + ", tls=" + tls
                + ", keyPrefix=" + keyPrefix + ", dimensions=" + dimensions + ", quantization=" + quantization
                + ", hnswM=" + hnswM + ", efConstruction=" + efConstruction + ", efSearch=" + efSearch
                + ", filterEf=" + filterEf + ", exactSearchThreshold=" + exactSearchThreshold + ", indexBacklog="
                + indexBacklog + ", backgroundIndexing=" + backgroundIndexing + ", connectTimeout="
                + connectTimeout + ", commandTimeout=" + commandTimeout + ", poolSize=" + poolSize + ", lockTtl="
                + lockTtl + ", lockWait=" + lockWait + "]";
    }

    /** @return the URL with any password replaced by {@code ***} */
    public String redactedUri() {
        URI u = URI.create(uri);
        String info = u.getRawUserInfo();
        if (info == null || !info.contains(":")) {
            return uri;
        }
        return uri.replace(info, info.substring(0, info.indexOf(':')) + ":***");
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, message);
        }
    }

    private static void requirePositive(String name, Duration d) {
        require(d != null && !d.isNegative() && !d.isZero(), name + " must be positive");
        require(d.toMillis() <= Integer.MAX_VALUE, name + " is too long");
    }

    private static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, name + " must be an integer, got '" + v + "'", e);
        }
    }

    private static boolean parseBoolean(String name, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ValidationException(ErrorCode.INVALID_CONFIGURATION,
                    name + " must be true or false, got '" + v + "'");
        };
    }

    /** Builds {@link RedisConfig}s; every setting starts at its documented default. */
    public static final class Builder {
        private String uri = DEFAULT_URI;
        private String password;
        private boolean tls;
        private String keyPrefix = DEFAULT_PREFIX;
        private int dimensions = 384;
        private Quantization quantization = Quantization.NOQUANT;
        private int hnswM = 16;
        private int efConstruction = 200;
        private int efSearch;
        private int filterEf;
        private int exactSearchThreshold = DEFAULT_EXACT_THRESHOLD;
        private int indexBacklog = DEFAULT_INDEX_BACKLOG;
        private boolean backgroundIndexing = true;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private int poolSize = 16;
        private Duration lockTtl = Duration.ofSeconds(30);
        private Duration lockWait = Duration.ofSeconds(30);

        private Builder() {
        }

        private Builder(RedisConfig c) {
            uri = c.uri;
            password = c.password;
            tls = c.tls;
            keyPrefix = c.keyPrefix;
            dimensions = c.dimensions;
            quantization = c.quantization;
            hnswM = c.hnswM;
            efConstruction = c.efConstruction;
            efSearch = c.efSearch;
            filterEf = c.filterEf;
            exactSearchThreshold = c.exactSearchThreshold;
            indexBacklog = c.indexBacklog;
            backgroundIndexing = c.backgroundIndexing;
            connectTimeout = c.connectTimeout;
            commandTimeout = c.commandTimeout;
            poolSize = c.poolSize;
            lockTtl = c.lockTtl;
            lockWait = c.lockWait;
        }

        public Builder uri(String v) { uri = v; return this; }
        public Builder password(String v) { password = v; return this; }
        public Builder tls(boolean v) { tls = v; return this; }
        public Builder keyPrefix(String v) { keyPrefix = v; return this; }
        public Builder dimensions(int v) { dimensions = v; return this; }
        public Builder quantization(Quantization v) { quantization = v; return this; }
        public Builder hnswM(int v) { hnswM = v; return this; }
        public Builder efConstruction(int v) { efConstruction = v; return this; }
        public Builder efSearch(int v) { efSearch = v; return this; }
        public Builder filterEf(int v) { filterEf = v; return this; }
        public Builder exactSearchThreshold(int v) { exactSearchThreshold = v; return this; }
        public Builder indexBacklog(int v) { indexBacklog = v; return this; }
        public Builder backgroundIndexing(boolean v) { backgroundIndexing = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder commandTimeout(Duration v) { commandTimeout = v; return this; }
        public Builder poolSize(int v) { poolSize = v; return this; }
        public Builder lockTtl(Duration v) { lockTtl = v; return this; }
        public Builder lockWait(Duration v) { lockWait = v; return this; }

        /**
         * @throws ValidationException ({@link ErrorCode#INVALID_CONFIGURATION}) for a value out of range
         */
        public RedisConfig build() {
            return new RedisConfig(uri, password, tls, keyPrefix, dimensions, quantization, hnswM, efConstruction,
                    efSearch, filterEf, exactSearchThreshold, indexBacklog, backgroundIndexing, connectTimeout,
                    commandTimeout, poolSize, lockTtl, lockWait);
        }
    }
}
