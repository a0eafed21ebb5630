package dev.memlayer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Scope;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.spi.MemoryRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CandidateFilterTest {

    private static MemoryRecord memory(String user, String agent, String run) {
        return MemoryRecord.builder().id("m").memory("text").createdAt(Instant.EPOCH).updatedAt(Instant.EPOCH)
                .scope(new Scope(user, agent, run)).build();
    }

    private static boolean sees(Scope call, MemoryRecord memory) {
        Filter f = AddPipeline.candidateFilter(call);
        return FilterEvaluator.matches(f, memory);
    }

    @Test
    void a_long_term_add_sees_only_the_users_long_term_memories() {
        Scope alex = Scope.user("alex");
        assertThat(sees(alex, memory("alex", null, null))).isTrue();
        assertThat(sees(alex, memory("bob", null, null))).isFalse();
        assertThat(sees(alex, memory("alex", null, "run-1"))).as("session memory").isFalse();
        assertThat(sees(alex, memory("alex", "bot", null))).as("agent memory").isFalse();
        assertThat(sees(alex, memory(null, null, null))).isFalse();
    }

    @Test
    void a_session_add_sees_the_session_and_the_users_long_term_memories() {
        Scope session = new Scope("alex", null, "run-7");
        assertThat(sees(session, memory("alex", null, "run-7"))).isTrue();
        assertThat(sees(session, memory("alex", null, null))).isTrue();
        assertThat(sees(session, memory("alex", null, "run-8"))).isFalse();
        assertThat(sees(session, memory("bob", null, "run-7"))).as("another user's memory in the run").isFalse();
        assertThat(sees(session, memory(null, null, "run-7"))).as("the user id is required").isFalse();
    }

    @Test
    void without_a_user_the_agent_id_is_required() {
        Scope agent = new Scope(null, "bot", "run-1");
        assertThat(sees(agent, memory(null, "bot", "run-1"))).isTrue();
        assertThat(sees(agent, memory(null, "bot", null))).isTrue();
        assertThat(sees(agent, memory(null, null, "run-1"))).isFalse();
        assertThat(sees(agent, memory("alex", "bot", "run-1"))).as("a user's memory").isFalse();
    }

    @Test
    void procedural_memories_are_never_candidates() {
        MemoryRecord procedural = memory("alex", "bot", null).toBuilder().memoryType(MemoryType.PROCEDURAL).build();
        assertThat(sees(new Scope("alex", "bot", null), procedural)).isFalse();
        assertThat(sees(new Scope("alex", "bot", null), memory("alex", "bot", null))).isTrue();
    }
}
