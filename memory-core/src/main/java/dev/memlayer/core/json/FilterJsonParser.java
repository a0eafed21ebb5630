package dev.memlayer.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Filters;
import dev.memlayer.api.filter.Operator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses Mem0's v2 JSON filters into the {@link Filter} AST, exactly as SPEC §4 says:
 *
 * <pre>{@code
 * {"AND": [ {"user_id": "alex"},
 *           {"agent_id": {"in": ["travel-assistant", "customer-support"]}},
 *           {"created_at": {"gte": "2024-07-01", "lte": "2024-07-31"}},
 *           {"categories": {"contains": "food_preferences"}},
 *           {"OR": [{"food": "vegan"}, {"NOT": [{"allergy": "*"}]}]} ]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code {"k": v}} is EQ; {@code {"k": {"op": v, ...}}} applies every operator given, ANDed;
 *       {@code {"k": "*"}} means "k exists and is not null". Several keys in one object are
 *       ANDed.</li>
 *   <li>{@code AND} and {@code OR} take non-empty lists of filter objects; {@code NOT} takes a
 *       non-empty list (or one object) and means "none of them".</li>
 *   <li>Keys: the reserved fields of {@link FilterFields}, {@code keywords} (a string: the memory
 *       text contains it, ignoring case; or an operator object applied to {@code memory}),
 *       {@code categories} (a list field: a bare value such as {@code {"categories": "food"}} means
 *       CONTAINS, "has this category"; a bare list such as {@code {"categories": ["food",
 *       "travel"]}} means IN, "has at least one of them", as on Mem0's platform; operator objects
 *       apply as given), and
 *       anything else is a metadata key ({@code metadata.k} and dotted paths such as
 *       {@code trip.city} reach nested metadata; {@code {"metadata": {"k": v}}} is the same as
 *       {@code {"k": v}}).</li>
 *   <li>Operators: {@code eq, ne, gt, gte, lt, lte, in, nin, contains, icontains}.</li>
 *   <li>Values: strings, booleans, integers (as {@link Long}; beyond the long range as
 *       {@link java.math.BigDecimal}), decimals (as {@link Double}), and lists of those for
 *       {@code in}/{@code nin}.</li>
 * </ul>
 *
 * Errors are {@link ValidationException}s naming the offending part by its path (e.g.
 * {@code filters.AND[1].agent_id.in}): {@link ErrorCode#UNKNOWN_OPERATOR} for an unknown operator;
 * {@link ErrorCode#INVALID_FILTER} for malformed JSON, {@code in}/{@code nin} without a list, an empty
 * AND/OR/NOT, an empty object, a null value, a list value without an operator (except on
 * {@code categories}), an empty category list, or a bad date. A
 * filter is never silently ignored. Thread-safe and stateless.
 */
public final class FilterJsonParser {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final String ROOT = "filters";

    private FilterJsonParser() {
    }

    /**
     * @param json a JSON object in Mem0's v2 filter syntax
     * @return the filter, never null
     * @throws ValidationException ({@link ErrorCode#INVALID_FILTER}, {@link ErrorCode#UNKNOWN_OPERATOR})
     *                             for malformed JSON or filters
     */
    public static Filter parse(String json) {
        if (json == null || json.isBlank()) {
            throw new ValidationException(ErrorCode.INVALID_FILTER, "filters must be a JSON object, got nothing");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ValidationException(ErrorCode.INVALID_FILTER,
                    "filters are not valid JSON: " + e.getOriginalMessage(), e);
        }
        return parse(node);
    }

    /**
     * @param node a parsed JSON object in Mem0's v2 filter syntax
     * @return the filter, never null
     * @throws ValidationException as {@link #parse(String)}
     */
    public static Filter parse(JsonNode node) {
        return object(node, ROOT);
    }

    /**
     * @param filters a JSON-like map (String, Number, Boolean, null, List, Map values), e.g. a
     *                deserialised request body
     * @return the filter, never null
     * @throws ValidationException as {@link #parse(String)}
     */
    public static Filter parse(Map<String, ?> filters) {
        if (filters == null) {
            throw new ValidationException(ErrorCode.INVALID_FILTER, "filters must be a JSON object, got null");
        }
        JsonNode node;
        try {
            node = MAPPER.valueToTree(filters);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(ErrorCode.INVALID_FILTER,
                    "filters hold a value that is not JSON-like: " + e.getMessage(), e);
        }
        return parse(node);
    }

    private static Filter object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path, "must be a JSON object such as {\"user_id\": \"alex\"}, got " + kind(node));
        }
        if (node.isEmpty()) {
            throw invalid(path, "is an empty object; give at least one condition such as {\"user_id\": \"alex\"}");
        }
        List<Filter> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = e.getKey();
            JsonNode value = e.getValue();
            String keyPath = path + "." + key;
            switch (key) {
                case "AND" -> parts.add(new Filter.And(list(value, keyPath, "AND")));
                case "OR" -> parts.add(new Filter.Or(list(value, keyPath, "OR")));
                case "NOT" -> {
                    List<Filter> negated = value != null && value.isObject()
                            ? List.of(object(value, keyPath))
                            : list(value, keyPath, "NOT");
                    parts.add(negated.size() == 1 ? Filters.not(negated.get(0)) : Filters.not(Filters.or(negated)));
                }
                case "keywords" -> parts.add(keywords(value, keyPath));
                case "metadata" -> {
                    if (value != null && value.isObject() && !value.isEmpty()) {
                        for (Map.Entry<String, JsonNode> me : value.properties()) {
                            parts.add(field(FilterFields.METADATA_PREFIX + me.getKey(), me.getValue(),
                                    keyPath + "." + me.getKey()));
                        }
                    } else {
                        parts.add(field(key, value, keyPath));
                    }
                }
                default -> parts.add(field(key, value, keyPath));
            }
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    private static List<Filter> list(JsonNode value, String path, String keyword) {
        if (value == null || !value.isArray()) {
            throw invalid(path, keyword + " needs a list of filter objects, e.g. {\"" + keyword
                    + "\": [{\"user_id\": \"alex\"}]}; got " + kind(value));
        }
        if (value.isEmpty()) {
            throw invalid(path, keyword + " needs a non-empty list of filter objects");
        }
        List<Filter> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            out.add(object(value.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static Filter keywords(JsonNode value, String path) {
        if (value != null && value.isTextual()) {
            if (value.asText().isEmpty()) {
                throw invalid(path, "keywords needs a non-empty string");
            }
            return wrap(path, () -> Filters.keywords(value.asText()));
        }
        if (value != null && value.isObject()) {
            return field(FilterFields.MEMORY, value, path);
        }
        throw invalid(path, "keywords needs a string, e.g. {\"keywords\": \"pizza\"}; got " + kind(value));
    }

    private static Filter field(String key, JsonNode value, String path) {
        String field = wrap(path, () -> FilterFields.canonical(key));
        if (value == null || value.isNull()) {
            throw invalid(path, "has a null value; to match a missing field use {\"NOT\": [{\"" + key + "\": \"*\"}]}");
        }
        if (value.isTextual() && "*".equals(value.asText())) {
            return Filters.exists(field);
        }
        if (FilterFields.CATEGORIES.equals(field) && !value.isObject()) {
            return categories(value, path);
        }
        if (value.isArray()) {
            throw invalid(path, "a list value needs an operator, e.g. {\"" + key + "\": {\"in\": [...]}}");
        }
        if (!value.isObject()) {
            Object scalar = scalar(value, path);
            return wrap(path, () -> Filters.eq(field, scalar));
        }
        if (value.isEmpty()) {
            throw invalid(path, "is an empty operator object; give an operator such as {\"" + key + "\": {\"eq\": ...}}");
        }
        List<Filter> parts = new ArrayList<>(value.size());
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            String opPath = path + "." + e.getKey();
            Operator op = operator(e.getKey(), opPath, key);
            Object operand = operand(op, e.getValue(), opPath);
            parts.add(wrap(opPath, () -> new Filter.Comparison(field, op, operand)));
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(parts);
    }

    /**
     * The {@code categories} shortcut (Mem0 platform: categories is a list, a bare value matches any
     * of it): a bare scalar is CONTAINS (the memory has that category), a bare list is IN (the memory
     * has at least one of them).
     */
    private static Filter categories(JsonNode value, String path) {
        if (value.isArray()) {
            if (value.isEmpty()) {
                throw invalid(path, "needs at least one category, e.g. {\"categories\": [\"food\", \"travel\"]}");
            }
            Object list = operand(Operator.IN, value, path);
            return wrap(path, () -> new Filter.Comparison(FilterFields.CATEGORIES, Operator.IN, list));
        }
        Object scalar = scalar(value, path);
        return wrap(path, () -> Filters.contains(FilterFields.CATEGORIES, scalar));
    }

    private static Operator operator(String name, String path, String key) {
        try {
            return Operator.fromWireName(name);
        } catch (ValidationException e) {
            String hint = key.contains(".") || FilterFields.RESERVED.contains(key) ? ""
                    : " (for nested metadata use a dotted key such as \"" + key + "." + name + "\")";
            throw new ValidationException(ErrorCode.UNKNOWN_OPERATOR, path + ": unknown operator '" + name
                    + "'; use one of eq, ne, gt, gte, lt, lte, in, nin, contains, icontains" + hint, e);
        }
    }

    private static Object operand(Operator op, JsonNode value, String path) {
        if (value == null || value.isNull()) {
            throw invalid(path, "has a null value; to match a missing field use NOT with \"*\"");
        }
        if (value.isArray()) {
            if (op != Operator.IN && op != Operator.NIN) {
                throw invalid(path, "'" + op.wireName() + "' needs a single value, not a list"
                        + " (use 'in' to match any of several values)");
            }
            List<Object> out = new ArrayList<>(value.size());
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (item.isNull()) {
                    throw invalid(path + "[" + i + "]", "is null; list values must be strings, numbers or booleans");
                }
                out.add(scalar(item, path + "[" + i + "]"));
            }
            return out;
        }
        if (op == Operator.IN || op == Operator.NIN) {
            throw invalid(path, "'" + op.wireName() + "' needs a list of values, e.g. {\"" + op.wireName()
                    + "\": [\"a\", \"b\"]}; got " + kind(value));
        }
        return scalar(value, path);
    }

    private static Object scalar(JsonNode value, String path) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? (Object) value.longValue() : new java.math.BigDecimal(value.bigIntegerValue());
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        throw invalid(path, "needs a string, number or boolean value; got " + kind(value));
    }

    private static <T> T wrap(String path, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (ValidationException e) {
            throw new ValidationException(e.code(), path + ": " + rawMessage(e), e);
        }
    }

    private static String rawMessage(ValidationException e) {
        String m = e.getMessage();
        String prefix = "[" + e.code() + "] ";
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static ValidationException invalid(String path, String message) {
        return new ValidationException(ErrorCode.INVALID_FILTER, path + ": " + message);
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        String text = node.toString();
        return (node.isTextual() ? "a string " : node.isNumber() ? "a number " : "") + (text.length() > 60 ? text.substring(0, 60) + "…" : text);
    }
}
