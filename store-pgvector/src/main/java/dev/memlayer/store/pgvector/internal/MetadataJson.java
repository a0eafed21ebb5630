package dev.memlayer.store.pgvector.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metadata as {@code jsonb} text, both ways. Numbers are written so that {@code jsonb} keeps their
 * kind: integers as integer literals (read back as {@link Long}, or {@link BigDecimal} beyond its
 * range) and doubles in plain notation with a fraction ({@code 12345678.0}, read back as
 * {@link Double}); their decimal values are exactly those of
 * {@link dev.memlayer.api.filter.FilterValues#decimal}, so numeric filters agree with the
 * reference. A {@link Float} is stored as its double value; a {@link BigDecimal} comes back as a
 * Double when that is exact, else as a BigDecimal. Strings and keys must be storable (no NUL).
 */
public final class MetadataJson {

    /** Deepest metadata nesting accepted on write (and read back). */
    public static final int MAX_DEPTH = 500;

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNestingDepth(MAX_DEPTH + 1)
                    .maxDocumentLength(-1)
                    .build())
            .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private MetadataJson() {
    }

    /**
     * @param metadata JSON-like values (String, Number, Boolean, null, List, Map with String keys)
     * @return the JSON object text
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for values JSON or
     *                             PostgreSQL cannot hold (other types, NaN, NUL characters)
     */
    public static String write(Map<String, Object> metadata) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeValue(g, metadata == null ? Map.of() : metadata, "metadata", 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeValue(JsonGenerator g, Object value, String path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "metadata is nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (value) {
            case null -> g.writeNull();
            case String s -> {
                TextChecks.requireStorable(path, s);
                g.writeString(s);
            }
            case Boolean b -> g.writeBoolean(b);
            case Long n -> g.writeNumber(n);
            case Integer n -> g.writeNumber(n.longValue());
            case Short n -> g.writeNumber(n.longValue());
            case Byte n -> g.writeNumber(n.longValue());
            case BigInteger n -> g.writeNumber(n);
            case Double d -> g.writeNumber(plainDouble(d, path));
            case Float f -> g.writeNumber(plainDouble(f.doubleValue(), path));
            case BigDecimal d -> g.writeNumber(d.toString());
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new ValidationException(ErrorCode.INVALID_ARGUMENT, path + " has a non-string key " + e.getKey());
                    }
                    TextChecks.requireStorable(path + " key", key);
                    g.writeFieldName(key);
                    writeValue(g, e.getValue(), path.length() > 200 ? path : path + "." + key, depth + 1);
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    writeValue(g, item, path.length() > 200 ? path : path + "[]", depth + 1);
                }
                g.writeEndArray();
            }
            default -> throw new ValidationException(ErrorCode.INVALID_ARGUMENT, path + " holds a "
                    + value.getClass().getSimpleName() + "; metadata values must be strings, numbers, booleans, null,"
                    + " lists or maps");
        }
    }

    private static String plainDouble(double d, String path) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, path + " is " + d + "; JSON numbers must be finite");
        }
        String s = new BigDecimal(Double.toString(d)).toPlainString();
        return s.indexOf('.') < 0 ? s + ".0" : s;
    }

    /**
     * @param json a JSON object as stored
     * @return its JSON-like values: objects as unmodifiable maps, arrays as unmodifiable lists,
     *         integers as Long (BigDecimal beyond), fractions as Double (BigDecimal when inexact)
     */
    public static Map<String, Object> read(String json) {
        if (json == null || json.isEmpty() || "{}".equals(json)) {
            return Map.of();
        }
        try {
            JsonNode node = READER.readTree(json);
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) convert(node);
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object convert(JsonNode node) {
        return switch (node.getNodeType()) {
            case NULL, MISSING -> null;
            case BOOLEAN -> node.booleanValue();
            case STRING -> node.textValue();
            case NUMBER -> number(node);
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode item : node) {
                    list.add(convert(item));
                }
                yield Collections.unmodifiableList(list);
            }
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    map.put(e.getKey(), convert(e.getValue()));
                }
                yield Collections.unmodifiableMap(map);
            }
            default -> node.toString();
        };
    }

    private static Object number(JsonNode node) {
        if (node.isIntegralNumber()) {
            BigInteger i = node.bigIntegerValue();
            return i.compareTo(LONG_MIN) >= 0 && i.compareTo(LONG_MAX) <= 0 ? (Object) i.longValue() : new BigDecimal(i);
        }
        BigDecimal d = node.decimalValue();
        double asDouble = d.doubleValue();
        if (!Double.isInfinite(asDouble) && new BigDecimal(Double.toString(asDouble)).compareTo(d) == 0) {
            return asDouble;
        }
        return d;
    }
}
