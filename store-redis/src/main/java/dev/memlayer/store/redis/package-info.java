/**
 * The Redis backend: {@link dev.memlayer.store.redis.RedisVectorStore} and
 * {@link dev.memlayer.store.redis.RedisHistoryStore} on Redis 8 Vector Sets (no Redis Query
 * Engine needed), configured by {@link dev.memlayer.store.redis.RedisConfig} and bound by
 * {@link dev.memlayer.store.redis.RedisModule}.
 *
 * <h2>Data layout: one vector set per scope id</h2>
 *
 * <pre>
 * P:m:{id}        HASH  the memory: doc = every field as JSON (text, hash, metadata,
 *                       categories, timestamps, scope ids, actor, role, type, immutable,
 *                       expiration), vec = the embedding (FP32), sk = list sort key, tags = the
 *                       entities it is indexed under
 * P:{u:alex}:v    VSET  vectors of every memory with user_id alex (element = memory id), with
 *                       JSON attributes for VSIM FILTER
 * P:{u:alex}:z    ZSET  the same memories in list order (created_at desc, id): list/count/paging
 * P:{a:travel}:v, P:{r:run-1}:v, ...   the same per agent_id and run_id
 * P:{_}:v         memories without any scope id
 * P:{g}:z, P:{g}:e     every memory; every entity (for unscoped list/count, reset, entities)
 * </pre>
 *
 * A memory is indexed under <em>each</em> of its scope ids: a memory of user alex, agent travel
 * and run r1 has its vector in three sets. The engine ANDs only the ids a request gives, so a
 * search for {@code user_id = alex} must find alex's memories whatever agent or run they carry:
 * it reads alex's set alone. A search naming several ids reads the smallest of their sets (the
 * others become exact FILTER conditions); an OR or IN of ids reads the union. The key prefix is
 * the collection; the braces are hash tags, so on Redis Cluster each entity's keys share a slot.
 *
 * <h2>Why scoped searches never lose recall</h2>
 *
 * Filtered HNSW search in Vector Sets stops after {@code FILTER-EF} candidates (by default
 * {@code COUNT x 100}), so a scope of 50 memories among 100,000 in one shared set would come back
 * short. Per-scope sets remove the problem at its root: a user's search only ever walks that
 * user's vectors. Sets of up to {@link dev.memlayer.store.redis.RedisConfig#exactSearchThreshold()}
 * elements (the size of nearly every scope) are scanned exactly with {@code VSIM ... TRUTH} by a
 * Lua script that also returns the hits' records (one round trip; at these sizes faster than the
 * graph); a larger set is searched through HNSW, and re-scanned exactly when a filtered graph
 * search returns fewer than asked. Candidates are always post-filtered in Java with
 * {@link dev.memlayer.api.filter.FilterEvaluator} and the request is repeated with 4x the count
 * until k survive (or a tie at the k-th score is settled), so the answers equal the reference's.
 * The price is memory: one vector copy per scope id (one to three) besides the exact copy in the
 * hash; measured about 6 KB per memory with one scope id at 384 dimensions (float32).
 * {@link dev.memlayer.store.redis.RedisConfig.Quantization#Q8} stores the set copies in a quarter
 * of the space, with approximate scores. A search that names no scope id at all visits every
 * entity's set (each memory once, in the set of its first id): correct, but it grows with the
 * number of entities; the engine always names a scope.
 *
 * <h2>Writes and failures</h2>
 *
 * Each {@code upsert}/{@code write}/{@code delete} call is one Lua script (validated first), so it
 * is applied entirely or, if the connection breaks before the script arrives, not at all; readers
 * never see half of it. Reads skip index entries whose hash is gone. Lost connections and timeouts
 * are retryable {@link dev.memlayer.api.StoreException}s; the pool discards stale connections, so
 * the client recovers by itself when the server is back. Scope locks
 * ({@link dev.memlayer.store.redis.RedisVectorStore#withScopeLock}) are {@code SET NX PX} keys per
 * scope id with an owner token, renewed while held and released by compare-and-delete.
 *
 * <h2>Redis Cluster</h2>
 *
 * The keys are laid out for it (each entity's vector set, index and lock share a hash slot), but
 * the write scripts touch a memory's hash, its entities and the collection index together, which
 * only a standalone server accepts: this version connects to a standalone server (or a primary
 * with replicas). Spreading a collection over a cluster would split each write per slot.
 *
 * <h2>Filters</h2>
 *
 * {@link dev.memlayer.store.redis.internal.RedisFilterCompiler} compiles a filter to a FILTER
 * expression that accepts a superset of its matches; its Javadoc lists which operators run on the
 * server, exactly or as a superset, and which only in Java. Keys and values reach the server only
 * as selectors from an injective escaping and as literals the expression parser reads back
 * verbatim; a value that cannot be written so is left to the Java post-filter, never dropped.
 *
 * <h2>Scores</h2>
 *
 * {@code VSIM WITHSCORES} returns {@code (1 + cos) / 2}; stores report
 * {@link dev.memlayer.api.spi.ScoredRecord#similarity similarity(2s - 1)}, the cosine clamped to
 * [0, 1]. With {@code NOQUANT} (the default) they match the double-precision formula within 1e-6.
 */
package dev.memlayer.store.redis;
