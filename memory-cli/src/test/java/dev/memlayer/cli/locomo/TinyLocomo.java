package dev.memlayer.cli.locomo;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The hand-made two-conversation file in LoCoMo's format under src/test/resources. */
final class TinyLocomo {

    private TinyLocomo() {
    }

    static Path path() {
        try {
            return Path.of(TinyLocomo.class.getResource("/tiny-locomo.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
