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
 * P:{u:alex}:p    HASH  pending vectors of alex: memory id to its attributes, for memories
 *                       written but not yet in P:{u:alex}:v (see "Write-behind indexing")
 * P:{u:alex}:z    ZSET  the same memories in list order (created_at desc, id): list/count/paging
 * P:{a:travel}:v, P:{r:run-1}:v, ...   the same per agent_id and run_id
 * P:{_}:v         memories without any scope id
 * P:{g}:z, P:{g}:e     every memory; every entity (for unscoped list/count, reset, entities)
 * P:{g}:q, P:{g}:pn    entities with pending vectors (scored by how many); their total
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
 * of the space, with an approximate ranking (the reported scores stay exact). A search that names no scope id at all visits every
 * entity's set (each memory once, in the set of its first id): correct, but it grows with the
 * number of entities; the engine always names a scope.
 *
 * <h2>Write-behind indexing</h2>
 *
 * Putting a vector in an HNSW vector set ({@code VADD}) is the expensive part of a write, and it
 * runs on the server's single main thread: measured on Redis 8.0.2 (the project's local server, 2
 * shared cores, 384 dimensions, sets of 1,000 elements, pipelined) about 0.7 ms per vector with
 * the default {@code EF} 200, 0.4 ms with 50, 0.2-0.4 ms with 16 and still 0.08-0.17 ms with 1
 * (distance computations dominate; the scalar float loop takes about 0.5 microseconds per
 * 384-dimension distance there). {@code VADD ... CAS}, which collects the neighbours on a thread
 * of its own, was slower still (1.0-1.5 ms: one thread per call, and no spare core), and Redis
 * ignores it inside scripts anyway. Everything else an upsert writes costs 20-60 microseconds per
 * memory. So no synchronous insertion reaches 10,000 upserts per second on such a machine; the
 * graph work is therefore taken off the write path:
 * <ol>
 *   <li>The write script stores the memory (hash, list indexes, registry) and, for each of its
 *       entities, a <em>pending vector</em>: an entry in {@code P:{t}:p} (memory id to its FILTER
 *       attributes; the vector itself is the exact copy in the hash). Replacing a memory first
 *       removes its old vectors from the sets ({@code VREM}) or its old pending entries, so for
 *       each entity of a memory's current version exactly one holds: its current vector is in the
 *       entity's set, or it is pending there. A set never holds a stale vector.</li>
 *   <li>Searches read each searched entity's pending vectors in the same script as its exact
 *       scan (or just before its HNSW {@code VSIM}, so a vector indexed in between is seen at
 *       least once, and counted once), score them exactly in Java (cosine in double precision of
 *       the stored float32 vectors) and apply the filter in Java. Answers are the same before and
 *       after indexing: same memories, same scores (see "Scores").</li>
 *   <li>An index step (one atomic script, at most 8 vectors, largest backlog first)
 *       {@code VADD}s pending vectors from the hash copy and drops their pending entries. A background thread per store runs steps after each write and
 *       when the store first touches a collection (vectors a stopped process left are picked up
 *       by the next one); failures are logged and retried with a growing pause.</li>
 *   <li>The backlog is bounded by {@link dev.memlayer.store.redis.RedisConfig#indexBacklog()}:
 *       an upsert that leaves more pending vectors runs index steps itself until it does not, and
 *       the write script refuses an upsert (writing nothing) while the backlog is over the bound,
 *       so the caller indexes first and then writes. Bursts up to the bound are acknowledged at
 *       the speed of the write script; sustained writing beyond it proceeds at the indexing speed
 *       (about 1,000-1,500 vectors per second on the machine above). A lasting indexing failure
 *       reaches the writers as an exception raised before anything is written; a failure of the
 *       indexing right after a write that succeeded is only logged (the write is done, its
 *       vectors stay pending and searchable). {@code indexBacklog = 0} indexes every upsert
 *       before it returns, as long as indexing works.</li>
 * </ol>
 * The price: while vectors are pending, searches of their entities read about 1.5 kB more per
 * pending vector (at 384 dimensions), and a store keeps one daemon thread. Measured with the
 * benchmarks' 100,000-memory collection (JMH {@code BatchUpsertBenchmark}, batches of 1,000):
 * 5,000-30,000 upserts per second acknowledged depending on the machine's load (median about
 * 20,000), against 500-1,100 with the insertion in the write script; reading the exact vector of
 * each hit costs a scoped search 0.05-0.15 ms at p50 (scope of 1,000: about 0.35 instead of 0.3 ms;
 * no measurable change for 10,000, 0.6-0.9 ms either way). {@link
 * dev.memlayer.store.redis.RedisVectorStore#indexPending()} indexes the backlog at once,
 * {@link dev.memlayer.store.redis.RedisVectorStore#pendingVectors()} tells its size.
 *
 * <h2>Writes and failures</h2>
 *
 * Each {@code upsert}/{@code write}/{@code delete} call is one Lua script (validated first), so it
 * is applied entirely or, if the connection breaks before the script arrives, not at all; readers
 * never see half of it. Index steps are scripts too: a step cut off before it reaches the server
 * changes nothing, and the pending entries it would have handled are taken by the next step.
 * Reads skip index entries whose hash is gone. Lost connections and timeouts are retryable
 * {@link dev.memlayer.api.StoreException}s; the pool discards stale connections, so the client
 * (and its background indexer) recovers by itself when the server is back. Scope locks
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
 * {@code VSIM WITHSCORES} returns {@code (1 + cos) / 2} computed in float32 (from 8-bit values
 * with {@code Q8}); it only ranks candidates. Every hit's score is computed in Java from the exact
 * float32 copy of its vector in the memory hash: the cosine in double precision through
 * {@link dev.memlayer.api.spi.ScoredRecord#similarity}, the same formula as the reference, whether
 * the vector is indexed or still pending. So a score never changes when a vector gets indexed (two
 * searches with no write in between give equal answers), and with {@code Q8} the ranking is
 * approximate but the reported scores are exact.
 */
package dev.memlayer.store.redis;
