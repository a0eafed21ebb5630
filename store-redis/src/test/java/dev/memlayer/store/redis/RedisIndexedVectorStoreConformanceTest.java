package dev.memlayer.store.redis;

import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.conformance.VectorStoreContract;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared vector store contract with {@code indexBacklog = 0}: every upsert puts its vectors in
 * the HNSW vector sets before returning, so searches read the sets only (the default configuration
 * mostly answers these small tests from pending vectors; {@link RedisVectorStoreConformanceTest}).
 *
 * <p>One contract test is skipped here: concurrent replacements of the same few ids churn a tiny
 * HNSW graph with {@code VREM}/{@code VADD}, which crashes Redis 8.0.2 (up to at least 8.4.0) with a
 * segfault in {@code hnsw_reconnect_nodes} (redis/redis#15424, fixed by redis/redis#15547) and takes
 * the shared test server down for every later test. The default configuration still runs it.
 */
@ExtendWith(RedisIndexedVectorStoreConformanceTest.SkipServerCrash.class)
class RedisIndexedVectorStoreConformanceTest extends VectorStoreContract {

    /** Skips the contract test that triggers the server bug described in the class documentation. */
    static final class SkipServerCrash implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getTestMethod().map(Method::getName)
                    .filter("concurrent_replacements_of_the_same_ids_leave_one_consistent_copy"::equals)
                    .map(m -> ConditionEvaluationResult.disabled("VREM churn crashes Redis 8.0.2 (redis/redis#15424)"))
                    .orElse(ConditionEvaluationResult.enabled("not affected"));
        }
    }

    @RegisterExtension
    static final RedisConnectionExtension REDIS =
            new RedisConnectionExtension(RedisIndexedVectorStoreConformanceTest.class);

    @Override
    protected VectorStore createStore(int dimensions) {
        return RedisVectorStore.create(REDIS.config(dimensions).toBuilder()
                .indexBacklog(0).backgroundIndexing(false).build(), REDIS.connection());
    }
}
