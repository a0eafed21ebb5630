package dev.memlayer.llm.openai.internal;

/** Turns a provider's error answer (a non-2xx status, or an error object in the body) into a {@link ProviderFailure}. */
@FunctionalInterface
public interface FailureInterpreter {

    /**
     * @param status the HTTP status (or the status named by an error object inside a 2xx body)
     * @param body   the response body as text, possibly empty, never null
     * @return the explanation and whether to retry
     */
    ProviderFailure interpret(int status, String body);
}
