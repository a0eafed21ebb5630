package dev.memlayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IdsAndScopeTest {

    @Test
    void ids_are_trimmed() {
        assertThat(Scope.user("  alex ").userId()).isEqualTo("alex");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "al ex", "al\tex", "al\u0000ex", "a\u200bb", "x\ny", "a\u00a0b"})
    void blank_ids_and_ids_with_whitespace_or_control_characters_are_rejected(String id) {
        assertThatThrownBy(() -> Scope.user(id))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ID));
    }

    @Test
    void null_scope_id_is_allowed_but_scope_reports_empty() {
        assertThat(new Scope(null, null, null).isEmpty()).isTrue();
        assertThat(Scope.user("alex").withRun("trip").asMap()).containsExactly(
                java.util.Map.entry("user_id", "alex"), java.util.Map.entry("run_id", "trip"));
    }

    @Test
    void unknown_role_is_a_validation_error() {
        assertThatThrownBy(() -> Role.fromWireName("tool"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGES));
    }

    @Test
    void search_request_rejects_out_of_range_limit_and_threshold() {
        assertThatThrownBy(() -> SearchRequest.builder("q").limit(0).build()).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> SearchRequest.builder("q").threshold(1.5).build()).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> SearchRequest.builder(" ").build()).isInstanceOf(ValidationException.class);
    }

    @Test
    void get_all_request_rejects_page_size_above_1000() {
        assertThatThrownBy(() -> GetAllRequest.of(Scope.user("a"), null, 1, 1001))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAGE));
    }
}
