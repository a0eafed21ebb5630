package dev.memlayer.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.memlayer.api.AddResult;
import dev.memlayer.api.Memory;
import dev.memlayer.api.MemoryConfig;
import dev.memlayer.api.Relation;
import dev.memlayer.api.Scope;
import dev.memlayer.api.graph.GraphStore;
import dev.memlayer.api.spi.Embedder;
import dev.memlayer.api.spi.LanguageModel;
import dev.memlayer.conformance.memory.ScriptEmbedder;
import dev.memlayer.conformance.memory.ScriptedLanguageModel;
import dev.memlayer.core.MemoryModule;
import dev.memlayer.store.inmemory.InMemoryStoreModule;
import org.junit.jupiter.api.Test;

class GraphModulesTest {

    private static AbstractModule models(ScriptEmbedder embedder) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                bind(Embedder.class).toInstance(embedder);
                bind(LanguageModel.class).toInstance(new ScriptedLanguageModel());
            }
        };
    }

    @Test
    void the_in_memory_graph_module_turns_graph_memory_on() {
        ScriptEmbedder embedder = new ScriptEmbedder();
        embedder.pin("alice", 1).pin("rex", 0, 1);
        Injector injector = Guice.createInjector(new MemoryModule(MemoryConfig.defaults()),
                new InMemoryStoreModule(embedder.dimensions()), new InMemoryGraphModule(), models(embedder));

        try (Memory memory = injector.getInstance(Memory.class)) {
            // the scripted model's default graph rules: capitalised words, each related_to the next
            AddResult result = memory.add("Alice has Rex", Scope.user("alice"));

            assertThat(injector.getInstance(GraphStore.class)).isInstanceOf(InMemoryGraphStore.class);
            assertThat(result.relations().added()).containsExactly(new Relation("alice", "related_to", "rex"));
            assertThat(memory.relations(Scope.user("alice"))).containsExactly(new Relation("alice", "related_to", "rex"));
        }
    }

    @Test
    void without_a_graph_module_graph_memory_is_off() {
        ScriptEmbedder embedder = new ScriptEmbedder();
        Injector injector = Guice.createInjector(new MemoryModule(MemoryConfig.defaults()),
                new InMemoryStoreModule(embedder.dimensions()), models(embedder));

        try (Memory memory = injector.getInstance(Memory.class)) {
            assertThat(memory.add("Alice has Rex", Scope.user("alice")).relations()).isNull();
        }
    }

    @Test
    void the_neo4j_module_binds_a_store_without_connecting() {
        ScriptEmbedder embedder = new ScriptEmbedder();
        Neo4jConfig nowhere = Neo4jConfig.of("bolt://127.0.0.1:9", null, null);
        Injector injector = Guice.createInjector(new MemoryModule(MemoryConfig.defaults()),
                new InMemoryStoreModule(embedder.dimensions()), new Neo4jGraphModule(nowhere), models(embedder));

        try (Memory memory = injector.getInstance(Memory.class)) {
            assertThat(injector.getInstance(GraphStore.class)).isInstanceOfSatisfying(Neo4jGraphStore.class,
                    s -> assertThat(s.config()).isEqualTo(nowhere));
            assertThat(memory).isNotNull();
        }
    }
}
