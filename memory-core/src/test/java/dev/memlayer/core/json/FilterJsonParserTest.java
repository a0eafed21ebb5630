package dev.memlayer.core.json;

import static dev.memlayer.api.filter.Filters.and;
import static dev.memlayer.api.filter.Filters.contains;
import static dev.memlayer.api.filter.Filters.eq;
import static dev.memlayer.api.filter.Filters.exists;
import static dev.memlayer.api.filter.Filters.gt;
import static dev.memlayer.api.filter.Filters.gte;
import static dev.memlayer.api.filter.Filters.icontains;
import static dev.memlayer.api.filter.Filters.in;
import static dev.memlayer.api.filter.Filters.lt;
import static dev.memlayer.api.filter.Filters.lte;
import static dev.memlayer.api.filter.Filters.ne;
import static dev.memlayer.api.filter.Filters.nin;
import static dev.memlayer.api.filter.Filters.not;
import static dev.memlayer.api.filter.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.Operator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterJsonParserTest {

    private static Filter parse(String json) {
        return FilterJsonParser.parse(json.replace('\'', '"'));
    }

    private static ValidationException error(String json) {
        try {
            parse(json);
        } catch (ValidationException e) {
            return e;
        }
        throw new AssertionError("expected a ValidationException for " + json);
    }

    @Test
    void spec_example_parses_to_the_expected_tree() {
        Filter f = parse("""
                {'AND': [ {'user_id': 'alex'},
                          {'agent_id': {'in': ['travel-assistant', 'customer-support']}},
                          {'created_at': {'gte': '2024-07-01', 'lte': '2024-07-31'}},
                          {'categories': {'contains': 'food_preferences'}},
                          {'OR': [{'food': 'vegan'}, {'NOT': [{'allergy': '*'}]}]} ]}
                """);
        assertThat(f).isEqualTo(and(
                eq("user_id", "alex"),
                in("agent_id", List.of("travel-assistant", "customer-support")),
                and(gte("created_at", "2024-07-01"), lte("created_at", "2024-07-31")),
                contains("categories", "food_preferences"),
                or(eq("metadata.food", "vegan"), not(exists("metadata.allergy")))));
    }

    @Test
    void bare_value_is_eq() {
        assertThat(parse("{'user_id': 'alex'}")).isEqualTo(eq("user_id", "alex"));
    }

    @ParameterizedTest
    @CsvSource({"eq,EQ", "ne,NE", "gt,GT", "gte,GTE", "lt,LT", "lte,LTE", "contains,CONTAINS", "icontains,ICONTAINS"})
    void every_scalar_operator_is_parsed(String wire, Operator op) {
        Filter f = parse("{'priority': {'" + wire + "': 'x'}}");
        assertThat(f).isEqualTo(new Filter.Comparison("metadata.priority", op, "x"));
    }

    @Test
    void in_and_nin_take_lists() {
        assertThat(parse("{'role': {'in': ['user', 'assistant']}}")).isEqualTo(in("role", "user", "assistant"));
        assertThat(parse("{'role': {'nin': ['system']}}")).isEqualTo(nin("role", "system"));
    }

    @Test
    void several_operators_on_one_key_are_anded() {
        assertThat(parse("{'score': {'gt': 1, 'lt': 5}}")).isEqualTo(and(gt("score", 1L), lt("score", 5L)));
    }

    @Test
    void several_keys_in_one_object_are_anded() {
        assertThat(parse("{'user_id': 'alex', 'run_id': 'r1'}")).isEqualTo(and(eq("user_id", "alex"), eq("run_id", "r1")));
    }

    @Test
    void star_means_exists() {
        assertThat(parse("{'allergy': '*'}")).isEqualTo(exists("metadata.allergy"));
    }

    @Test
    void not_with_several_items_means_none_of_them() {
        assertThat(parse("{'NOT': [{'a': 1}, {'b': 2}]}")).isEqualTo(not(or(eq("a", 1L), eq("b", 2L))));
    }

    @Test
    void not_with_one_object_is_accepted() {
        assertThat(parse("{'NOT': {'a': 1}}")).isEqualTo(not(eq("a", 1L)));
    }

    @Test
    void keywords_is_memory_icontains() {
        assertThat(parse("{'keywords': 'Pizza'}")).isEqualTo(icontains("memory", "Pizza"));
        assertThat(parse("{'keywords': {'contains': 'Pizza'}}")).isEqualTo(contains("memory", "Pizza"));
    }

    @Test
    void metadata_prefix_dotted_paths_and_metadata_object_reach_metadata() {
        assertThat(parse("{'metadata.food': 'vegan'}")).isEqualTo(eq("metadata.food", "vegan"));
        assertThat(parse("{'trip.city': 'Paris'}")).isEqualTo(eq("metadata.trip.city", "Paris"));
        assertThat(parse("{'metadata': {'food': 'vegan', 'trip.city': 'Paris'}}"))
                .isEqualTo(and(eq("metadata.food", "vegan"), eq("metadata.trip.city", "Paris")));
    }

    @Test
    void integers_become_longs_and_decimals_doubles() {
        Filter.Comparison i = (Filter.Comparison) parse("{'n': 3}");
        Filter.Comparison d = (Filter.Comparison) parse("{'n': 2.5}");
        Filter.Comparison b = (Filter.Comparison) parse("{'flag': true}");
        assertThat(i.value()).isEqualTo(3L);
        assertThat(d.value()).isEqualTo(2.5d);
        assertThat(b.value()).isEqualTo(true);
    }

    @Test
    void a_map_is_parsed_like_json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", "alex");
        m.put("n", Map.of("gte", 2));
        assertThat(FilterJsonParser.parse(m)).isEqualTo(and(eq("user_id", "alex"), gte("n", 2L)));
    }

    @Test
    void unknown_operator_is_rejected_naming_it_and_its_path() {
        ValidationException e = error("{'AND': [{'user_id': 'alex'}, {'score': {'between': [1, 2]}}]}");
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OPERATOR);
        assertThat(e.getMessage()).contains("between").contains("filters.AND[1].score.between");
    }

    @Test
    void in_without_a_list_is_invalid() {
        ValidationException e = error("{'agent_id': {'in': 'travel'}}");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(e.getMessage()).contains("agent_id").contains("in").contains("list");
    }

    @Test
    void nin_without_a_list_is_invalid() {
        assertThat(error("{'agent_id': {'nin': 3}}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
    }

    @Test
    void empty_and_is_invalid() {
        ValidationException e = error("{'AND': []}");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(e.getMessage()).contains("AND");
    }

    @Test
    void empty_or_and_empty_not_are_invalid() {
        assertThat(error("{'OR': []}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(error("{'NOT': []}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
    }

    @Test
    void and_that_is_not_a_list_is_invalid() {
        assertThat(error("{'AND': {'user_id': 'alex'}}").getMessage()).contains("filters.AND");
    }

    @Test
    void empty_object_is_invalid() {
        assertThat(error("{}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(error("{'AND': [{}]}").getMessage()).contains("filters.AND[0]");
    }

    @Test
    void empty_operator_object_is_invalid() {
        assertThat(error("{'score': {}}").getMessage()).contains("score");
    }

    @Test
    void null_value_is_invalid() {
        ValidationException e = error("{'user_id': null}");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(e.getMessage()).contains("user_id").contains("null");
        assertThat(error("{'n': {'gt': null}}").getMessage()).contains("n.gt");
    }

    @Test
    void list_value_without_operator_is_invalid() {
        ValidationException e = error("{'agent_id': ['a', 'b']}");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(e.getMessage()).contains("agent_id").contains("in");
    }

    @Test
    void a_bare_string_on_categories_means_contains() {
        assertThat(parse("{'categories': 'food_preferences'}")).isEqualTo(contains("categories", "food_preferences"));
        assertThat(parse("{'AND': [{'user_id': 'alex'}, {'categories': 'health'}]}"))
                .isEqualTo(and(eq("user_id", "alex"), contains("categories", "health")));
    }

    @Test
    void a_bare_list_on_categories_means_in_so_any_overlap_matches() {
        assertThat(parse("{'categories': ['food', 'travel']}")).isEqualTo(in("categories", List.of("food", "travel")));
        assertThat(parse("{'categories': ['food']}")).isEqualTo(in("categories", List.of("food")));
    }

    @Test
    void categories_operators_and_star_keep_their_meaning_and_an_empty_list_is_invalid() {
        assertThat(parse("{'categories': {'eq': 'food'}}")).isEqualTo(eq("categories", "food"));
        assertThat(parse("{'categories': {'nin': ['food']}}")).isEqualTo(nin("categories", List.of("food")));
        assertThat(parse("{'categories': '*'}")).isEqualTo(exists("categories"));
        ValidationException e = error("{'categories': []}");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(e.getMessage()).contains("categories");
        assertThat(error("{'categories': [{'a': 1}]}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(parse("{'metadata.categories': 'x'}")).as("a metadata key of that name is plain EQ")
                .isEqualTo(eq("metadata.categories", "x"));
    }

    @Test
    void list_value_for_a_scalar_operator_is_invalid() {
        assertThat(error("{'n': {'eq': [1]}}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
    }

    @Test
    void object_value_inside_in_is_invalid() {
        assertThat(error("{'n': {'in': [{'a': 1}]}}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
    }

    @Test
    void bad_date_on_created_at_is_invalid_and_names_the_field() {
        ValidationException e = error("{'created_at': {'gte': 'last tuesday'}}");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(e.getMessage()).contains("created_at");
    }

    @Test
    void root_that_is_not_an_object_is_invalid() {
        assertThat(error("[{'user_id': 'alex'}]").code()).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(error("'alex'").code()).isEqualTo(ErrorCode.INVALID_FILTER);
    }

    @Test
    void malformed_json_is_invalid() {
        assertThatThrownBy(() -> FilterJsonParser.parse("{\"user_id\": "))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER));
    }

    @Test
    void duplicate_keys_are_rejected_rather_than_silently_dropped() {
        assertThat(error("{'user_id': 'a', 'user_id': 'b'}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
    }

    @Test
    void icontains_needs_a_string() {
        assertThat(error("{'memory': {'icontains': 3}}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
    }

    @Test
    void ordering_on_a_boolean_is_invalid() {
        assertThat(error("{'flag': {'gt': true}}").code()).isEqualTo(ErrorCode.INVALID_FILTER);
    }

    @Test
    void ne_keeps_its_value_type() {
        assertThat(parse("{'n': {'ne': 1.5}}")).isEqualTo(ne("n", 1.5d));
    }

    @Test
    void nested_metadata_object_hints_at_dotted_keys() {
        ValidationException e = error("{'trip': {'city': 'Paris'}}");
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_OPERATOR);
        assertThat(e.getMessage()).contains("trip.city");
    }
}
