package dev.memlayer.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void without_a_terminal_progress_is_plain_lines() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), false);

        progress.start("ingest", 3, "turns");
        progress.advance(1);
        progress.advance(2);
        progress.finish();

        assertThat(err.toString()).doesNotContain("\r").startsWith("ingest: 3 turns...\n")
                .containsPattern("ingest: done, 3 turns in \\d+\\.\\d s \\(\\d+/s\\)\n$");
    }

    @Test
    void on_a_terminal_a_bar_is_redrawn_in_place_and_ends_with_a_newline() {
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), true);

        progress.start("search", 4, "questions");
        progress.advance(4);
        progress.finish();

        String out = err.toString();
        assertThat(out).startsWith("\rsearch [..............................]   0%  0/4 questions")
                .contains("\rsearch [##############################] 100%  4/4 questions").endsWith("\n");
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }
}
