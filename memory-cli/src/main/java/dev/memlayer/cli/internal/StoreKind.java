package dev.memlayer.cli.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The vector stores the command line can open ({@code --store}). */
public enum StoreKind {
    /** In-process exact search; nothing to install. The default. */
    INMEMORY("inmemory"),
    /** PostgreSQL with pgvector, configured by {@code MEMLAYER_PG_URL}, {@code MEMLAYER_PG_USER}, {@code MEMLAYER_PG_PASSWORD}. */
    PGVECTOR("pgvector"),
    /** Redis 8 vector sets, configured by {@code MEMLAYER_REDIS_URL}. */
    REDIS("redis");

    private final String optionName;

    StoreKind(String optionName) {
        this.optionName = optionName;
    }

    /** @return the name used on the command line and in reports */
    public String optionName() {
        return optionName;
    }

    /**
     * @param name an option value, case-insensitive
     * @return the store kind
     * @throws IllegalArgumentException naming the accepted values
     */
    public static StoreKind parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (StoreKind kind : values()) {
            if (kind.optionName.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown store '" + name + "'; use one of " + names());
    }

    /** @return the accepted option values, comma-separated */
    public static String names() {
        return Arrays.stream(values()).map(StoreKind::optionName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return optionName;
    }
}
