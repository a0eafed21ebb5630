package dev.memlayer.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class Bm25Test {

    @Test
    void tokens_are_lower_case_runs_of_letters_and_digits() {
        assertThat(Bm25.tokens("Who has Rex? bob_smith, lives_in Zoë2")).containsExactly("who", "has", "rex", "bob",
                "smith", "lives", "in", "zoë2");
    }

    @Test
    void the_document_with_the_rarer_query_term_ranks_first() {
        List<String> docs = List.of("alice likes pizza", "alice owns rex", "alice lives_in paris");

        assertThat(Bm25.rank(docs, Function.identity(), Bm25.tokens("where alice lives")))
                .containsExactly("alice lives_in paris", "alice likes pizza", "alice owns rex");
    }

    @Test
    void equal_scores_keep_the_given_order() {
        List<String> docs = List.of("b x", "a x", "c x");

        assertThat(Bm25.rank(docs, Function.identity(), List.of("nothing"))).containsExactlyElementsOf(docs);
        assertThat(Bm25.rank(docs, Function.identity(), List.of("x"))).containsExactlyElementsOf(docs);
    }

    @Test
    void shorter_documents_win_on_the_same_term_frequency() {
        // length normalisation (b = 0.75): "rex" weighs more in a short triple
        List<String> docs = List.of("bob really truly owns rex", "bob owns rex", "alice likes pizza");

        assertThat(Bm25.rank(docs, Function.identity(), List.of("rex")).get(0)).isEqualTo("bob owns rex");
    }
}
