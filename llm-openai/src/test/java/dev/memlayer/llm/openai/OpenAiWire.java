package dev.memlayer.llm.openai;

import static dev.memlayer.llm.http.fixtures.WireJson.parse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Bodies in OpenAI's documented wire format (API reference: chat completion object, embeddings, errors). */
final class OpenAiWire {

    static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiWire() {
    }

    /** A chat completion as the API reference shows it, with the given assistant content. */
    static String completion(String content) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
        body.put("object", "chat.completion");
        body.put("created", 1741569952);
        body.put("model", "gpt-4.1-2025-04-14");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", 19);
        usage.put("completion_tokens", 10);
        usage.put("total_tokens", 29);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        body.put("service_tier", "default");
        body.put("system_fingerprint", "fp_3b6f2a5c3f");
        return body.toString();
    }

    /** A completion whose message calls one tool; {@code arguments} is the raw JSON string the model produced. */
    static String toolCallCompletion(String name, String arguments) {
        ObjectNode body = (ObjectNode) parse(completion("x"));
        ObjectNode choice = (ObjectNode) body.get("choices").get(0);
        ObjectNode message = (ObjectNode) choice.get("message");
        message.putNull("content");
        ArrayNode calls = message.putArray("tool_calls");
        ObjectNode call = calls.addObject();
        call.put("id", "call_abc123");
        call.put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        choice.put("finish_reason", "tool_calls");
        return body.toString();
    }

    /** OpenAI's error body. */
    static String error(String message, String type, String code) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return body.toString();
    }

    /** An embeddings list; vectors are given in index order, emitted in the order of {@code emitOrder}. */
    static String embeddings(float[][] vectors, int... emitOrder) {
        ObjectNode body = JSON.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        int[] order = emitOrder.length == 0 ? range(vectors.length) : emitOrder;
        for (int index : order) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            ArrayNode e = item.putArray("embedding");
            for (float x : vectors[index]) {
                e.add(x);
            }
            item.put("index", index);
        }
        body.put("model", "text-embedding-3-small");
        body.putObject("usage").put("prompt_tokens", 8).put("total_tokens", 8);
        return body.toString();
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
