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
            local registered = {} -- entity tags this script has put in the registry
            -- removes a memory from its hash, vector sets and indexes; 1 if it existed
            local function removeRecord(id)
              local rk = P .. ':m:{' .. id .. '}'
              local old = redis.call('HMGET', rk, 'sk', 'tags')
              if not old[1] then return 0 end
              local member = old[1] .. id
              for tag in string.gmatch(old[2], '[^\\n]+') do
                redis.call('VREM', P .. ':{' .. tag .. '}:v', id)
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
            """;

    /**
     * Upserts and deletes in one atomic unit.
     *
     * <p>ARGV: prefix, quantisation (NOQUANT | Q8), EF, M, then the number of upserts and per
     * upsert: id, sort key, entity tags (newline-separated), FP32 vector, attributes, document
     * ({@link RecordCodec}); then the number of deletions and their ids. Returns one 1/0 per
     * deletion (whether it existed).
     */
    public static final Script WRITE = Script.of("write", COMMON + """
            local quant, ef, m = ARGV[2], ARGV[3], ARGV[4]
            local i = 5
            local nUp = tonumber(ARGV[i]); i = i + 1
            for _ = 1, nUp do
              local id, sk, tags, vec, attr, doc = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
              i = i + 6
              removeRecord(id)
              redis.call('HSET', P .. ':m:{' .. id .. '}', 'doc', doc, 'vec', vec, 'sk', sk, 'tags', tags)
              local member = sk .. id
              for tag in string.gmatch(tags, '[^\\n]+') do
                local base = P .. ':{' .. tag .. '}:'
                redis.call('VADD', base .. 'v', 'FP32', vec, id, quant, 'EF', ef, 'M', m, 'SETATTR', attr)
                redis.call('ZADD', base .. 'z', 0, member)
                if not registered[tag] then
                  redis.call('SADD', reg, tag)
                  registered[tag] = true
                end
              end
              redis.call('ZADD', all, 0, member)
            end
            local nDel = tonumber(ARGV[i]); i = i + 1
            local out = {}
            for n = 1, nDel do out[n] = removeRecord(ARGV[i]); i = i + 1 end
            return out
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
     * One round of an exact search of a small vector set, with the records of the hits, in one
     * round trip. ARGV: prefix, vector set key, exact-scan threshold, count, FILTER expression
     * ({@code ""} for none), FP32 query vector, then the hash fields to read. Returns
     * {@code {size}} when the set is empty or larger than the threshold (the caller then searches
     * it through HNSW, on the server's search threads), else
     * {@code {size, {id, score, ...}, {fields of hit 1}, ...}} from {@code VSIM ... TRUTH}.
     */
    public static final Script SEARCH_SMALL = Script.of("search", """
            local P, key = ARGV[1], ARGV[2]
            local n = redis.call('VCARD', key)
            if n == 0 or n > tonumber(ARGV[3]) then return {n} end
            local args = {'VSIM', key, 'FP32', ARGV[6], 'WITHSCORES', 'COUNT', ARGV[4], 'TRUTH'}
            if ARGV[5] ~= '' then args[#args + 1] = 'FILTER'; args[#args + 1] = ARGV[5] end
            local hits = redis.call(unpack(args))
            local fields = {}
            for i = 7, #ARGV do fields[#fields + 1] = ARGV[i] end
            local out = {n, hits}
            for i = 1, #hits, 2 do
              out[#out + 1] = redis.call('HMGET', P .. ':m:{' .. hits[i] .. '}', unpack(fields))
            end
            return out
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
