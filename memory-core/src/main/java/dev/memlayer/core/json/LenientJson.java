package dev.memlayer.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memlayer.api.LlmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one tolerant parser of language-model JSON answers (SPEC §2, step 2). Models wrap JSON in
 * prose, Markdown code fences or reasoning blocks; this parser recovers the JSON object from:
 *
 * <ul>
 *   <li>{@code <think>...</think>} blocks (removed; text before a lone {@code </think>} is dropped
 *       too),</li>
 *   <li>Markdown fences {@code ```json ... ```} or {@code ``` ... ```} (with or without a language
 *       tag),</li>
 *   <li>prose before and after the JSON (falls back to the outermost {@code {...}}, then to the
 *       first balanced {@code {...}} that parses).</li>
 * </ul>
 *
 * It also accepts trailing commas, comments, single quotes and raw control characters inside
 * strings. An answer that still does not yield a JSON object is an {@link LlmException} whose
 * message holds a truncated snippet of the answer — never an empty result.
 */
public final class LenientJson {

    /** How many characters of a bad answer an error message quotes. */
    public static final int SNIPPET_LENGTH = 200;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Pattern THINK = Pattern.compile("(?is)<think(?:ing)?>.*?</think(?:ing)?>");
    private static final Pattern THINK_END = Pattern.compile("(?i)</think(?:ing)?>");
    private static final Pattern FENCE = Pattern.compile("(?s)```[ \\t]*[A-Za-z0-9_+.-]*[ \\t]*\\r?\\n?(.*?)```");

    private LenientJson() {
    }

    /**
     * Recovers the JSON object in a model's answer.
     *
     * @param answer the model's raw answer
     * @return the object
     * @throws LlmException when the answer is null, blank, or holds no parseable JSON object
     */
    public static ObjectNode parseObject(String answer) {
        JsonNode node = parse(answer);
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new LlmException("The language model answered JSON that is not an object: " + snippet(answer));
    }

    /**
     * Recovers the JSON value in a model's answer: a JSON object wherever it is, or else a JSON array
     * when the whole (cleaned) answer is one.
     *
     * @param answer the model's raw answer
     * @return an object or array node
     * @throws LlmException when the answer is null, blank, or holds no parseable JSON object or array
     */
    public static JsonNode parse(String answer) {
        if (answer == null || answer.isBlank()) {
            throw new LlmException("The language model gave an empty answer where JSON was expected");
        }
        String text = stripReasoning(answer).strip();

        JsonNode whole = tryParse(text);
        if (whole != null && (whole.isObject() || whole.isArray())) {
            return whole;
        }
        Matcher fence = FENCE.matcher(text);
        while (fence.find()) {
            JsonNode fenced = tryParse(fence.group(1).strip());
            if (fenced != null && (fenced.isObject() || fenced.isArray())) {
                return fenced;
            }
        }
        JsonNode object = outermostObject(text);
        if (object != null) {
            return object;
        }
        throw new LlmException("The language model's answer holds no parseable JSON object: " + snippet(answer));
    }

    /**
     * @return the text with {@code <think>} blocks removed, and anything before a lone closing tag
     */
    static String stripReasoning(String text) {
        String out = THINK.matcher(text).replaceAll("");
        Matcher end = THINK_END.matcher(out);
        int last = -1;
        while (end.find()) {
            last = end.end();
        }
        return last >= 0 ? out.substring(last) : out;
    }

    private static JsonNode outermostObject(String text) {
        int first = text.indexOf('{');
        int last = text.lastIndexOf('}');
        if (first < 0 || last <= first) {
            return null;
        }
        JsonNode node = tryParse(text.substring(first, last + 1));
        if (node != null && node.isObject()) {
            return node;
        }
        for (int start = first; start >= 0 && start < text.length(); start = text.indexOf('{', start + 1)) {
            int end = balancedEnd(text, start);
            if (end > start) {
                JsonNode candidate = tryParse(text.substring(start, end + 1));
                if (candidate != null && candidate.isObject()) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /** @return the index of the brace closing the one at {@code start}, or -1 */
    private static int balancedEnd(String text, int start) {
        int depth = 0;
        boolean inString = false;
        char quote = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static JsonNode tryParse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * @param answer a model's answer
     * @return the first {@value #SNIPPET_LENGTH} characters, quoted, for an error message
     */
    public static String snippet(String answer) {
        if (answer == null) {
            return "<null>";
        }
        String oneLine = answer.replaceAll("\\s+", " ").strip();
        return "\"" + (oneLine.length() > SNIPPET_LENGTH ? oneLine.substring(0, SNIPPET_LENGTH) + "…" : oneLine) + "\"";
    }
}
