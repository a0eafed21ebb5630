package dev.memlayer.store.redis.internal;

import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.spi.MemoryRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that decides how values look to the server's FILTER engine: the JSON attributes
 * written with {@code VADD ... SETATTR} and the literals and selectors the filter compiler emits.
 * Both sides must agree byte for byte, which is why they live together.
 *
 * <p>Facts about Redis 8.0's vector-set expressions this encoding is built on (checked against
 * 8.0.2, see {@code RedisFilterSemanticsTest}):
 * <ul>
 *   <li>Selectors are {@code .name} with {@code [A-Za-z0-9_-]} only, top-level fields only.</li>
 *   <li>A selector whose field is missing (or an object) makes the WHOLE expression false, even
 *       under {@code !} or {@code or}.</li>
 *   <li>String literals are taken verbatim between their quotes: a backslash only keeps the next
 *       character from ending the literal, it is not removed. Attribute strings are unescaped for
 *       {@code \" \\ \n \r \t} only ({@code \}{@code uXXXX} is not decoded). Attributes are not
 *       validated as JSON.</li>
 *   <li>{@code ==} compares two strings bytewise and two numbers as doubles; mixed types are both
 *       converted to numbers (non-numeric strings become 0). Ordering operators always compare
 *       as numbers. Booleans are the numbers 1 and 0; JSON null is a null token.</li>
 *   <li>{@code "x" in .array} tests membership in a JSON array of scalars.</li>
 *   <li>Numbers in expressions may not use a negative exponent ({@code 1E-5} is a syntax error).</li>
 * </ul>
 *
 * <p>So attribute strings escape only {@code "} and {@code \}; every other character goes out as
 * its UTF-8 bytes, except U+0000 (byte 0xFF) and unpaired surrogates (0xFE), which are bytes no
 * literal can contain. Then the server's view of an attribute string equals a literal's bytes
 * exactly when the strings are equal.
 */
public final class VsetEncoding {

    /** Attribute holding the memory id. */
    public static final String ID = "id";
    /** Prefix of metadata attributes: {@code m_} + {@link #escapePath}. */
    public static final String METADATA_PREFIX = "m_";

    /** Reserved string fields, written as strings, {@code ""} when absent. */
    public static final List<String> STRING_FIELDS = List.of(FilterFields.ID, FilterFields.USER_ID,
            FilterFields.AGENT_ID, FilterFields.RUN_ID, FilterFields.ACTOR_ID, FilterFields.ROLE,
            FilterFields.MEMORY_TYPE, FilterFields.HASH, FilterFields.EXPIRATION_DATE);

    private VsetEncoding() {
    }

    // ------------------------------------------------------------------ attributes

    /**
     * The JSON attributes of a record: every reserved field but the text ({@code ""} for absent
     * strings, epoch seconds for instants, an array for categories, a boolean for immutable), and
     * every metadata value reachable by a filter path under {@code m_<escaped path>} (nulls
     * omitted, lists as arrays of their scalar elements, objects as {@code ""} plus their
     * children).
     */
    public static byte[] attributes(MemoryRecord r) {
        Buffer out = new Buffer(512);
        out.write('{');
        boolean[] first = {true};
        for (String f : STRING_FIELDS) {
            Object v = r.reservedValue(f);
            key(out, f, first);
            string(out, v == null ? "" : (String) v);
        }
        key(out, FilterFields.CREATED_AT, first);
        ascii(out, Double.toString(seconds(r.createdAt())));
        key(out, FilterFields.UPDATED_AT, first);
        ascii(out, Double.toString(seconds(r.updatedAt())));
        key(out, FilterFields.CATEGORIES, first);
        out.write('[');
        for (int i = 0; i < r.categories().size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            string(out, r.categories().get(i));
        }
        out.write(']');
        key(out, FilterFields.IMMUTABLE, first);
        ascii(out, r.immutable() ? "true" : "false");
        metadata(out, r.metadata(), "", first);
        out.write('}');
        return out.toByteArray();
    }

    private static void metadata(Buffer out, Map<String, Object> map, String path, boolean[] first) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String k = e.getKey();
            if (k == null || k.isEmpty() || k.indexOf('.') >= 0) {
                continue; // no filter path reaches a key with a dot or an empty key
            }
            String p = path.isEmpty() ? k : path + "." + k;
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            if (v instanceof Map<?, ?> nested) {
                key(out, metadataAttribute(p), first);
                string(out, "");
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) nested;
                metadata(out, m, p, first);
            } else if (v instanceof List<?> list) {
                key(out, metadataAttribute(p), first);
                out.write('[');
                boolean firstElement = true;
                for (Object element : list) {
                    if (!isScalar(element)) {
                        continue;
                    }
                    if (!firstElement) {
                        out.write(',');
                    }
                    firstElement = false;
                    scalar(out, element);
                }
                out.write(']');
            } else if (isScalar(v)) {
                key(out, metadataAttribute(p), first);
                scalar(out, v);
            } else {
                // not a JSON value (NaN, another type): present, as its text (any false match is post-filtered)
                key(out, metadataAttribute(p), first);
                string(out, String.valueOf(v));
            }
        }
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Boolean || (v instanceof Number n && toDouble(n).isPresent());
    }

    private static void scalar(Buffer out, Object v) {
        if (v instanceof String s) {
            string(out, s);
        } else if (v instanceof Boolean b) {
            ascii(out, b ? "true" : "false");
        } else {
            ascii(out, Double.toString(toDouble((Number) v).orElseThrow()));
        }
    }

    private static void key(Buffer out, String name, boolean[] first) {
        if (!first[0]) {
            out.write(',');
        }
        first[0] = false;
        out.write('"');
        ascii(out, name);
        out.write('"');
        out.write(':');
    }

    private static void ascii(Buffer out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }

    /** Writes a JSON string escaping only {@code "} and {@code \}; see the class comment. */
    private static void string(Buffer out, String s) {
        out.write('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp == '"' || cp == '\\') {
                out.write('\\');
                out.write(cp);
            } else if (cp == 0) {
                out.write(0xFF);
            } else if (Character.isSurrogate((char) cp) && n == 1) {
                out.write(0xFE);
            } else {
                utf8(out, cp);
            }
            i += n;
        }
        out.write('"');
    }

    private static void utf8(Buffer out, int cp) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xC0 | (cp >> 6));
            out.write(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out.write(0xE0 | (cp >> 12));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        } else {
            out.write(0xF0 | (cp >> 18));
            out.write(0x80 | ((cp >> 12) & 0x3F));
            out.write(0x80 | ((cp >> 6) & 0x3F));
            out.write(0x80 | (cp & 0x3F));
        }
    }

    // ------------------------------------------------------------------ selectors and literals

    /** @return the attribute name of a metadata path ({@code trip.city}) */
    public static String metadataAttribute(String dottedPath) {
        return METADATA_PREFIX + escapePath(dottedPath);
    }

    /**
     * An injective map from any string to {@code [A-Za-z0-9_-]+}, the selector alphabet: ASCII
     * letters and digits stay, {@code _} becomes {@code __}, any other code point becomes
     * {@code _<lower-case hex>-} ({@code .} is {@code _2e-}).
     */
    public static String escapePath(String path) {
        StringBuilder b = new StringBuilder(path.length() + 8);
        for (int i = 0; i < path.length(); ) {
            int cp = path.codePointAt(i);
            if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
                b.append((char) cp);
            } else if (cp == '_') {
                b.append("__");
            } else {
                b.append('_').append(Integer.toHexString(cp)).append('-');
            }
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    /**
     * A string literal the server reads back as exactly {@code s}, or empty when there is none:
     * {@code s} contains U+0000 or an unpaired surrogate, or cannot sit between either kind of
     * quote (the server ends a literal at the first quote character not preceded by a backslash
     * and keeps backslashes, so {@code s} must not contain that quote unescaped or end inside a
     * backslash pair).
     */
    public static Optional<String> stringLiteral(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return Optional.empty();
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return Optional.empty();
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return Optional.empty();
            }
        }
        if (embeddable(s, '"')) {
            return Optional.of('"' + s + '"');
        }
        if (embeddable(s, '\'')) {
            return Optional.of('\'' + s + '\'');
        }
        return Optional.empty();
    }

    private static boolean embeddable(String s, char quote) {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    return false;
                }
                i += 2;
            } else if (c == quote) {
                return false;
            } else {
                i++;
            }
        }
        return true;
    }

    /**
     * A number literal for the double {@code d}: plain decimal notation (the expression parser
     * rejects negative exponents), at most 200 characters; empty for NaN, infinities and numbers
     * too small or large to write that way.
     */
    public static Optional<String> numberLiteral(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Optional.empty();
        }
        String plain = new BigDecimal(Double.toString(d)).toPlainString();
        return plain.length() > 200 ? Optional.empty() : Optional.of(plain);
    }

    // ------------------------------------------------------------------ numbers

    /**
     * The double the server compares for a number: the nearest double (monotone, so
     * {@code a < b} implies {@code toDouble(a) <= toDouble(b)}).
     *
     * @return empty for NaN and infinities
     */
    public static Optional<Double> toDouble(Number n) {
        double d;
        if (n instanceof BigDecimal bd) {
            d = bd.doubleValue();
        } else if (n instanceof BigInteger bi) {
            d = bi.doubleValue();
        } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            d = n.longValue();
        } else {
            d = n.doubleValue();
        }
        return Double.isNaN(d) || Double.isInfinite(d) ? Optional.empty() : Optional.of(d);
    }

    /**
     * @return an instant as epoch seconds in a double: {@code second + nano / 1e9}, monotone in the
     *         instant (equal seconds: the fraction grows with the nanoseconds; a later second: the
     *         sum with a fraction below 1 rounds to at most the next whole second)
     */
    public static double seconds(Instant t) {
        return (double) t.getEpochSecond() + t.getNano() / 1e9;
    }

    // ------------------------------------------------------------------ vectors

    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    /** @return the vector as little-endian float32 bytes ({@code VADD ... FP32}) */
    public static byte[] fp32(float[] v) {
        byte[] out = new byte[v.length * 4];
        for (int i = 0; i < v.length; i++) {
            FLOAT_LE.set(out, i * 4, v[i]);
        }
        return out;
    }

    /** @return the vector of little-endian float32 bytes */
    public static float[] fromFp32(byte[] bytes) {
        float[] v = new float[bytes.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) FLOAT_LE.get(bytes, i * 4);
        }
        return v;
    }

    /** A growable byte array (unlike ByteArrayOutputStream, not synchronized per byte). */
    private static final class Buffer {
        private byte[] bytes;
        private int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        void write(int b) {
            if (size == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[size++] = (byte) b;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }
}
