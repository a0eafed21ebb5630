package dev.memlayer.cli.internal;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryBuilder;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.embedder.onnx.OnnxEmbedder;
import dev.memlayer.embedder.onnx.OnnxEmbedderConfig;
import dev.memlayer.store.inmemory.InMemoryHistoryStore;
import dev.memlayer.store.inmemory.InMemoryVectorStore;
import dev.memlayer.store.pgvector.PgVectorConfig;
import dev.memlayer.store.pgvector.PgVectorStore;
import dev.memlayer.store.redis.RedisConfig;
import dev.memlayer.store.redis.RedisConnection;
import dev.memlayer.store.redis.RedisHistoryStore;
import dev.memlayer.store.redis.RedisVectorStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens the {@link Memory} the command line works on: the chosen vector store with its history
 * store, the chosen local embedder and, optionally, a language model; assembled with
 * {@link Memory#builder()}.
 *
 * <p>Servers are configured by the backends' own environment variables: PostgreSQL by
 * {@code MEMLAYER_PG_URL}, {@code MEMLAYER_PG_USER}, {@code MEMLAYER_PG_PASSWORD} (see
 * {@link PgVectorConfig#fromEnv(Map)}), Redis by {@code MEMLAYER_REDIS_URL} (see
 * {@link RedisConfig#fromEnv(Map)}); {@code scripts/services.sh start} runs both locally with the
 * defaults. The collection (PostgreSQL table, Redis key prefix) is the caller's unless
 * {@code MEMLAYER_PG_TABLE} or {@code MEMLAYER_REDIS_PREFIX} names another.
 */
public final class Backends {

    private Backends() {
    }

    /**
     * Loads a local ONNX embedder (about a second; no network). Thread and batch settings come from
     * {@link OnnxEmbedderConfig#fromEnv()}; the model from {@code kind}.
     *
     * @param kind the model
     * @return the embedder; the caller closes it, or hands it to {@link #open} which does
     */
    public static OnnxEmbedder embedder(EmbedderKind kind) {
        return OnnxEmbedder.create(OnnxEmbedderConfig.fromEnv().toBuilder().model(kind.model()).build());
    }

    /**
     * Assembles a memory on the in-memory store, which needs no collection name.
     *
     * @see #open(StoreKind, Embedder, LanguageModel, String, Map)
     */
    public static Memory open(StoreKind store, Embedder embedder, LanguageModel llm) {
        return open(store, embedder, llm, "memlayer", System.getenv());
    }

    /**
     * Assembles a memory. It owns the embedder, the language model and the stores from then on:
     * closing the memory closes them; if assembly fails, what was opened is closed here.
     *
     * @param store      the vector store (and history store) to use
     * @param embedder   the embedder, not null
     * @param llm        the language model, or null when only {@code infer=false} adds are made
     * @param collection the collection for server stores ({@code [a-z0-9_]}, e.g. {@code locomo}):
     *                   PostgreSQL table {@code memlayer_<collection>}, Redis key prefix
     *                   {@code memlayer-<collection>}, unless the environment names one
     * @param env        the environment the server settings are read from
     * @return the memory, to be closed by the caller
     * @throws ValidationException             ({@link ErrorCode#INVALID_CONFIGURATION}) for bad
     *                                         settings
     * @throws dev.memlayer.api.StoreException when a server is unreachable
     */
    public static Memory open(StoreKind store, Embedder embedder, LanguageModel llm, String collection,
                              Map<String, String> env) {
        List<AutoCloseable> opened = new ArrayList<>();
        if (embedder instanceof AutoCloseable closeable) {
            opened.add(closeable);
        }
        if (llm instanceof AutoCloseable closeable) {
            opened.add(closeable);
        }
        try {
            MemoryBuilder builder = Memory.builder().embedder(embedder);
            if (llm != null) {
                builder.languageModel(llm);
            }
            int dimensions = embedder.dimensions();
            switch (store) {
                case INMEMORY -> builder.vectorStore(new InMemoryVectorStore(dimensions))
                        .historyStore(new InMemoryHistoryStore());
                case PGVECTOR -> {
                    PgVectorConfig config = PgVectorConfig.fromEnv(env).withDimensions(dimensions);
                    if (isBlank(env.get("MEMLAYER_PG_TABLE")) && !"memlayer".equals(collection)) {
                        config = config.toBuilder().table("memlayer_" + collection).build();
                    }
                    PgVectorStore vectors = PgVectorStore.create(config);
                    opened.add(vectors);
                    var history = vectors.historyStore();
                    opened.add(history);
                    builder.vectorStore(vectors).historyStore(history);
                }
                case REDIS -> {
                    RedisConfig config = RedisConfig.fromEnv(env).withDimensions(dimensions);
                    if (isBlank(env.get("MEMLAYER_REDIS_PREFIX")) && !"memlayer".equals(collection)) {
                        config = config.withKeyPrefix("memlayer-" + collection);
                    }
                    RedisConnection connection = RedisConnection.openShared(config);
                    RedisVectorStore vectors = RedisVectorStore.create(config, connection);
                    opened.add(vectors);
                    RedisHistoryStore history = RedisHistoryStore.create(config, connection);
                    opened.add(history);
                    connection.ping();
                    builder.vectorStore(vectors).historyStore(history);
                }
            }
            return builder.build();
        } catch (RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
