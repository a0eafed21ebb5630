package dev.memlayer.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Where things are relative to the repository: the launcher {@code bin/memlayer} passes the
 * repository root as the system property {@value #HOME_PROPERTY}; without it (tests, an IDE) the
 * root is the nearest folder above the current directory that holds {@code memory-cli/pom.xml}.
 */
public final class RepositoryPaths {

    /** The system property the launcher sets to the repository root. */
    public static final String HOME_PROPERTY = "memlayer.home";

    private RepositoryPaths() {
    }

    /** @return the repository root, if known */
    public static Optional<Path> repositoryRoot() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return Optional.of(Path.of(home).toAbsolutePath().normalize());
        }
        for (Path dir = currentDirectory(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("memory-cli").resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /**
     * Resolves a path given relative to the repository root: first against the root, then against
     * the current directory.
     *
     * @param relative a relative path such as {@code ../shared/data/locomo-dev.json}
     * @return the candidate locations, most preferred first, without duplicates
     */
    public static List<Path> candidates(String relative) {
        LinkedHashSet<Path> out = new LinkedHashSet<>();
        repositoryRoot().ifPresent(root -> out.add(root.resolve(relative).normalize()));
        out.add(currentDirectory().resolve(relative).normalize());
        return new ArrayList<>(out);
    }

    private static Path currentDirectory() {
        return Path.of("").toAbsolutePath().normalize();
    }
}
