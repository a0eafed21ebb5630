package dev.memlayer.store.redis.internal;

import dev.memlayer.api.spi.MemoryRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Response;

/**
 * Reads memory hashes, many per round trip. Ids whose hash is gone (deleted meanwhile) are simply
 * absent from the answer: an index entry without its record is never returned.
 */
public final class RecordReader {

    /** Hashes read per pipeline. */
    private static final int CHUNK = 1000;

    private final RedisExecutor redis;
    private final Keys keys;

    public RecordReader(RedisExecutor redis, Keys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /**
     * @param ids           memory ids
     * @param withEmbedding whether to read the embeddings too
     * @return id to record for the ids that exist, in the order of {@code ids}
     */
    public Map<String, MemoryRecord> read(Collection<String> ids, boolean withEmbedding) {
        Map<String, MemoryRecord> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        byte[][] fields = withEmbedding ? RecordCodec.READ_WITH_EMBEDDING : RecordCodec.READ_WITHOUT_EMBEDDING;
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> list = all.subList(from, Math.min(all.size(), from + CHUNK));
            List<List<byte[]>> values = redis.pipelined("read memories", true, p -> {
                List<Response<List<byte[]>>> responses = new ArrayList<>(list.size());
                for (String id : list) {
                    responses.add(p.hmget(keys.record(id), fields));
                }
                return () -> responses.stream().map(Response::get).toList();
            });
            for (int i = 0; i < list.size(); i++) {
                MemoryRecord r = RecordCodec.decode(values.get(i));
                if (r != null) {
                    out.put(list.get(i), r);
                }
            }
        }
        return out;
    }
}
