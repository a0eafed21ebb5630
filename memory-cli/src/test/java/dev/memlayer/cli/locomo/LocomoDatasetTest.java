package dev.memlayer.cli.locomo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.memlayer.cli.locomo.LocomoDataset.Conversation;
import dev.memlayer.cli.locomo.LocomoDataset.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocomoDatasetTest {

    @Test
    void reads_conversations_sessions_turns_and_questions() {
        LocomoDataset data = LocomoDataset.read(TinyLocomo.path());

        assertThat(data.conversations()).extracting(Conversation::sampleId).containsExactly("tiny-1", "tiny-2");
        assertThat(data.turnCount()).isEqualTo(9);
        Conversation first = data.conversations().get(0);
        assertThat(first.speakerA()).isEqualTo("Ana");
        assertThat(first.sessions()).extracting(Session::number).containsExactly(1, 2);
        assertThat(first.sessions().get(0).turns().get(2).imageCaption()).isEqualTo("a photo of a street at night");
        assertThat(first.questions()).hasSize(7);
        assertThat(first.questions().get(2).evidence()).containsExactly("D1:3", "D9:9");
        assertThat(first.questions().get(2).rawEvidence()).containsExactly("D1:3; D9:9");
        assertThat(first.questions().get(4).evidence()).isEmpty();
        assertThat(first.questions().get(5).evidence()).isEmpty();
    }

    @Test
    void session_dates_are_read_as_utc_instants() {
        assertThat(LocomoDataset.parseSessionDate("1:56 pm on 8 May, 2023")).isEqualTo(Instant.parse("2023-05-08T13:56:00Z"));
        assertThat(LocomoDataset.parseSessionDate("10:00 am on 1 March, 2024")).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
        assertThat(LocomoDataset.parseSessionDate("sometime in spring")).isNull();
        assertThat(LocomoDataset.parseSessionDate(null)).isNull();
    }

    @Test
    void categories_have_locomo_names() {
        assertThat(List.of(1, 2, 3, 4, 5)).extracting(LocomoDataset::categoryName)
                .containsExactly("multi-hop", "temporal", "open-domain", "single-hop", "adversarial");
        assertThat(LocomoDataset.categoryName(9)).isEqualTo("category-9");
    }

    @Test
    void a_missing_default_file_says_where_locomo_is_published_and_how_to_pass_it(@TempDir Path dir) {
        Path expected = dir.resolve("shared/data/locomo-dev.json");

        assertThatThrownBy(() -> LocomoDataset.locate(null, List.of(expected)))
                .isInstanceOf(LocomoDataException.class)
                .hasMessageContaining(expected.toString())
                .hasMessageContaining("snap-research")
                .hasMessageContaining("github.com/snap-research/LoCoMo")
                .hasMessageContaining("data/locomo10.json")
                .hasMessageContaining("../shared/data/locomo-dev.json")
                .hasMessageContaining("--data");
    }

    @Test
    void a_missing_explicit_file_is_named_in_the_message(@TempDir Path dir) {
        Path given = dir.resolve("nope.json");

        assertThatThrownBy(() -> LocomoDataset.locate(given, List.of(TinyLocomo.path())))
                .isInstanceOf(LocomoDataException.class)
                .hasMessageContaining("nope.json")
                .hasMessageContaining("given with --data")
                .hasMessageContaining("snap-research");
    }

    @Test
    void the_first_existing_default_wins(@TempDir Path dir) {
        assertThat(LocomoDataset.locate(null, List.of(dir.resolve("missing.json"), TinyLocomo.path())))
                .isEqualTo(TinyLocomo.path());
    }

    @Test
    void a_file_in_another_format_is_rejected_with_a_clear_message(@TempDir Path dir) throws Exception {
        Path notLocomo = Files.writeString(dir.resolve("other.json"), "{\"hello\": \"world\"}");
        Path broken = Files.writeString(dir.resolve("broken.json"), "[{\"sample_id\": ");

        assertThatThrownBy(() -> LocomoDataset.read(notLocomo)).isInstanceOf(LocomoDataException.class)
                .hasMessageContaining("not a LoCoMo file");
        assertThatThrownBy(() -> LocomoDataset.read(broken)).isInstanceOf(LocomoDataException.class)
                .hasMessageContaining("cannot read LoCoMo data");
        assertThatThrownBy(() -> LocomoDataset.parse(JsonMapper.builder().build().readTree("[{\"qa\": []}]"), null))
                .isInstanceOf(LocomoDataException.class).hasMessageContaining("sample_id");
    }
}
