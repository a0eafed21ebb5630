package dev.memlayer.store.redis.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for stored values (metadata, categories, history entries) that gives back the Java types
 * it was given: integers as {@link Long} ({@link BigDecimal} beyond the long range), decimals as
 * {@link Double} when the text is the double's shortest form ({@link Double#toString}), else as
 * {@link BigDecimal}; strings, booleans, null, lists and maps (insertion order kept).
 */
public final class JsonValues {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonValues() {
    }

    /** A JSON writer body. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** @return the UTF-8 JSON written by {@code body} */
    public static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes a JSON-like value (String, Number, Boolean, null, List, Map). */
    public static void writeValue(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber((long) i);
            case Short s -> g.writeNumber((long) s);
            case Byte b -> g.writeNumber((long) b);
            case BigInteger bi -> g.writeNumber(bi);
            case BigDecimal bd -> g.writeNumber(bd);
            case Double d -> writeDouble(g, d);
            case Float f -> writeDouble(g, f.doubleValue());
            case Number n -> g.writeNumber(new BigDecimal(n.toString()));
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object o : list) {
                    writeValue(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeString(String.valueOf(v));
        }
    }

    private static void writeDouble(JsonGenerator g, double d) throws IOException {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            g.writeNull(); // JSON has no NaN; metadata cannot hold one
        } else {
            g.writeNumber(Double.toString(d));
        }
    }

    /** @return a parser over a JSON text */
    public static JsonParser parser(byte[] json) throws IOException {
        return FACTORY.createParser(json);
    }

    /** Reads the value at the parser's current token. */
    public static Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, readValue(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT, LONG -> p.getLongValue();
                default -> new BigDecimal(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> {
                String text = p.getText();
                double d = Double.parseDouble(text);
                yield Double.toString(d).equals(text) ? (Object) d : new BigDecimal(text);
            }
            default -> throw new IOException("unexpected JSON token " + t);
        };
    }

    /**
     * @return the fields of a JSON object, in order
     * @throws IOException when the text is not a JSON object
     */
    public static Map<String, Object> parseObject(byte[] json) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                m.put(name, readValue(p));
            }
        }
        return m;
    }
}
