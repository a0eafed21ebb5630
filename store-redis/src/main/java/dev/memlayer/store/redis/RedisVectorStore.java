package dev.memlayer.store.redis;

import dev.memlayer.api.EntitySummary;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Ids;
import dev.memlayer.api.Scope;
import dev.memlayer.api.StoreException;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.spi.MemoryRecord;
import dev.memlayer.api.spi.ScoredRecord;
import dev.memlayer.api.spi.VectorQuery;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.store.redis.internal.BackgroundIndexer;
import dev.memlayer.store.redis.internal.IndexScan;
import dev.memlayer.store.redis.internal.Keys;
import dev.memlayer.store.redis.internal.RecordCodec;
import dev.memlayer.store.redis.internal.RecordReader;
import dev.memlayer.store.redis.internal.RedisExecutor;
import dev.memlayer.store.redis.internal.ScopeLocks;
import dev.memlayer.store.redis.internal.Scripts;
import dev.memlayer.store.redis.internal.VectorSearch;
import dev.memlayer.store.redis.internal.VsetEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VectorStore} on Redis 8 Vector Sets. See the package documentation for the data
 * layout and why scoped searches never lose recall.
 *
 * <pre>{@code
 * VectorStore store = RedisVectorStore.create(RedisConfig.fromEnv());
 * }</pre>
 *
 * <p>Writes: one call ({@link #upsert}, {@link #delete}, {@link #write}) is one Lua script, which
 * Redis runs atomically: other clients never see part of it, and a connection lost before the
 * script reached the server writes nothing. Inputs are validated before anything is sent. Reads
 * skip index entries whose memory hash is gone, so nothing a concurrent or interrupted writer left
 * behind is ever returned. Upserted vectors are indexed (put in the HNSW vector sets) after the
 * write, by a background thread, and are searched exactly until then: see the package
 * documentation, {@link RedisConfig#indexBacklog()} and {@link #indexPending()}.
 *
 * <p>Failures of Redis surface as {@link StoreException}: retryable for lost connections and
 * timeouts ({@link RedisConfig#commandTimeout()}), not retryable for errors the server reports.
 * Thread-safe.
 */
public final class RedisVectorStore implements VectorStore {

    private static final Logger LOG = LoggerFactory.getLogger(RedisVectorStore.class);

    /**
     * Vectors one index step puts in the vector sets: one script that holds the server for about
     * 8 x 0.1-1 ms, short enough for concurrent searches to keep their latency.
     */
    static final int INDEX_STEP = 8;

    private static final byte[] NO_BOUND = bytes("-1");

    private final RedisConfig config;
    private final RedisConnection connection;
    private final boolean ownsConnection;
    private final RedisExecutor redis;
    private final Keys keys;
    private final RecordReader reader;
    private final VectorSearch search;
    private final IndexScan scan;
    private final ScopeLocks locks;
    private final byte[] prefixBytes;
    private final byte[] backlogBound;
    private final List<byte[]> indexOptions;
    private final BackgroundIndexer indexer;
    private volatile boolean initialised;
    private volatile boolean indexerWoken;
    private volatile boolean closed;

    private RedisVectorStore(RedisConfig config, RedisConnection connection, boolean ownsConnection) {
        this.config = Objects.requireNonNull(config, "config");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.ownsConnection = ownsConnection;
        this.redis = connection.executor();
        this.keys = new Keys(config.keyPrefix());
        this.reader = new RecordReader(redis, keys);
        this.search = new VectorSearch(redis, keys, reader, config);
        this.scan = new IndexScan(redis, keys, reader);
        this.locks = new ScopeLocks(redis, keys, config.lockTtl(), config.lockWait());
        this.prefixBytes = bytes(config.keyPrefix());
        this.backlogBound = bytes(Integer.toString(config.indexBacklog()));
        this.indexOptions = List.of(prefixBytes, bytes(config.quantization().name()),
                bytes(Integer.toString(config.efConstruction())), bytes(Integer.toString(config.hnswM())),
                bytes(Integer.toString(INDEX_STEP)));
        this.indexer = config.backgroundIndexing()
                ? new BackgroundIndexer(config.keyPrefix(), this::indexStepInBackground, config.commandTimeout())
                : null;
        connection.retain();
    }

    /**
     * Creates a store with its own connection pool, closed by {@link #close()}. Connects lazily.
     *
     * @param config server, key prefix (the collection), dimensions and search settings
     */
    public static RedisVectorStore create(RedisConfig config) {
        return new RedisVectorStore(config, RedisConnection.open(config), true);
    }

    /**
     * Creates a store on a shared connection pool; {@link #close()} leaves the pool open (unless
     * it was {@linkplain RedisConnection#openShared opened shared}). The connection settings of
     * {@code config} are ignored in favour of the pool's.
     *
     * @param config     key prefix (the collection), dimensions and search settings
     * @param connection the pool
     */
    public static RedisVectorStore create(RedisConfig config, RedisConnection connection) {
        return new RedisVectorStore(config, connection, false);
    }

    /** @return the settings */
    public RedisConfig config() {
        return config;
    }

    @Override
    public int dimensions() {
        return config.dimensions();
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void upsert(List<MemoryRecord> records) {
        write(records, List.of());
    }

    @Override
    public int delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return runWrite(List.of(), ids, false);
    }

    @Override
    public void write(List<MemoryRecord> upserts, Collection<String> deleteIds) {
        if (upserts.isEmpty() && deleteIds.isEmpty()) {
            return;
        }
        runWrite(upserts, deleteIds, deleteIds.isEmpty());
    }

    private int runWrite(List<MemoryRecord> upserts, Collection<String> deleteIds, boolean idempotent) {
        ensureOpen();
        for (MemoryRecord r : upserts) {
            validate(r);
        }
        for (String id : deleteIds) {
            Objects.requireNonNull(id, "a deletion id is null");
        }
        initialise();
        List<byte[]> args = new ArrayList<>(4 + upserts.size() * 6 + deleteIds.size());
        args.add(prefixBytes);
        args.add(backlogBound);
        args.add(bytes(Integer.toString(upserts.size())));
        for (MemoryRecord r : upserts) {
            args.add(bytes(r.id()));
            args.add(bytes(Keys.sortKey(r.createdAt())));
            args.add(bytes(RecordCodec.tags(r)));
            args.add(VsetEncoding.fp32(r.embedding()));
            args.add(VsetEncoding.attributes(r));
            args.add(RecordCodec.document(r));
        }
        args.add(bytes(Integer.toString(deleteIds.size())));
        for (String id : deleteIds) {
            args.add(bytes(id));
        }
        String what = "write of " + upserts.size() + " memories and " + deleteIds.size() + " deletions";
        List<?> reply = (List<?>) redis.eval(what, idempotent, Scripts.WRITE, List.of(), args);
        while (reply.get(1) == null) {
            // refused, nothing written: the backlog is over the bound. Index it down (a failure
            // propagates, and the write is still not done), then try again
            indexDownTo((Long) reply.get(0), config.indexBacklog());
            reply = (List<?>) redis.eval(what, idempotent, Scripts.WRITE, List.of(), args);
        }
        List<?> flags = afterWrite(reply, !upserts.isEmpty());
        int deleted = 0;
        for (Object f : flags) {
            if (Long.valueOf(1).equals(f)) {
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * Handles the reply of a {@link Scripts#WRITE} that wrote: when it left more pending vectors
     * than {@link RedisConfig#indexBacklog()}, indexes until it does not, and wakes the background
     * indexer for the rest. The write is done, so an indexing failure here is logged, not thrown:
     * the vectors stay pending (and searchable), and the next upsert that finds the backlog over
     * the bound indexes it first, failing before it writes if indexing still fails.
     *
     * @return the deletion flags
     */
    private List<?> afterWrite(List<?> reply, boolean upserted) {
        long pending = (Long) reply.get(0);
        if (upserted && pending > config.indexBacklog()) {
            try {
                pending = indexDownTo(pending, config.indexBacklog());
            } catch (StoreException e) {
                LOG.warn("indexing the pending vectors of Redis collection {} after a write failed; they stay "
                        + "pending and searchable: {}", config.keyPrefix(), e.getMessage());
            }
        }
        if (pending > 0 && indexer != null) {
            indexer.wake();
        }
        return (List<?>) reply.get(1);
    }

    /** Runs index steps while more than {@code bound} vectors are pending; returns how many are left. */
    private long indexDownTo(long pending, long bound) {
        while (pending > bound) {
            long[] step = indexStep();
            if (step[0] == 0) {
                return step[1]; // nothing indexable left (the step repairs the count)
            }
            pending = step[1];
        }
        return pending;
    }

    /** @return {indexed, pending left} after one {@link Scripts#INDEX} step */
    private long[] indexStep() {
        List<?> r = (List<?>) redis.eval("indexing of pending vectors", true, Scripts.INDEX, List.of(), indexOptions);
        return new long[] {(Long) r.get(0), (Long) r.get(1)};
    }

    private long indexStepInBackground() {
        if (closed) {
            return -1;
        }
        long[] step = indexStep();
        return step[0] == 0 ? -1 : step[1];
    }

    /**
     * Indexes every pending vector of the collection now, on the calling thread (for example
     * before measuring memory, or when {@link RedisConfig#backgroundIndexing()} is off). Searches
     * return the same memories before and after; only their speed changes.
     *
     * @return how many vectors this call indexed
     * @throws StoreException when Redis fails
     */
    public long indexPending() {
        ensureOpen();
        long total = 0;
        while (true) {
            long[] step = indexStep();
            total += step[0];
            if (step[0] == 0 || step[1] == 0) {
                return total;
            }
        }
    }

    /** @return how many vectors of the collection wait to be indexed */
    public long pendingVectors() {
        ensureOpen();
        byte[] v = redis.call("pending count", true, c -> c.get(keys.pendingTotal()));
        return v == null ? 0 : Long.parseLong(new String(v, StandardCharsets.US_ASCII));
    }

    private void validate(MemoryRecord r) {
        Objects.requireNonNull(r, "a record is null");
        float[] v = r.embedding();
        if (v == null) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "record " + r.id() + " has no embedding");
        }
        if (v.length != config.dimensions()) {
            throw new ValidationException(ErrorCode.DIMENSION_MISMATCH, "record " + r.id() + " has a vector of "
                    + v.length + " dimensions; this store holds " + config.dimensions());
        }
        for (float f : v) {
            if (!Float.isFinite(f)) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "record " + r.id()
                        + " has a non-finite vector component");
            }
        }
        requireId("id", r.id());
        if (r.userId() != null) {
            requireId("user_id", r.userId());
        }
        if (r.agentId() != null) {
            requireId("agent_id", r.agentId());
        }
        if (r.runId() != null) {
            requireId("run_id", r.runId());
        }
    }

    private static void requireId(String kind, String id) {
        if (!Ids.require(kind, id).equals(id)) {
            throw new ValidationException(ErrorCode.INVALID_ID, kind + " '" + id + "' has surrounding whitespace");
        }
    }

    /** Records or checks the collection's dimensions and quantisation (once per instance). */
    private void initialise() {
        if (initialised) {
            return;
        }
        Object r = redis.eval("collection check", true, Scripts.INIT, List.of(), List.of(bytes(config.keyPrefix()),
                bytes(Integer.toString(config.dimensions())), bytes(config.quantization().name())));
        String reply = r instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(r);
        if (!"OK".equals(reply)) {
            throw new ValidationException(ErrorCode.INVALID_CONFIGURATION, "The Redis collection '" + config.keyPrefix()
                    + "' holds vectors of " + reply + " (dimensions, quantisation), not " + config.dimensions() + " "
                    + config.quantization() + "; use another keyPrefix or reset the collection");
        }
        initialised = true;
        if (indexer != null) {
            indexerWoken = true;
            indexer.wake(); // vectors an earlier process left pending
        }
    }

    // ------------------------------------------------------------------ reads

    @Override
    public List<ScoredRecord> search(VectorQuery query) {
        ensureOpen();
        if (query.vector().length != config.dimensions()) {
            throw new ValidationException(ErrorCode.DIMENSION_MISMATCH, "the query vector has " + query.vector().length
                    + " dimensions; this store holds " + config.dimensions());
        }
        if (indexer != null && !indexerWoken) {
            indexerWoken = true;
            indexer.wake(); // vectors an earlier process left pending
        }
        return search.search(query.vector(), query.filter(), query.limit());
    }

    @Override
    public Optional<MemoryRecord> get(String id) {
        ensureOpen();
        return Optional.ofNullable(reader.read(List.of(id), true).get(id));
    }

    @Override
    public List<MemoryRecord> get(Collection<String> ids) {
        ensureOpen();
        Map<String, MemoryRecord> found = reader.read(new LinkedHashSet<>(ids), true);
        List<MemoryRecord> out = new ArrayList<>(found.size());
        for (String id : ids) {
            MemoryRecord r = found.get(id);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public List<MemoryRecord> list(Filter filter, long offset, int limit) {
        ensureOpen();
        if (offset < 0) {
            throw new ValidationException(ErrorCode.INVALID_PAGE, "offset must be at least 0, got " + offset);
        }
        if (limit < 1) {
            throw new ValidationException(ErrorCode.INVALID_PAGE, "limit must be at least 1, got " + limit);
        }
        return scan.list(filter, offset, limit);
    }

    @Override
    public long count(Filter filter) {
        ensureOpen();
        return scan.count(filter);
    }

    @Override
    public List<MemoryRecord> deleteWhere(Filter filter) {
        ensureOpen();
        Objects.requireNonNull(filter, "deleteWhere needs a filter; use reset() to delete everything");
        List<MemoryRecord> matches = scan.all(filter);
        if (matches.isEmpty()) {
            return List.of();
        }
        List<String> ids = matches.stream().map(MemoryRecord::id).toList();
        List<byte[]> args = new ArrayList<>(ids.size() + 4);
        args.add(prefixBytes);
        args.add(NO_BOUND);
        args.add(bytes("0"));
        args.add(bytes(Integer.toString(ids.size())));
        for (String id : ids) {
            args.add(bytes(id));
        }
        List<?> reply = (List<?>) redis.eval("delete of " + ids.size() + " memories", false, Scripts.WRITE, List.of(),
                args);
        List<?> flags = afterWrite(reply, false);
        List<MemoryRecord> deleted = new ArrayList<>(ids.size());
        for (int i = 0; i < flags.size() && i < matches.size(); i++) {
            if (Long.valueOf(1).equals(flags.get(i))) {
                deleted.add(matches.get(i));
            }
        }
        return deleted;
    }

    /**
     * Deletes every memory of this collection with its vector sets and indexes: first every
     * entity's keys (from the entity registry), then the memory hashes (from the collection index,
     * in chunks), then the collection's own keys; pending vectors go first, so a concurrent index
     * step cannot put a vector back in a removed set; never {@code KEYS}, and {@code UNLINK} so large
     * vector sets are freed in the background. Not atomic: a concurrent reader may briefly see a
     * memory without its vectors (never the reverse: hits without a hash are skipped), and memories
     * written concurrently may survive.
     */
    @Override
    public void reset() {
        ensureOpen();
        Set<byte[]> tags = redis.call("reset", true, c -> c.smembers(keys.registry()));
        // pending vectors first: an index step running meanwhile then finds nothing to put in a set
        List<byte[]> pendingKeys = new ArrayList<>(tags.size() + 2);
        pendingKeys.add(keys.pendingQueue());
        pendingKeys.add(keys.pendingTotal());
        List<byte[]> entityKeys = new ArrayList<>(tags.size() * 2);
        for (byte[] t : tags) {
            String tag = new String(t, StandardCharsets.UTF_8);
            pendingKeys.add(keys.pending(tag));
            entityKeys.add(keys.vectorSet(tag));
            entityKeys.add(keys.entityIndex(tag));
        }
        unlink(pendingKeys);
        unlink(entityKeys);
        while (true) {
            List<byte[]> members = redis.call("reset", true, c -> c.zrange(keys.allIndex(), 0, 999));
            if (members.isEmpty()) {
                break;
            }
            List<byte[]> recordKeys = new ArrayList<>(members.size());
            for (byte[] m : members) {
                recordKeys.add(keys.record(Keys.idOfMember(m)));
            }
            unlink(recordKeys);
            redis.call("reset", true, c -> c.zrem(keys.allIndex(), members.toArray(new byte[0][])));
        }
        unlink(List.of(keys.registry(), keys.allIndex(), keys.meta()));
        initialised = false;
    }

    private void unlink(List<byte[]> keyList) {
        for (int from = 0; from < keyList.size(); from += 500) {
            byte[][] batch = keyList.subList(from, Math.min(keyList.size(), from + 500)).toArray(new byte[0][]);
            redis.call("reset", true, c -> c.unlink(batch));
        }
    }

    /**
     * Every user, agent and run with memories: one pass over the collection index, reading each
     * memory's document.
     */
    @Override
    public List<EntitySummary> entities() {
        ensureOpen();
        record Acc(long[] count, Instant[] range) {
        }
        Map<String, Acc> byTag = new LinkedHashMap<>();
        long start = 0;
        while (true) {
            long from = start;
            List<byte[]> members = redis.call("entities", true, c -> c.zrange(keys.allIndex(), from, from + 999));
            if (members.isEmpty()) {
                break;
            }
            List<String> ids = members.stream().map(Keys::idOfMember).toList();
            for (MemoryRecord r : reader.read(ids, false).values()) {
                for (String tag : Keys.tags(r)) {
                    if (Keys.typeOf(tag) == null) {
                        continue; // no scope id
                    }
                    Acc acc = byTag.computeIfAbsent(tag,
                            t -> new Acc(new long[1], new Instant[] {r.createdAt(), r.updatedAt()}));
                    acc.count[0]++;
                    if (r.createdAt().isBefore(acc.range[0])) {
                        acc.range[0] = r.createdAt();
                    }
                    if (r.updatedAt().isAfter(acc.range[1])) {
                        acc.range[1] = r.updatedAt();
                    }
                }
            }
            if (members.size() < 1000) {
                break;
            }
            start += members.size();
        }
        List<EntitySummary> out = new ArrayList<>(byTag.size());
        byTag.forEach((tag, acc) -> out.add(new EntitySummary(Keys.typeOf(tag), Keys.idOf(tag), acc.count[0],
                acc.range[0], acc.range[1])));
        out.sort(Comparator.comparing(EntitySummary::type).thenComparing(EntitySummary::id));
        return out;
    }

    // ------------------------------------------------------------------ locks, lifecycle

    /**
     * Runs {@code work} holding a cross-process lock on every id of the scope (see
     * {@link RedisConfig#lockTtl()} and {@link RedisConfig#lockWait()}).
     *
     * @throws StoreException (retryable) when a lock is not free within {@link RedisConfig#lockWait()}
     */
    @Override
    public <T> T withScopeLock(Scope scope, Supplier<T> work) {
        ensureOpen();
        return locks.withLock(scope, work);
    }

    /** Closes the connection pool if this store opened it. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (indexer != null) {
            indexer.close();
        }
        if (ownsConnection) {
            connection.close();
        } else {
            connection.release();
        }
        LOG.debug("closed Redis vector store {}", config.keyPrefix());
    }

    /** @return the pooled client, for tests in this package */
    redis.clients.jedis.RedisClient redisClient() {
        return redis.client();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this RedisVectorStore is closed");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
