package dev.memlayer.core.internal.llm;

import dev.memlayer.api.spi.Fact;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The facts an extractor read from a model's answer, together with what it had to skip (items of
 * the answer's fact list that were not readable facts). The engine reports the skipped items in
 * {@code AddResult.diagnostics}. An immutable list of the facts; any other {@link List} of facts from
 * a custom extractor simply has no such notes.
 */
public final class ExtractedFacts extends AbstractList<Fact> implements RandomAccess {

    private final List<Fact> facts;
    private final List<String> diagnostics;

    /**
     * @param facts       the readable facts, not null
     * @param diagnostics one message per skipped item, not null
     */
    public ExtractedFacts(List<Fact> facts, List<String> diagnostics) {
        this.facts = List.copyOf(facts);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** @return one message per item of the answer that was skipped, in order; possibly empty */
    public List<String> diagnostics() {
        return diagnostics;
    }

    @Override
    public Fact get(int index) {
        return facts.get(index);
    }

    @Override
    public int size() {
        return facts.size();
    }
}
