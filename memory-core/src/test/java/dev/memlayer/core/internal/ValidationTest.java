package dev.memlayer.core.internal;

import static dev.memlayer.api.filter.Filters.and;
import static dev.memlayer.api.filter.Filters.contains;
import static dev.memlayer.api.filter.Filters.eq;
import static dev.memlayer.api.filter.Filters.exists;
import static dev.memlayer.api.filter.Filters.gte;
import static dev.memlayer.api.filter.Filters.in;
import static dev.memlayer.api.filter.Filters.ne;
import static dev.memlayer.api.filter.Filters.nin;
import static dev.memlayer.api.filter.Filters.not;
import static dev.memlayer.api.filter.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.Message;
import dev.memlayer.api.Scope;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.core.json.FilterJsonParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidationTest {

    private static ErrorCode code(Runnable r) {
        try {
            r.run();
        } catch (ValidationException e) {
            return e.code();
        }
        throw new AssertionError("expected a ValidationException");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_id", "agent_id", "run_id", "actor_id", "role"})
    void identity_keys_in_metadata_are_rejected(String key) {
        assertThat(code(() -> Validation.metadata(Map.of(key, "x"), "add"))).isEqualTo(ErrorCode.RESERVED_METADATA_KEY);
    }

    @Test
    void metadata_values_must_be_json_like() {
        assertThat(code(() -> Validation.metadata(Map.of("when", Instant.EPOCH), "add"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(() -> Validation.metadata(Map.of("n", Double.NaN), "add"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(() -> Validation.metadata(Map.of("m", Map.of(1, "x")), "add"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(() -> Validation.metadata(Map.of("l", List.of(new Object())), "add"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(code(() -> Validation.metadata(Map.of(" ", 1), "add"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void metadata_numbers_are_normalised_and_nulls_kept() {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("i", 3);
        in.put("f", 1.5f);
        in.put("big", new BigInteger("123456789012345678901234567890"));
        in.put("none", null);
        in.put("nested", Map.of("l", List.of((short) 1, "a", true)));
        Map<String, Object> out = Validation.metadata(in, "add");
        assertThat(out.get("i")).isEqualTo(3L);
        assertThat(out.get("f")).isEqualTo(1.5d);
        assertThat(out.get("big")).isEqualTo(new BigDecimal("123456789012345678901234567890"));
        assertThat(out).containsKey("none").containsEntry("none", null);
        assertThat(out.get("nested")).isEqualTo(Map.of("l", List.of(1L, "a", true)));
    }

    @Test
    void cyclic_metadata_is_rejected_not_a_stack_overflow() {
        Map<String, Object> cyclic = new HashMap<>();
        List<Object> list = new ArrayList<>();
        list.add(cyclic);
        cyclic.put("self", list);
        assertThat(code(() -> Validation.metadata(Map.of("c", cyclic), "add"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void scope_or_a_filter_selecting_one_is_required() {
        assertThat(code(() -> Validation.requireScope(Scope.none(), "add"))).isEqualTo(ErrorCode.MISSING_SCOPE);
        assertThat(code(() -> Validation.requireScopeOrFilter(Scope.none(), eq("food", "vegan"), "search")))
                .isEqualTo(ErrorCode.MISSING_SCOPE);
        Validation.requireScopeOrFilter(Scope.none(), and(eq("food", "vegan"), or(eq("user_id", "a"), eq("user_id", "b"))),
                "search");
        Validation.requireScopeOrFilter(Scope.user("alex"), null, "getAll");
        Validation.requireScopeOrFilter(Scope.user("alex"), not(exists("run_id")), "getAll");
        assertThat(code(() -> Validation.requireScopeOrFilter(Scope.none(), not(exists("run_id")), "deleteAll")))
                .isEqualTo(ErrorCode.MISSING_SCOPE);
    }

    @Test
    void only_eq_or_in_on_a_scope_field_through_and_or_every_or_branch_constrains_the_scope() {
        assertThat(Validation.constrainsScope(eq("user_id", "alex"))).isTrue();
        assertThat(Validation.constrainsScope(in("agent_id", "a", "b"))).isTrue();
        assertThat(Validation.constrainsScope(and(eq("food", "vegan"), and(eq("run_id", "r1"), exists("x"))))).isTrue();
        assertThat(Validation.constrainsScope(or(eq("user_id", "a"), and(eq("agent_id", "b"), eq("k", 1))))).isTrue();

        assertThat(Validation.constrainsScope(null)).isFalse();
        assertThat(Validation.constrainsScope(exists("user_id"))).as("user_id exists: every user").isFalse();
        assertThat(Validation.constrainsScope(not(eq("user_id", "x")))).as("NOT").isFalse();
        assertThat(Validation.constrainsScope(not(not(eq("user_id", "x"))))).as("anything under NOT").isFalse();
        assertThat(Validation.constrainsScope(not(exists("run_id")))).isFalse();
        assertThat(Validation.constrainsScope(ne("user_id", "x"))).as("NE").isFalse();
        assertThat(Validation.constrainsScope(nin("user_id", List.of("x")))).as("NIN").isFalse();
        assertThat(Validation.constrainsScope(contains("user_id", "a"))).as("CONTAINS").isFalse();
        assertThat(Validation.constrainsScope(gte("user_id", "a"))).as("GTE").isFalse();
        assertThat(Validation.constrainsScope(or(eq("user_id", "a"), eq("food", "vegan")))).as("one OR branch").isFalse();
        assertThat(Validation.constrainsScope(and(eq("food", "vegan"), or(eq("user_id", "a"), exists("memory")))))
                .isFalse();
        assertThat(Validation.constrainsScope(eq("actor_id", "alex"))).as("actor_id is not a scope").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"user_id\": \"*\"}", "{\"NOT\": [{\"user_id\": \"x\"}]}", "{\"user_id\": {\"ne\": \"x\"}}",
            "{\"run_id\": {\"nin\": [\"x\"]}}", "{\"OR\": [{\"user_id\": \"alex\"}, {\"food\": \"vegan\"}]}",
            "{\"NOT\": [{\"NOT\": [{\"agent_id\": \"bot\"}]}]}"})
    void json_filters_that_only_mention_a_scope_field_are_refused(String json) {
        Filter filter = FilterJsonParser.parse(json);

        assertThat(code(() -> Validation.requireScopeOrFilter(Scope.none(), filter, "getAll")))
                .isEqualTo(ErrorCode.MISSING_SCOPE);
    }

    @Test
    void the_positive_scopes_of_a_filter_are_its_eq_and_in_values_on_scope_fields_outside_not() {
        assertThat(Validation.positiveScopes(and(eq("user_id", "alex"), eq("food", "vegan"))))
                .containsExactly(Scope.user("alex"));
        assertThat(Validation.positiveScopes(or(in("user_id", "a", "b"), and(eq("agent_id", "bot"), eq("run_id", "r1")))))
                .containsExactly(Scope.user("a"), Scope.user("b"), Scope.agent("bot"), Scope.run("r1"));
        assertThat(Validation.positiveScopes(and(eq("user_id", "alex"), not(eq("user_id", "bob")), ne("run_id", "r"))))
                .containsExactly(Scope.user("alex"));
        assertThat(Validation.positiveScopes(and(eq("user_id", "al ex"), eq("user_id", 5), eq("user_id", "alex"))))
                .as("values that are not ids are left out").containsExactly(Scope.user("alex"));
        assertThat(Validation.positiveScopes(null)).isEmpty();
        assertThat(Validation.positiveScopes(exists("user_id"))).isEmpty();
    }

    @Test
    void messages_must_not_be_empty_or_all_blank() {
        assertThat(code(() -> Validation.requireMessages(List.of()))).isEqualTo(ErrorCode.INVALID_MESSAGES);
        assertThat(code(() -> Validation.requireMessages(List.of(Message.user(" "), Message.assistant("")))))
                .isEqualTo(ErrorCode.INVALID_MESSAGES);
        assertThat(Validation.requireMessages(List.of(Message.user(" "), Message.user("hi")))).hasSize(2);
    }

    @Test
    void categories_are_stripped_and_deduplicated() {
        assertThat(Validation.categories(List.of(" food ", "food", "travel"))).containsExactly("food", "travel");
        assertThat(code(() -> Validation.categories(java.util.Arrays.asList("a", null)))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }
}
