package dev.memlayer.store.inmemory;

import dev.memlayer.api.ErrorCode;
import dev.memlayer.api.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, immutable copies of JSON-like metadata, so that a caller who keeps a reference to a nested
 * map or list cannot change what the store holds, and so that the in-memory store returns the same
 * value types as a JSON-backed store: integral numbers as {@link Long} (or {@link BigDecimal} beyond
 * the long range), {@link Float} as {@link Double}.
 */
final class JsonValues {

    private JsonValues() {
    }

    /**
     * @param metadata the record's metadata (String keys; values String, Number, Boolean, null, List, Map)
     * @return an unmodifiable deep copy, keeping key order
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for a value that JSON cannot
     *                             hold (another type, a non-string key, NaN or infinity)
     */
    static Map<String, Object> freeze(Map<String, Object> metadata) {
        return freezeMap(metadata, "metadata");
    }

    private static Map<String, Object> freezeMap(Map<?, ?> map, String path) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "metadata keys must be strings; " + path + " has the key " + e.getKey());
            }
            out.put(key, freezeValue(e.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Object freezeValue(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger bi) {
            return bi.bitLength() < 64 ? (Object) bi.longValue() : new BigDecimal(bi);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new ValidationException(ErrorCode.INVALID_ARGUMENT,
                        "metadata numbers must be finite; " + path + " is " + d);
            }
            return d;
        }
        if (value instanceof Map<?, ?> map) {
            return freezeMap(map, path);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            int i = 0;
            for (Object element : list) {
                out.add(freezeValue(element, path + "[" + i++ + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "metadata values must be JSON-like (string, number, "
                + "boolean, null, list or map); " + path + " is a " + value.getClass().getName());
    }
}
