package dev.memlayer.store.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.api.spi.VectorStore;
import dev.memlayer.api.spi.VectorStoreProvider;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The Guice module and the ServiceLoader provider hand out the in-memory stores. */
class InMemoryStoreModuleTest {

    @Test
    void the_module_binds_one_vector_store_and_one_history_store_per_injector() {
        Injector injector = Guice.createInjector(new InMemoryStoreModule(12));

        VectorStore store = injector.getInstance(VectorStore.class);
        HistoryStore history = injector.getInstance(HistoryStore.class);

        assertThat(store).isInstanceOf(InMemoryVectorStore.class);
        assertThat(store.dimensions()).isEqualTo(12);
        assertThat(injector.getInstance(VectorStore.class)).isSameAs(store);
        assertThat(injector.getInstance(InMemoryVectorStore.class)).isSameAs(store);
        assertThat(history).isInstanceOf(InMemoryHistoryStore.class);
        assertThat(injector.getInstance(HistoryStore.class)).isSameAs(history);
        assertThat(Guice.createInjector(new InMemoryStoreModule(12)).getInstance(VectorStore.class)).isNotSameAs(store);
    }

    @Test
    void the_module_needs_a_positive_dimension() {
        assertThatThrownBy(() -> new InMemoryStoreModule(0)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    }

    @Test
    void the_service_loader_finds_the_in_memory_provider() {
        List<VectorStoreProvider> providers = ServiceLoader.load(VectorStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();

        assertThat(providers).hasAtLeastOneElementOfType(InMemoryStoreProvider.class);
        VectorStoreProvider provider = providers.stream().filter(p -> p instanceof InMemoryStoreProvider).findFirst().orElseThrow();
        assertThat(provider.create(7).dimensions()).isEqualTo(7);
        assertThat(provider.createHistoryStore()).isInstanceOf(InMemoryHistoryStore.class);
    }
}
