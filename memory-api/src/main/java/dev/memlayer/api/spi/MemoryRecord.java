package dev.memlayer.api.spi;

import dev.memlayer.api.MemoryItem;
import dev.memlayer.api.MemoryType;
import dev.memlayer.api.Role;
import dev.memlayer.api.Scope;
import dev.memlayer.api.filter.FilterFields;
import dev.memlayer.api.filter.Filterable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A memory as a {@link VectorStore} stores it: every field of {@link MemoryItem} plus the embedding.
 * Stores persist every field and give them back unchanged (metadata values as JSON-like values:
 * String, Long/Double/BigDecimal numbers, Boolean, null, List, Map).
 *
 * @param id             UUID, not null
 * @param memory         the text, not null
 * @param hash           MD5 hex of the text's UTF-8 bytes
 * @param embedding      unit-length vector of the store's dimension; may be null only in records
 *                       read back by {@link VectorStore#list} or {@link VectorStore#search}
 * @param metadata       JSON-like metadata, never null (empty when none), unmodifiable
 * @param categories     never null, unmodifiable
 * @param createdAt      UTC instant, not null
 * @param updatedAt      UTC instant, not null
 * @param userId         scope id or null
 * @param agentId        scope id or null
 * @param runId          scope id or null
 * @param actorId        speaker name or null
 * @param role           message role or null
 * @param memoryType     memory type or null
 * @param immutable      whether updates are refused
 * @param expirationDate the first day the memory is expired, or null
 */
public record MemoryRecord(
        String id,
        String memory,
        String hash,
        float[] embedding,
        Map<String, Object> metadata,
        List<String> categories,
        Instant createdAt,
        Instant updatedAt,
        String userId,
        String agentId,
        String runId,
        String actorId,
        Role role,
        MemoryType memoryType,
        boolean immutable,
        LocalDate expirationDate) implements Filterable {

    public MemoryRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    @Override
    public Object reservedValue(String field) {
        return switch (field) {
            case FilterFields.ID -> id;
            case FilterFields.USER_ID -> userId;
            case FilterFields.AGENT_ID -> agentId;
            case FilterFields.RUN_ID -> runId;
            case FilterFields.ACTOR_ID -> actorId;
            case FilterFields.ROLE -> role == null ? null : role.wireName();
            case FilterFields.CREATED_AT -> createdAt;
            case FilterFields.UPDATED_AT -> updatedAt;
            case FilterFields.CATEGORIES -> categories;
            case FilterFields.MEMORY -> memory;
            case FilterFields.HASH -> hash;
            case FilterFields.MEMORY_TYPE -> memoryType == null ? null : memoryType.wireName();
            case FilterFields.EXPIRATION_DATE -> expirationDate == null ? null : expirationDate.toString();
            case FilterFields.IMMUTABLE -> immutable;
            default -> throw new IllegalArgumentException("not a reserved field: " + field);
        };
    }

    /** @return the record's scope */
    public Scope scope() {
        return new Scope(userId, agentId, runId);
    }

    /**
     * @param score the similarity to report, or null
     * @return the facade's view of this record
     */
    public MemoryItem toItem(Double score) {
        return new MemoryItem(id, memory, hash, metadata, categories, score, createdAt, updatedAt, userId, agentId,
                runId, actorId, role, memoryType, immutable, expirationDate);
    }

    /** @return a copy with another embedding */
    public MemoryRecord withEmbedding(float[] vector) {
        return toBuilder().embedding(vector).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryRecord r && id.equals(r.id) && memory.equals(r.memory) && Objects.equals(hash, r.hash)
                && Arrays.equals(embedding, r.embedding) && metadata.equals(r.metadata)
                && categories.equals(r.categories) && createdAt.equals(r.createdAt) && updatedAt.equals(r.updatedAt)
                && Objects.equals(userId, r.userId) && Objects.equals(agentId, r.agentId)
                && Objects.equals(runId, r.runId) && Objects.equals(actorId, r.actorId) && role == r.role
                && memoryType == r.memoryType && immutable == r.immutable
                && Objects.equals(expirationDate, r.expirationDate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, memory, hash, metadata, categories, createdAt, updatedAt, userId, agentId, runId)
                * 31 + Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "MemoryRecord[id=" + id + ", memory=" + memory + ", scope=" + scope().asMap() + ", metadata=" + metadata
                + ", categories=" + categories + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt
                + (embedding == null ? "" : ", dims=" + embedding.length) + "]";
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this record's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.memory = memory;
        b.hash = hash;
        b.embedding = embedding;
        b.metadata = new LinkedHashMap<>(metadata);
        b.categories = new ArrayList<>(categories);
        b.createdAt = createdAt;
        b.updatedAt = updatedAt;
        b.userId = userId;
        b.agentId = agentId;
        b.runId = runId;
        b.actorId = actorId;
        b.role = role;
        b.memoryType = memoryType;
        b.immutable = immutable;
        b.expirationDate = expirationDate;
        return b;
    }

    /** Builds {@link MemoryRecord}s. */
    public static final class Builder {
        private String id;
        private String memory;
        private String hash;
        private float[] embedding;
        private Map<String, Object> metadata = new LinkedHashMap<>();
        private List<String> categories = new ArrayList<>();
        private Instant createdAt;
        private Instant updatedAt;
        private String userId;
        private String agentId;
        private String runId;
        private String actorId;
        private Role role;
        private MemoryType memoryType;
        private boolean immutable;
        private LocalDate expirationDate;

        private Builder() {
        }

        public Builder id(String v) { id = v; return this; }
        public Builder memory(String v) { memory = v; return this; }
        public Builder hash(String v) { hash = v; return this; }
        public Builder embedding(float[] v) { embedding = v; return this; }
        public Builder metadata(Map<String, Object> v) { metadata = v == null ? new LinkedHashMap<>() : new LinkedHashMap<>(v); return this; }
        public Builder categories(List<String> v) { categories = v == null ? new ArrayList<>() : new ArrayList<>(v); return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        /** Sets user_id, agent_id and run_id from the scope. */
        public Builder scope(Scope s) { userId = s.userId(); agentId = s.agentId(); runId = s.runId(); return this; }
        public Builder userId(String v) { userId = v; return this; }
        public Builder agentId(String v) { agentId = v; return this; }
        public Builder runId(String v) { runId = v; return this; }
        public Builder actorId(String v) { actorId = v; return this; }
        public Builder role(Role v) { role = v; return this; }
        public Builder memoryType(MemoryType v) { memoryType = v; return this; }
        public Builder immutable(boolean v) { immutable = v; return this; }
        public Builder expirationDate(LocalDate v) { expirationDate = v; return this; }

        public MemoryRecord build() {
            return new MemoryRecord(id, memory, hash, embedding, metadata, categories, createdAt, updatedAt, userId,
                    agentId, runId, actorId, role, memoryType, immutable, expirationDate);
        }
    }
}
