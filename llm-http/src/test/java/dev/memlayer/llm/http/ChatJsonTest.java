package dev.memlayer.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import org.junit.jupiter.api.Test;

class ChatJsonTest {

    @Test
    void a_json_object_is_parsed() {
        assertThat(ChatJson.object("{\"type\":\"object\",\"required\":[\"a\"]}", "s").path("required").get(0).asText())
                .isEqualTo("a");
    }

    @Test
    void text_that_is_not_a_json_object_is_an_invalid_argument_naming_it() {
        for (String bad : new String[]{"[1,2]", "\"text\"", "42", "", "   "}) {
            assertThatThrownBy(() -> ChatJson.object(bad, "the JSON schema 'facts'")).as("'%s'", bad)
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).startsWith("[INVALID_ARGUMENT] the JSON schema 'facts' must be a JSON object, got: ");
                    });
        }
        assertThatThrownBy(() -> ChatJson.object("{\"a\":", "the parameters of tool 't'"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("[INVALID_ARGUMENT] the parameters of tool 't' is not valid JSON: ");
                });
    }

    @Test
    void function_tools_carry_name_optional_description_and_parameters_defaulting_to_an_object() {
        ArrayNode tools = JsonHttpClient.MAPPER.createArrayNode();

        ChatJson.addFunctionTool(tools, "add", "adds a memory", "{\"type\":\"object\",\"properties\":{}}");
        ChatJson.addFunctionTool(tools, "noop", null, null);

        assertThat(tools.toString()).isEqualTo("[{\"type\":\"function\",\"function\":{\"name\":\"add\","
                + "\"description\":\"adds a memory\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}},"
                + "{\"type\":\"function\",\"function\":{\"name\":\"noop\",\"parameters\":{\"type\":\"object\"}}}]");
        assertThatThrownBy(() -> ChatJson.addFunctionTool(tools, "bad", null, "[]"))
                .hasMessageContaining("the parameters of tool 'bad'");
    }

    @Test
    void tool_call_arguments_pass_strings_through_and_write_objects_as_json() throws Exception {
        JsonNode call = JsonHttpClient.MAPPER.readTree(
                "{\"s\":\"{\\\"a\\\": 1, broken\",\"o\":{\"a\":1,\"b\":[true]},\"n\":null}");

        assertThat(ChatJson.argumentsText(call.get("s"))).isEqualTo("{\"a\": 1, broken");
        assertThat(ChatJson.argumentsText(call.get("o"))).isEqualTo("{\"a\":1,\"b\":[true]}");
        assertThat(ChatJson.argumentsText(call.get("n"))).isNull();
        assertThat(ChatJson.argumentsText(call.get("missing"))).isNull();
    }
}
