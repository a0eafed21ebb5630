package dev.memlayer.cli.locomo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvidenceIdsTest {

    @Test
    void well_formed_ids_are_kept() {
        assertThat(EvidenceIds.normalise(List.of("D1:3", "D12:40"))).containsExactly("D1:3", "D12:40");
    }

    @Test
    void several_ids_in_one_entry_are_split() {
        assertThat(EvidenceIds.parse("D8:6; D9:17")).containsExactly("D8:6", "D9:17");
        assertThat(EvidenceIds.parse("D8:6, D9:17 D10:2")).containsExactly("D8:6", "D9:17", "D10:2");
    }

    @Test
    void a_stray_colon_after_the_d_is_ignored() {
        assertThat(EvidenceIds.parse("D:11:26")).containsExactly("D11:26");
    }

    @Test
    void a_space_instead_of_the_colon_is_read_as_the_colon() {
        assertThat(EvidenceIds.parse("D9 17")).containsExactly("D9:17");
    }

    @Test
    void leading_zeros_and_lower_case_are_canonicalised() {
        assertThat(EvidenceIds.parse("D30:05")).containsExactly("D30:5");
        assertThat(EvidenceIds.parse("d3:7")).containsExactly("D3:7");
    }

    @Test
    void unrecognisable_entries_are_dropped() {
        assertThat(EvidenceIds.parse("D")).isEmpty();
        assertThat(EvidenceIds.parse("D917")).isEmpty();
        assertThat(EvidenceIds.parse("")).isEmpty();
        assertThat(EvidenceIds.parse(null)).isEmpty();
    }

    @Test
    void a_question_keeps_its_usable_ids_once_in_first_seen_order() {
        assertThat(EvidenceIds.normalise(List.of("D1:18", "D", "D1:20", "D1:18; D2:1")))
                .containsExactly("D1:18", "D1:20", "D2:1");
    }

    @Test
    void turn_ids_are_canonicalised_like_evidence() {
        assertThat(EvidenceIds.canonicalTurnId(" D3:07 ")).isEqualTo("D3:7");
        assertThat(EvidenceIds.canonicalTurnId("odd")).isEqualTo("odd");
    }
}
