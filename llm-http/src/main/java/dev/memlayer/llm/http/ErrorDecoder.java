package dev.memlayer.llm.http;

/**
 * A provider's hook into {@link JsonHttpClient}: turns the provider's error answer (a non-2xx
 * status, or an error object inside a 2xx body) into a {@link DecodedError}, that is the message
 * for the caller and whether another attempt can help. Implementations must be thread-safe and must
 * not throw; an unreadable body is quoted, not rejected.
 */
@FunctionalInterface
public interface ErrorDecoder {

    /**
     * Explains one error answer.
     *
     * @param status the HTTP status, 400 to 599 (or the status named by an error object inside a
     *               2xx body; 502 when that object names none)
     * @param body   the response body as text, possibly empty, never null
     * @return the explanation and whether to retry, never null
     */
    DecodedError decode(int status, String body);
}
