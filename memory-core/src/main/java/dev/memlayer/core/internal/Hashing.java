package dev.memlayer.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The memory hash of SPEC §2: MD5 of the UTF-8 bytes of the text, as 32 lower-case hex digits. */
public final class Hashing {

    private Hashing() {
    }

    /**
     * @param text the memory text, not null
     * @return the MD5 hex digest of its UTF-8 bytes
     */
    public static String md5Hex(String text) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }
}
