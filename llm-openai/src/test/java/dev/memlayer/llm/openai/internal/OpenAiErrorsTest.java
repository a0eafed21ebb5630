package dev.memlayer.llm.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenAiErrorsTest {

    private static final OpenAiErrors.Context CONTEXT =
            new OpenAiErrors.Context("gpt-4.1-mini", "OpenAiConfig.chatModel", "https://api.openai.com/v1", true);

    @Test
    void openai_error_bodies_of_every_known_shape_are_read() {
        assertThat(OpenAiErrors.parse("{\"error\": {\"message\": \"m\", \"type\": \"t\", \"param\": null, \"code\": \"c\"}}"))
                .isEqualTo(new OpenAiErrors.ErrorBody("m", "t", "c"));
        assertThat(OpenAiErrors.parse("{\"object\": \"error\", \"message\": \"m\", \"type\": \"NotFoundError\", \"code\": 404}"))
                .isEqualTo(new OpenAiErrors.ErrorBody("m", "NotFoundError", "404"));
        assertThat(OpenAiErrors.parse("{\"error\": \"model not loaded\"}"))
                .isEqualTo(new OpenAiErrors.ErrorBody("model not loaded", null, null));
        assertThat(OpenAiErrors.parse("Bad Gateway")).isEqualTo(new OpenAiErrors.ErrorBody(null, null, null));
    }

    @Test
    void rate_limits_and_server_errors_are_retryable_but_an_exhausted_quota_is_not() {
        assertThat(OpenAiErrors.decode(429, "{\"error\": {\"message\": \"slow down\", \"code\": \"rate_limit_exceeded\"}}", CONTEXT)
                .retryable()).isTrue();
        assertThat(OpenAiErrors.decode(500, "{\"error\": {\"message\": \"boom\"}}", CONTEXT).retryable()).isTrue();
        assertThat(OpenAiErrors.decode(502, "<html>Bad Gateway</html>", CONTEXT).retryable()).isTrue();
        assertThat(OpenAiErrors.decode(429, "{\"error\": {\"message\": \"quota\", \"code\": \"insufficient_quota\"}}", CONTEXT)
                .retryable()).isFalse();
        assertThat(OpenAiErrors.decode(400, "{\"error\": {\"message\": \"bad\"}}", CONTEXT).retryable()).isFalse();
        assertThat(OpenAiErrors.decode(401, "", CONTEXT).message()).contains("OPENAI_API_KEY");
    }
}
