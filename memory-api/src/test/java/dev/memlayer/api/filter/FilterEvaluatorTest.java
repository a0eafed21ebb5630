package dev.memlayer.api.filter;

import static dev.memlayer.api.filter.Filters.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.spi.MemoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterEvaluatorTest {

    private final MemoryRecord record = MemoryRecord.builder()
            .id("m1").memory("Loves Sushi").hash("h").userId("alex")
            .metadata(Map.of("n", 1, "s", "1", "tags", List.of("a", "B"), "trip", Map.of("city", "Kyoto"), "flag", true))
            .categories(List.of("food_preferences"))
            .createdAt(Instant.parse("2024-07-20T10:00:00Z")).updatedAt(Instant.parse("2024-07-20T10:00:00Z"))
            .build();

    private boolean m(Filter f) {
        return FilterEvaluator.matches(f, record);
    }

    @Test
    void numbers_compare_numerically_and_never_equal_strings() {
        assertThat(m(eq("n", 1.0))).isTrue();
        assertThat(m(eq("n", "1"))).isFalse();
        assertThat(m(eq("s", 1))).isFalse();
        assertThat(m(gt("n", 0.5))).isTrue();
        assertThat(m(gt("s", 0))).isFalse();
    }

    @Test
    void ne_and_nin_match_missing_fields() {
        assertThat(m(ne("missing", "x"))).isTrue();
        assertThat(m(nin("missing", "x"))).isTrue();
        assertThat(m(gt("missing", 1))).isFalse();
        assertThat(m(ne("agent_id", "bot"))).isTrue();
    }

    @Test
    void in_on_lists_means_overlap_and_contains_means_membership_or_substring() {
        assertThat(m(in("tags", "x", "a"))).isTrue();
        assertThat(m(in("categories", "food_preferences"))).isTrue();
        assertThat(m(contains("tags", "B"))).isTrue();
        assertThat(m(contains("tags", "b"))).isFalse();
        assertThat(m(icontains("tags", "b"))).isTrue();
        assertThat(m(contains("memory", "Sushi"))).isTrue();
        assertThat(m(keywords("sushi"))).isTrue();
        assertThat(m(eq("tags", "a"))).isFalse();
    }

    @Test
    void dates_compare_as_instants_from_dates_datetimes_and_epoch_seconds() {
        assertThat(m(gte("created_at", "2024-07-20"))).isTrue();
        assertThat(m(lt("created_at", "2024-07-20T10:00:01Z"))).isTrue();
        assertThat(m(eq("created_at", Instant.parse("2024-07-20T10:00:00Z").getEpochSecond()))).isTrue();
        assertThat(m(gt("created_at", "2024-07-21"))).isFalse();
    }

    @Test
    void dotted_paths_reach_nested_metadata_and_exists_checks_presence() {
        assertThat(m(eq("metadata.trip.city", "Kyoto"))).isTrue();
        assertThat(m(eq("trip.city", "Kyoto"))).isTrue();
        assertThat(m(exists("trip"))).isTrue();
        assertThat(m(exists("trip.country"))).isFalse();
        assertThat(m(none(eq("flag", true)))).isFalse();
        assertThat(m(or(eq("flag", false), eq("user_id", "alex")))).isTrue();
    }

    @Test
    void strings_order_by_code_point() {
        assertThat(FilterEvaluator.compareCodePoints("\uffff", "\ud83d\ude00")).isNegative();
        assertThat("\uffff".compareTo("\ud83d\ude00")).isPositive();
    }

    @Test
    void malformed_filters_are_validation_errors() {
        assertThatThrownBy(() -> new Filter.Comparison("tags", Operator.IN, "a"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER));
        assertThatThrownBy(() -> and(List.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER));
        assertThatThrownBy(() -> Operator.fromWireName("regex"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OPERATOR));
        assertThatThrownBy(() -> gte("created_at", "last tuesday")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> gt("flag", true)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> eq("x", null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void equality_constraints_follow_top_level_ands_only() {
        Filter f = and(eq("user_id", "alex"), or(eq("agent_id", "a"), eq("agent_id", "b")), and(eq("run_id", "r")));
        assertThat(Filters.equalityConstraints(f)).containsOnlyKeys("user_id", "run_id");
    }
}
