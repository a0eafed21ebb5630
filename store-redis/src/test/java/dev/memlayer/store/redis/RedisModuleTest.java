package dev.memlayer.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import org.junit.jupiter.api.Test;

class RedisModuleTest {

    @Test
    void creating_the_injector_connects_to_nothing() {
        RedisConfig unreachable = RedisConfig.builder().uri("redis://127.0.0.1:1").build();

        Injector injector = Guice.createInjector(new RedisModule(unreachable));

        assertThat(injector.getInstance(RedisConfig.class)).isSameAs(unreachable);
    }

    @Test
    void binds_both_stores_as_singletons_on_one_shared_pool_closed_with_the_last_store() {
        String prefix = RedisTestSupport.uniquePrefix(RedisModuleTest.class);
        Injector injector = Guice.createInjector(new RedisModule(RedisTestSupport.config(prefix, 4)));

        VectorStore store = injector.getInstance(VectorStore.class);
        HistoryStore history = injector.getInstance(HistoryStore.class);
        RedisConnection connection = injector.getInstance(RedisConnection.class);

        assertThat(store).isInstanceOf(RedisVectorStore.class).isSameAs(injector.getInstance(VectorStore.class));
        assertThat(history).isInstanceOf(RedisHistoryStore.class);
        assertThat(store.dimensions()).isEqualTo(4);
        assertThat(store.count(null)).isZero();
        store.close();
        connection.ping(); // still open: the history store uses it
        history.reset();
        history.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(connection::ping).isInstanceOf(IllegalStateException.class);
    }
}
