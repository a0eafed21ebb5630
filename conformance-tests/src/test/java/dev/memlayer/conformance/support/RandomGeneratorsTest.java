package dev.memlayer.conformance.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memlayer.api.filter.Filter;
import dev.memlayer.api.filter.FilterEvaluator;
import dev.memlayer.api.filter.Operator;
import dev.memlayer.api.spi.MemoryRecord;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomGeneratorsTest {

    @Test
    void the_same_seed_gives_the_same_records_and_filters() {
        List<MemoryRecord> a = RandomRecords.generate(new Random(42), 100, 8);
        List<MemoryRecord> b = RandomRecords.generate(new Random(42), 100, 8);
        assertThat(a).isEqualTo(b);

        RandomFilters fa = new RandomFilters(new Random(7), a);
        RandomFilters fb = new RandomFilters(new Random(7), b);
        for (int i = 0; i < 200; i++) {
            assertThat(FilterPrinter.describe(fa.next())).isEqualTo(FilterPrinter.describe(fb.next()));
        }
    }

    @Test
    void random_filters_use_every_operator_and_field_and_discriminate() {
        List<MemoryRecord> records = RandomRecords.generate(new Random(1), 300, 8);
        RandomFilters filters = new RandomFilters(new Random(2), records);
        Set<Operator> operators = EnumSet.noneOf(Operator.class);
        Set<String> fields = new HashSet<>();
        boolean exists = false;
        int discriminating = 0;
        for (int i = 0; i < 500; i++) {
            Filter f = filters.next();
            List<Filter> leaves = new ArrayList<>();
            leaves(f, leaves);
            for (Filter leaf : leaves) {
                if (leaf instanceof Filter.Comparison c) {
                    operators.add(c.operator());
                    fields.add(c.field());
                } else if (leaf instanceof Filter.Exists e) {
                    exists = true;
                    fields.add(e.field());
                }
            }
            long matches = records.stream().filter(r -> FilterEvaluator.matches(f, r)).count();
            if (matches > 0 && matches < records.size()) {
                discriminating++;
            }
        }

        assertThat(operators).containsExactlyInAnyOrder(Operator.values());
        assertThat(exists).isTrue();
        assertThat(fields).containsAll(RandomFilters.FIELDS);
        assertThat(discriminating).isGreaterThan(200);
    }

    @Test
    void random_records_have_a_scope_and_microsecond_instants() {
        for (MemoryRecord r : RandomRecords.generate(new Random(3), 300, 8)) {
            assertThat(r.scope().isEmpty()).isFalse();
            assertThat(r.createdAt()).isEqualTo(TestVectors.micros(r.createdAt()));
            assertThat(r.updatedAt()).isAfterOrEqualTo(r.createdAt());
            assertThat(r.hash()).isEqualTo(TestVectors.md5Hex(r.memory()));
        }
    }

    @Test
    void the_filter_printer_writes_typed_java_literals() {
        Filter f = dev.memlayer.api.filter.Filters.and(dev.memlayer.api.filter.Filters.eq("n", 1),
                dev.memlayer.api.filter.Filters.in("s", "a\"b", 2.5),
                dev.memlayer.api.filter.Filters.not(dev.memlayer.api.filter.Filters.exists("m.k")));

        assertThat(FilterPrinter.describe(f))
                .isEqualTo("and(eq(\"metadata.n\", 1L), in(\"metadata.s\", List.of(\"a\\\"b\", 2.5)), not(exists(\"metadata.m.k\")))");
    }

    private static void leaves(Filter f, List<Filter> out) {
        switch (f) {
            case Filter.And and -> and.filters().forEach(c -> leaves(c, out));
            case Filter.Or or -> or.filters().forEach(c -> leaves(c, out));
            case Filter.Not not -> leaves(not.filter(), out);
            default -> out.add(f);
        }
    }
}
