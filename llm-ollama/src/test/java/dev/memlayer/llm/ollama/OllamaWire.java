package dev.memlayer.llm.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.llm.http.fixtures.WireJson;
import mockwebserver3.MockResponse;

/** Bodies in Ollama's documented wire format (docs/api.md: /api/chat, /api/embed, errors). */
final class OllamaWire {

    static final ObjectMapper JSON = new ObjectMapper();

    private OllamaWire() {
    }

    /** A non-streaming /api/chat answer, as docs/api.md shows it. */
    static ObjectNode chatNode(String model, String content) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("created_at", "2023-12-12T14:13:43.416799Z");
        ObjectNode message = body.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        body.put("done_reason", "stop");
        body.put("done", true);
        body.put("total_duration", 5191566416L);
        body.put("load_duration", 2154458);
        body.put("prompt_eval_count", 26);
        body.put("prompt_eval_duration", 383809000);
        body.put("eval_count", 298);
        body.put("eval_duration", 4799921000L);
        return body;
    }

    static String chat(String content) {
        return chatNode("llama3.1", content).toString();
    }

    /** A tool-calling answer; arguments is a JSON object in Ollama's format. */
    static String toolCall(String name, JsonNode arguments) {
        ObjectNode body = chatNode("llama3.2", "");
        ArrayNode calls = ((ObjectNode) body.get("message")).putArray("tool_calls");
        calls.addObject().putObject("function").put("name", name).set("arguments", arguments);
        return body.toString();
    }

    static String embed(float[][] vectors) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "all-minilm");
        ArrayNode embeddings = body.putArray("embeddings");
        for (float[] v : vectors) {
            ArrayNode e = embeddings.addArray();
            for (float x : v) {
                e.add(x);
            }
        }
        body.put("total_duration", 14143917);
        body.put("load_duration", 1019500);
        body.put("prompt_eval_count", 8);
        return body.toString();
    }

    static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    /** Ollama's server labels its JSON with a charset. */
    static MockResponse ok(String body) {
        return status(200, body);
    }

    static MockResponse status(int code, String body) {
        return WireJson.json(code, "application/json; charset=utf-8", body);
    }
}
