package dev.memlayer.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisConfigTest {

    @Test
    void defaults_point_at_the_projects_local_redis() {
        RedisConfig c = RedisConfig.fromEnv(Map.of());

        assertThat(c.uri()).isEqualTo(RedisConfig.DEFAULT_URI);
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(56379);
        assertThat(c.keyPrefix()).isEqualTo("memlayer");
        assertThat(c.dimensions()).isEqualTo(384);
        assertThat(c.quantization()).isEqualTo(RedisConfig.Quantization.NOQUANT);
        assertThat(c.effectiveTls()).isFalse();
        assertThat(c.effectivePassword()).isNull();
        assertThat(c.indexBacklog()).isEqualTo(RedisConfig.DEFAULT_INDEX_BACKLOG);
        assertThat(c.backgroundIndexing()).isTrue();
    }

    @Test
    void from_env_reads_every_setting() {
        RedisConfig c = RedisConfig.fromEnv(Map.ofEntries(
                Map.entry("MEMLAYER_REDIS_URL", "rediss://bob:s%40cret@cache.internal:6380/2"),
                Map.entry("MEMLAYER_REDIS_PREFIX", "app:memories"),
                Map.entry("MEMLAYER_REDIS_DIMENSIONS", "768"),
                Map.entry("MEMLAYER_REDIS_QUANTIZATION", "q8"),
                Map.entry("MEMLAYER_REDIS_M", "32"),
                Map.entry("MEMLAYER_REDIS_EF_CONSTRUCTION", "100"),
                Map.entry("MEMLAYER_REDIS_EF", "300"),
                Map.entry("MEMLAYER_REDIS_FILTER_EF", "5000"),
                Map.entry("MEMLAYER_REDIS_EXACT_THRESHOLD", "512"),
                Map.entry("MEMLAYER_REDIS_INDEX_BACKLOG", "0"),
                Map.entry("MEMLAYER_REDIS_BACKGROUND_INDEXING", "false"),
                Map.entry("MEMLAYER_REDIS_CONNECT_TIMEOUT_MS", "250"),
                Map.entry("MEMLAYER_REDIS_TIMEOUT_MS", "1500"),
                Map.entry("MEMLAYER_REDIS_POOL_SIZE", "4"),
                Map.entry("MEMLAYER_REDIS_LOCK_TTL_MS", "5000"),
                Map.entry("MEMLAYER_REDIS_LOCK_WAIT_MS", "0")));

        assertThat(c.host()).isEqualTo("cache.internal");
        assertThat(c.port()).isEqualTo(6380);
        assertThat(c.database()).isEqualTo(2);
        assertThat(c.user()).isEqualTo("bob");
        assertThat(c.effectivePassword()).isEqualTo("s@cret");
        assertThat(c.effectiveTls()).isTrue();
        assertThat(c.keyPrefix()).isEqualTo("app:memories");
        assertThat(c.dimensions()).isEqualTo(768);
        assertThat(c.quantization()).isEqualTo(RedisConfig.Quantization.Q8);
        assertThat(c.hnswM()).isEqualTo(32);
        assertThat(c.efConstruction()).isEqualTo(100);
        assertThat(c.efSearch()).isEqualTo(300);
        assertThat(c.filterEf()).isEqualTo(5000);
        assertThat(c.exactSearchThreshold()).isEqualTo(512);
        assertThat(c.indexBacklog()).isZero();
        assertThat(c.backgroundIndexing()).isFalse();
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.commandTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.poolSize()).isEqualTo(4);
        assertThat(c.lockTtl()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.lockWait()).isEqualTo(Duration.ZERO);
        assertThat(c.toString()).doesNotContain("s%40cret").doesNotContain("s@cret");
    }

    @Test
    void an_explicit_password_wins_over_the_urls() {
        RedisConfig c = RedisConfig.builder().uri("redis://:fromurl@localhost:6379").password("explicit").build();

        assertThat(c.effectivePassword()).isEqualTo("explicit");
        assertThat(RedisConfig.builder().uri("redis://:fromurl@localhost").build().effectivePassword()).isEqualTo("fromurl");
    }

    @Test
    void invalid_settings_are_rejected_with_a_clear_message() {
        assertInvalid(() -> RedisConfig.builder().uri("http://localhost").build(), "redis://");
        assertInvalid(() -> RedisConfig.builder().keyPrefix("a{b}").build(), "braces");
        assertInvalid(() -> RedisConfig.builder().keyPrefix("a*").build(), "glob");
        assertInvalid(() -> RedisConfig.builder().dimensions(0).build(), "dimensions");
        assertInvalid(() -> RedisConfig.builder().hnswM(2).build(), "hnswM");
        assertInvalid(() -> RedisConfig.builder().indexBacklog(-1).build(), "indexBacklog");
        assertInvalid(() -> RedisConfig.builder().commandTimeout(Duration.ZERO).build(), "commandTimeout");
        assertInvalid(() -> RedisConfig.fromEnv(Map.of("MEMLAYER_REDIS_DIMENSIONS", "many")), "integer");
        assertInvalid(() -> RedisConfig.fromEnv(Map.of("MEMLAYER_REDIS_QUANTIZATION", "BIN")), "NOQUANT or Q8");
        assertInvalid(() -> RedisConfig.fromEnv(Map.of("MEMLAYER_REDIS_TLS", "maybe")), "true or false");
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
