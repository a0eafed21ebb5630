package dev.memlayer.store.inmemory;

import dev.memlayer.api.spi.HistoryStore;
import dev.memlayer.conformance.HistoryStoreContract;

/** The in-memory history store against the {@link HistoryStoreContract}. */
class InMemoryHistoryStoreConformanceTest extends HistoryStoreContract {

    @Override
    protected HistoryStore createHistoryStore() {
        return new InMemoryHistoryStore();
    }
}
