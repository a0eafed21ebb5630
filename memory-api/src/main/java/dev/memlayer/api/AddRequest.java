package dev.memlayer.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input of {@link Memory#add} (SPEC §2). Build with {@link #builder()}:
 *
 * <pre>{@code
 * AddRequest.builder().user("I'm vegetarian and allergic to nuts").scope(Scope.user("alex")).build();
 * }</pre>
 *
 * @param messages       the conversation, at least one message
 * @param scope          who the memories belong to (at least one id, checked by the engine)
 * @param metadata       metadata stored with every memory written (JSON-like values); must not
 *                       contain identity keys (user_id, agent_id, run_id, actor_id, role)
 * @param infer          true (default): extract and reconcile facts with the LLM; false: store each
 *                       non-system message verbatim
 * @param memoryType     {@link MemoryType#PROCEDURAL} for procedural memory (needs agent_id), or null
 * @param prompt         a custom fact-extraction prompt for this call, or null for the default
 * @param immutable      true: memories written by this call refuse later updates
 * @param timestamp      overrides {@code created_at} of memories written, or null for now
 * @param expirationDate the first day on which the memories are expired, or null for never; its year
 *                       must be in [1, 9999] (ISO dates outside that range do not sort as text,
 *                       and backends compare expiration dates as ISO text)
 * @param categories     categories to store with every memory written (in addition to any the LLM
 *                       assigns), may be empty
 */
public record AddRequest(
        List<Message> messages,
        Scope scope,
        Map<String, Object> metadata,
        boolean infer,
        MemoryType memoryType,
        String prompt,
        boolean immutable,
        Instant timestamp,
        LocalDate expirationDate,
        List<String> categories) {

    /**
     * @throws ValidationException ({@link ErrorCode#INVALID_ARGUMENT}) for an expiration date whose
     *                             year is outside [1, 9999]
     */
    public AddRequest {
        if (expirationDate != null && (expirationDate.getYear() < 1 || expirationDate.getYear() > 9999)) {
            throw new ValidationException(ErrorCode.INVALID_ARGUMENT, "expirationDate " + expirationDate
                    + " is out of range; use a date with a year from 1 to 9999");
        }
        messages = messages == null ? List.of() : List.copyOf(messages);
        scope = scope == null ? Scope.none() : scope;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    /** @return a request storing what the user said, with inference */
    public static AddRequest of(String userText, Scope scope) {
        return builder().user(userText).scope(scope).build();
    }

    /** @return a new builder; infer defaults to true */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this request's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.messages.addAll(messages);
        b.scope = scope;
        b.metadata.putAll(metadata);
        b.infer = infer;
        b.memoryType = memoryType;
        b.prompt = prompt;
        b.immutable = immutable;
        b.timestamp = timestamp;
        b.expirationDate = expirationDate;
        b.categories.addAll(categories);
        return b;
    }

    /** Builds {@link AddRequest}s. Not thread-safe. */
    public static final class Builder {
        private final List<Message> messages = new ArrayList<>();
        private Scope scope = Scope.none();
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private boolean infer = true;
        private MemoryType memoryType;
        private String prompt;
        private boolean immutable;
        private Instant timestamp;
        private LocalDate expirationDate;
        private final List<String> categories = new ArrayList<>();

        private Builder() {
        }

        /** Appends messages. */
        public Builder messages(List<Message> more) {
            messages.addAll(more);
            return this;
        }

        /** Appends one message. */
        public Builder message(Message message) {
            messages.add(message);
            return this;
        }

        /** Appends a user message. */
        public Builder user(String content) {
            return message(Message.user(content));
        }

        /** Appends an assistant message. */
        public Builder assistant(String content) {
            return message(Message.assistant(content));
        }

        /** Appends a system message. */
        public Builder system(String content) {
            return message(Message.system(content));
        }

        public Builder scope(Scope value) {
            scope = value;
            return this;
        }

        public Builder userId(String id) {
            scope = scope.withUser(id);
            return this;
        }

        public Builder agentId(String id) {
            scope = scope.withAgent(id);
            return this;
        }

        public Builder runId(String id) {
            scope = scope.withRun(id);
            return this;
        }

        /** Adds metadata entries (a null value is stored as JSON null). */
        public Builder metadata(Map<String, ?> values) {
            metadata.putAll(values);
            return this;
        }

        public Builder metadata(String key, Object value) {
            metadata.put(key, value);
            return this;
        }

        public Builder infer(boolean value) {
            infer = value;
            return this;
        }

        public Builder memoryType(MemoryType value) {
            memoryType = value;
            return this;
        }

        public Builder prompt(String value) {
            prompt = value;
            return this;
        }

        public Builder immutable(boolean value) {
            immutable = value;
            return this;
        }

        public Builder timestamp(Instant value) {
            timestamp = value;
            return this;
        }

        /** @param epochSeconds seconds since 1970-01-01T00:00:00Z */
        public Builder timestamp(long epochSeconds) {
            timestamp = Instant.ofEpochSecond(epochSeconds);
            return this;
        }

        public Builder expirationDate(LocalDate value) {
            expirationDate = value;
            return this;
        }

        public Builder categories(List<String> values) {
            categories.addAll(values);
            return this;
        }

        public AddRequest build() {
            return new AddRequest(messages, scope, metadata, infer, memoryType, prompt, immutable, timestamp,
                    expirationDate, categories);
        }
    }
}
