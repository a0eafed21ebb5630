package dev.memlayer.store.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the backend. A script runs atomically on the server: no other client sees a
 * half-written record or batch, and a connection lost before the script was sent writes nothing.
 * They build keys exactly as {@link Keys} documents.
 *
 * <p>The scripts touch keys they compute (the entities of the old version of a record), which
 * Redis allows on a standalone server; on Redis Cluster they would have to be split per slot.
 */
public final class Scripts {

    private Scripts() {
    }

    /** A script and its SHA-1, for {@code EVALSHA} with an {@code EVAL} fallback. */
    public record Script(String name, byte[] source, byte[] sha) {
        static Script of(String name, String source) {
            byte[] src = source.getBytes(StandardCharsets.UTF_8);
            try {
                byte[] sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(src))
                        .getBytes(StandardCharsets.US_ASCII);
                return new Script(name, src, sha);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required by every JDK", e);
            }
        }
    }

    private static final String COMMON = """
            local P = ARGV[1]
            local reg = P .. ':{g}:e'
            local all = P .. ':{g}:z'
            local queue = P .. ':{g}:q'
            local total = P .. ':{g}:pn'
            local registered = {} -- entity tags this script has put in the registry
            local added, queued = 0, {} -- pending vectors this script wrote and has not counted yet, per tag
            -- forgets the pending vector of memory id under entity tag; 1 if there was one
            local function unpend(tag, id)
              if redis.call('HDEL', P .. ':{' .. tag .. '}:p', id) == 0 then return 0 end
              if (queued[tag] or 0) > 0 then -- written by this script: not counted yet
                queued[tag] = queued[tag] - 1
                added = added - 1
                return 1
              end
              redis.call('DECR', total)
              if tonumber(redis.call('ZINCRBY', queue, -1, tag)) <= 0 then redis.call('ZREM', queue, tag) end
              return 1
            end
            -- removes a memory from its hash, vector sets, pending vectors and indexes; 1 if it existed
            local function removeRecord(id)
              local rk = P .. ':m:{' .. id .. '}'
              local old = redis.call('HMGET', rk, 'sk', 'tags')
              if not old[1] then return 0 end
              local member = old[1] .. id
              for tag in string.gmatch(old[2], '[^\\n]+') do
                if unpend(tag, id) == 0 then redis.call('VREM', P .. ':{' .. tag .. '}:v', id) end
                local z = P .. ':{' .. tag .. '}:z'
                redis.call('ZREM', z, member)
                if redis.call('ZCARD', z) == 0 then
                  redis.call('SREM', reg, tag)
                  registered[tag] = nil
                end
              end
              redis.call('ZREM', all, member)
              redis.call('DEL', rk)
              return 1
            end
            local function pendingTotal()
              return tonumber(redis.call('GET', total) or '0')
            end
            """;

    private static final String PENDING_READER = """
            -- {id, doc, vec, ...} of the pending vectors under a pending key ('' for none)
            local function readPending(P, pkey)
              local out = {}
              if pkey == '' then return out end
              local ids = redis.call('HKEYS', pkey)
              for _, id in ipairs(ids) do
                local r = redis.call('HMGET', P .. ':m:{' .. id .. '}', 'doc', 'vec')
                if r[1] and r[2] then
                  out[#out + 1] = id; out[#out + 1] = r[1]; out[#out + 1] = r[2]
                end
              end
              return out
            end
            """;

    /**
     * Upserts and deletes in one atomic unit. An upserted memory's vector is not put in the vector
     * sets here (an HNSW insertion costs 0.1 to 1 ms of the server's single thread): it becomes a
     * <em>pending vector</em> of each of its entities ({@code P:{t}:p}, memory id to its
     * attributes), which searches score exactly and {@link #INDEX} moves into the vector sets
     * later. Replacing a memory takes its old vectors out of the sets first, so a set never holds
     * a stale vector.
     *
     * <p>ARGV: prefix, the backlog bound ({@code -1} for none), then the number of upserts and
     * per upsert: id, sort key, entity tags (newline-separated), FP32 vector, attributes, document
     * ({@link RecordCodec}); then the number of deletions and their ids. Returns
     * {@code {pending, {1/0 per deletion}}}: the collection's pending vectors after the write, and
     * whether each deleted memory existed; or {@code {pending, nil}} without writing anything when
     * there are upserts and the collection already holds more pending vectors than the bound.
     */
    public static final Script WRITE = Script.of("write", COMMON + """
            local bound = tonumber(ARGV[2])
            local i = 3
            local nUp = tonumber(ARGV[i]); i = i + 1
            if nUp > 0 and bound >= 0 and pendingTotal() > bound then return {pendingTotal(), false} end
            for _ = 1, nUp do
              local id, sk, tags, vec, attr, doc = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
              i = i + 6
              removeRecord(id)
              redis.call('HSET', P .. ':m:{' .. id .. '}', 'doc', doc, 'vec', vec, 'sk', sk, 'tags', tags)
              local member = sk .. id
              for tag in string.gmatch(tags, '[^\\n]+') do
                local base = P .. ':{' .. tag .. '}:'
                redis.call('HSET', base .. 'p', id, attr)
                queued[tag] = (queued[tag] or 0) + 1
                added = added + 1
                redis.call('ZADD', base .. 'z', 0, member)
                if not registered[tag] then
                  redis.call('SADD', reg, tag)
                  registered[tag] = true
                end
              end
              redis.call('ZADD', all, 0, member)
            end
            for tag, n in pairs(queued) do
              if n > 0 then redis.call('ZINCRBY', queue, n, tag) end
            end
            if added > 0 then redis.call('INCRBY', total, added) end
            added, queued = 0, {} -- counted now
            local nDel = tonumber(ARGV[i]); i = i + 1
            local out = {}
            for n = 1, nDel do out[n] = removeRecord(ARGV[i]); i = i + 1 end
            return {pendingTotal(), out}
            """);

    /**
     * Moves up to a number of pending vectors into their vector sets ({@code VADD} with the
     * memory's stored FP32 vector and its attributes), entity by entity, largest backlog first.
     * Atomic, so a concurrent write or delete of the same memory lands entirely before or after
     * it: a vector set never receives a vector its memory no longer has.
     *
     * <p>ARGV: prefix, quantisation (NOQUANT | Q8), EF, M, how many vectors at most. Returns
     * {@code {indexed, pending}}: vectors moved now, pending vectors left in the collection.
     */
    public static final Script INDEX = Script.of("index", COMMON + """
            local quant, ef, m, budget = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
            local done = 0
            while done < budget do
              local top = redis.call('ZRANGE', queue, -1, -1)
              if #top == 0 then break end
              local tag = top[1]
              local pkey = P .. ':{' .. tag .. '}:p'
              local picked = redis.call('HRANDFIELD', pkey, budget - done, 'WITHVALUES')
              if #picked == 0 then
                redis.call('ZREM', queue, tag) -- an emptied backlog whose count drifted
              end
              for j = 1, #picked, 2 do
                local id, attr = picked[j], picked[j + 1]
                local vec = redis.call('HGET', P .. ':m:{' .. id .. '}', 'vec')
                if vec then
                  redis.call('VADD', P .. ':{' .. tag .. '}:v', 'FP32', vec, id, quant, 'EF', ef, 'M', m, 'SETATTR', attr)
                end
                unpend(tag, id)
                done = done + 1
              end
            end
            return {done, pendingTotal()}
            """);

    /**
     * Records the collection's dimensions and quantisation on first use, or checks them.
     * ARGV: prefix, dimensions, quantisation. Returns {@code "OK"} or the stored
     * {@code "<dimensions> <quantisation>"} when they differ.
     */
    public static final Script INIT = Script.of("init", """
            local meta = ARGV[1] .. ':{g}:meta'
            local cur = redis.call('HMGET', meta, 'dimensions', 'quantization')
            if not cur[1] then
              redis.call('HSET', meta, 'dimensions', ARGV[2], 'quantization', ARGV[3], 'layout', '1')
              return 'OK'
            end
            if cur[1] ~= ARGV[2] or cur[2] ~= ARGV[3] then return cur[1] .. ' ' .. tostring(cur[2]) end
            return 'OK'
            """);

    /**
     * One round of an exact search of a small vector set, with the records of the hits and the
     * entity's pending vectors, in one round trip (atomic, so a vector being indexed meanwhile is
     * seen exactly once). ARGV: prefix, vector set key, pending key ({@code ""} to skip them),
     * exact-scan threshold, count, FILTER expression ({@code ""} for none), FP32 query vector,
     * then the hash fields to read. Returns {@code {size, pending}} when the set is empty or
     * larger than the threshold (the caller then searches it through HNSW, on the server's search
     * threads), else {@code {size, pending, {id, score, ...}, {fields of hit 1}, ...}} from
     * {@code VSIM ... TRUTH}. {@code pending} is {@code {id, doc, vec, id, doc, vec, ...}}.
     */
    public static final Script SEARCH_SMALL = Script.of("search", PENDING_READER + """
            local P, key = ARGV[1], ARGV[2]
            local pending = readPending(P, ARGV[3])
            local n = redis.call('VCARD', key)
            if n == 0 or n > tonumber(ARGV[4]) then return {n, pending} end
            local args = {'VSIM', key, 'FP32', ARGV[7], 'WITHSCORES', 'COUNT', ARGV[5], 'TRUTH'}
            if ARGV[6] ~= '' then args[#args + 1] = 'FILTER'; args[#args + 1] = ARGV[6] end
            local hits = redis.call(unpack(args))
            local fields = {}
            for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
            local out = {n, pending, hits}
            for i = 1, #hits, 2 do
              out[#out + 1] = redis.call('HMGET', P .. ':m:{' .. hits[i] .. '}', unpack(fields))
            end
            return out
            """);

    /**
     * The pending vectors of one entity with their memories, for a search that reads the entity's
     * vector set through HNSW. ARGV: prefix, pending key. Returns {@code {id, doc, vec, ...}}.
     */
    public static final Script PENDING = Script.of("pending", PENDING_READER + """
            return readPending(ARGV[1], ARGV[2])
            """);

    /** Deletes a lock key if it still holds our token. KEYS: lock; ARGV: token. Returns 1/0. */
    public static final Script UNLOCK = Script.of("unlock", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);

    /** Extends a lock key if it still holds our token. KEYS: lock; ARGV: token, ttl ms. Returns 1/0. */
    public static final Script RENEW = Script.of("renew", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """);
}
