package dev.memlayer.core.internal.llm;

import dev.memlayer.api.Message;
import java.util.List;

/** The transcript format of the engine's LLM protocol, in one place. */
public final class Transcripts {

    private Transcripts() {
    }

    /**
     * One line per non-blank message, {@code <role>: <content>}, newlines inside content replaced by
     * spaces.
     *
     * @param conversation the messages
     * @return the transcript
     */
    public static String of(List<Message> conversation) {
        StringBuilder b = new StringBuilder();
        for (Message m : conversation) {
            if (m.content().isBlank()) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(m.role().wireName()).append(": ")
                    .append(m.content().strip().replace("\r\n", " ").replace('\n', ' ').replace('\r', ' '));
        }
        return b.toString();
    }
}
