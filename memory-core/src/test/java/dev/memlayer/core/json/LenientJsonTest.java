package dev.memlayer.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.LlmException;
import org.junit.jupiter.api.Test;

class LenientJsonTest {

    @Test
    void plain_json_object_is_parsed() {
        ObjectNode n = LenientJson.parseObject("{\"facts\": [\"Likes tea\"]}");
        assertThat(n.get("facts").get(0).asText()).isEqualTo("Likes tea");
    }

    @Test
    void json_fence_with_language_tag_is_stripped() {
        ObjectNode n = LenientJson.parseObject("```json\n{\"facts\": [\"Likes tea\"]}\n```");
        assertThat(n.get("facts")).hasSize(1);
    }

    @Test
    void fence_without_language_tag_is_stripped() {
        ObjectNode n = LenientJson.parseObject("```\n{\"summary\": \"done\"}\n```");
        assertThat(n.get("summary").asText()).isEqualTo("done");
    }

    @Test
    void fence_surrounded_by_prose_is_found() {
        String answer = "Sure! Here are the facts:\n```JSON\n{\"facts\": []}\n```\nLet me know if you need more.";
        assertThat(LenientJson.parseObject(answer).get("facts").isArray()).isTrue();
    }

    @Test
    void think_blocks_are_removed() {
        String answer = "<think>The user said {maybe} they like tea, so {\"facts\": [\"wrong\"]}</think>\n{\"facts\": [\"Likes tea\"]}";
        assertThat(LenientJson.parseObject(answer).get("facts").get(0).asText()).isEqualTo("Likes tea");
    }

    @Test
    void text_before_a_lone_closing_think_tag_is_dropped() {
        String answer = "reasoning without an opening tag {\"facts\": [\"wrong\"]}</think>{\"facts\": [\"right\"]}";
        assertThat(LenientJson.parseObject(answer).get("facts").get(0).asText()).isEqualTo("right");
    }

    @Test
    void leading_and_trailing_prose_falls_back_to_the_outermost_object() {
        String answer = "Here is my answer: {\"memory\": [{\"id\": \"0\", \"event\": \"NONE\", \"text\": \"a {b} c\"}]} Hope it helps!";
        JsonNode n = LenientJson.parseObject(answer);
        assertThat(n.get("memory").get(0).get("text").asText()).isEqualTo("a {b} c");
    }

    @Test
    void two_objects_with_prose_yield_the_first_balanced_one() {
        String answer = "First {\"facts\": [\"a\"]} and then {\"other\": 1}";
        assertThat(LenientJson.parseObject(answer).has("facts")).isTrue();
    }

    @Test
    void trailing_commas_and_single_quotes_are_tolerated() {
        ObjectNode n = LenientJson.parseObject("{'facts': ['a', 'b',],}");
        assertThat(n.get("facts")).hasSize(2);
    }

    @Test
    void a_whole_json_array_is_accepted_by_parse() {
        assertThat(LenientJson.parse("[\"a\", \"b\"]").isArray()).isTrue();
    }

    @Test
    void garbage_is_an_llm_exception_quoting_a_snippet() {
        assertThatThrownBy(() -> LenientJson.parseObject("I am sorry, I cannot help with that."))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("I am sorry, I cannot help");
    }

    @Test
    void long_garbage_is_truncated_in_the_message() {
        String garbage = "x".repeat(5000);
        assertThatThrownBy(() -> LenientJson.parseObject(garbage))
                .isInstanceOf(LlmException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
    }

    @Test
    void empty_and_null_answers_are_llm_exceptions() {
        assertThatThrownBy(() -> LenientJson.parseObject("")).isInstanceOf(LlmException.class);
        assertThatThrownBy(() -> LenientJson.parseObject(null)).isInstanceOf(LlmException.class);
        assertThatThrownBy(() -> LenientJson.parseObject("   \n")).isInstanceOf(LlmException.class);
    }

    @Test
    void unbalanced_json_is_an_llm_exception() {
        assertThatThrownBy(() -> LenientJson.parseObject("{\"facts\": [\"a\", "))
                .isInstanceOf(LlmException.class);
    }

    @Test
    void a_json_array_is_not_an_object() {
        assertThatThrownBy(() -> LenientJson.parseObject("[1, 2]"))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("not an object");
    }
}
