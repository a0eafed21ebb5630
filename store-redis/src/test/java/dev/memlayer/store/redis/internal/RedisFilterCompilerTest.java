package dev.memlayer.store.redis.internal;

import static dev.memlayer.api.filter.Filters.and;
import static dev.memlayer.api.filter.Filters.contains;
import static dev.memlayer.api.filter.Filters.eq;
import static dev.memlayer.api.filter.Filters.exists;
import static dev.memlayer.api.filter.Filters.gt;
import static dev.memlayer.api.filter.Filters.icontains;
import static dev.memlayer.api.filter.Filters.in;
import static dev.memlayer.api.filter.Filters.lt;
import static dev.memlayer.api.filter.Filters.ne;
import static dev.memlayer.api.filter.Filters.nin;
import static dev.memlayer.api.filter.Filters.not;
import static dev.memlayer.api.filter.Filters.or;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the compiler sends to the server, without a server. */
class RedisFilterCompilerTest {

    @Test
    void scope_equality_compiles_exactly() {
        ServerFilter f = RedisFilterCompiler.compile(eq("user_id", "alex"));

        assertThat(f.expression()).isEqualTo(".user_id == \"alex\"");
        assertThat(f.exact()).isTrue();
        assertThat(f.matchesNothing()).isFalse();
    }

    @Test
    void the_partition_id_being_searched_is_dropped_from_the_expression() {
        ServerFilter f = RedisFilterCompiler.compile(and(eq("user_id", "alex"), eq("agent_id", "travel")),
                Map.of("user_id", "alex"));

        assertThat(f.expression()).isEqualTo(".agent_id == \"travel\"");
        assertThat(f.exact()).isTrue();
        assertThat(RedisFilterCompiler.compile(eq("user_id", "alex"), Map.of("user_id", "alex")))
                .isEqualTo(ServerFilter.ALL);
    }

    @Test
    void ne_and_nin_are_exact_negations_on_reserved_fields() {
        assertThat(RedisFilterCompiler.compile(ne("role", "user")).expression()).isEqualTo("!(.role == \"user\")");
        ServerFilter nin = RedisFilterCompiler.compile(nin("agent_id", "a", "b"));
        assertThat(nin.expression()).isEqualTo("!((.agent_id == \"a\") or (.agent_id == \"b\"))");
        assertThat(nin.exact()).isTrue();
    }

    @Test
    void a_type_mismatch_on_a_reserved_field_matches_nothing() {
        assertThat(RedisFilterCompiler.compile(eq("user_id", 5L)).matchesNothing()).isTrue();
        assertThat(RedisFilterCompiler.compile(gt("categories", 1L)).matchesNothing()).isTrue();
        assertThat(RedisFilterCompiler.compile(eq("categories", "food")).matchesNothing()).isTrue();
        assertThat(RedisFilterCompiler.compile(in("user_id", java.util.List.of())).matchesNothing()).isTrue();
        // and its negation matches everything, exactly
        assertThat(RedisFilterCompiler.compile(ne("user_id", 5L))).isEqualTo(ServerFilter.ALL);
    }

    @Test
    void categories_membership_runs_on_the_server() {
        ServerFilter f = RedisFilterCompiler.compile(contains("categories", "food"));

        assertThat(f.expression()).isEqualTo("\"food\" in .categories");
        assertThat(f.exact()).isTrue();
    }

    @Test
    void top_level_metadata_comparisons_become_a_superset_on_the_server() {
        ServerFilter f = RedisFilterCompiler.compile(and(eq("user_id", "alex"), eq("tag", "rare"), gt("n", 5L)));

        assertThat(f.expression()).isEqualTo("((.user_id == \"alex\") and (.m_tag == \"rare\")) and (.m_n >= 5.0)");
        assertThat(f.exact()).isFalse();
    }

    @Test
    void metadata_under_or_or_not_is_left_to_java_because_a_missing_field_fails_the_whole_expression() {
        assertThat(RedisFilterCompiler.compile(or(eq("tag", "a"), eq("user_id", "alex"))))
                .isEqualTo(new ServerFilter(null, false, false));
        assertThat(RedisFilterCompiler.compile(not(eq("tag", "a"))).expression()).isNull();
        assertThat(RedisFilterCompiler.compile(ne("tag", "a")).expression()).isNull();
    }

    @Test
    void substring_and_case_insensitive_operators_are_left_to_java() {
        assertThat(RedisFilterCompiler.compile(contains("memory", "tea")).expression()).isNull();
        assertThat(RedisFilterCompiler.compile(icontains("categories", "FOOD")).expression()).isNull();
        ServerFilter f = RedisFilterCompiler.compile(and(eq("user_id", "alex"), icontains("memory", "tea")));
        assertThat(f.expression()).isEqualTo(".user_id == \"alex\"");
        assertThat(f.exact()).isFalse();
    }

    @Test
    void instants_compare_as_widened_doubles() {
        ServerFilter f = RedisFilterCompiler.compile(and(gt("created_at", "2024-07-01"), lt("updated_at", 1.5e9)));

        assertThat(f.expression()).isEqualTo("(.created_at >= 1719792000) and (.updated_at <= 1500000000)");
        assertThat(f.exact()).isFalse();
        // under NOT the subset bound is used: not(x > v) keeps everything x > v does not surely exclude
        assertThat(RedisFilterCompiler.compile(not(gt("created_at", "2024-07-01"))).expression())
                .isEqualTo("!(.created_at > 1719792000)");
    }

    @Test
    void exists_is_exact_for_never_empty_fields_and_metadata_at_the_top_level() {
        assertThat(RedisFilterCompiler.compile(exists("agent_id")).expression()).isEqualTo(".agent_id != \"\"");
        assertThat(RedisFilterCompiler.compile(exists("agent_id")).exact()).isTrue();
        assertThat(RedisFilterCompiler.compile(exists("trip.city")).expression()).isEqualTo(".m_trip_2e-city == .m_trip_2e-city");
        assertThat(RedisFilterCompiler.compile(exists("trip.city")).exact()).isTrue();
        assertThat(RedisFilterCompiler.compile(exists("hash")).exact()).isFalse();
    }

    @Test
    void string_literals_are_quoted_so_the_server_reads_them_back_verbatim() {
        assertThat(VsetEncoding.stringLiteral("plain")).contains("\"plain\"");
        assertThat(VsetEncoding.stringLiteral("say \"hi\"")).contains("'say \"hi\"'");
        assertThat(VsetEncoding.stringLiteral("it's")).contains("\"it's\"");
        assertThat(VsetEncoding.stringLiteral("a\\\"b")).contains("\"a\\\"b\"");
        assertThat(VsetEncoding.stringLiteral("both ' and \"")).isEmpty();
        assertThat(VsetEncoding.stringLiteral("ends with \\")).isEmpty();
        assertThat(VsetEncoding.stringLiteral("nul \0")).isEmpty();
        assertThat(VsetEncoding.stringLiteral("lone \uD800")).isEmpty();
        assertThat(VsetEncoding.stringLiteral("\") || (1 == 1")).contains("'\") || (1 == 1'");
    }

    @Test
    void a_value_without_a_literal_is_left_to_java_never_dropped() {
        ServerFilter f = RedisFilterCompiler.compile(eq("actor_id", "both ' and \""));
        assertThat(f.expression()).isNull();
        assertThat(f.exact()).isFalse();
        assertThat(f.matchesNothing()).isFalse();
        // negated, it still accepts a superset
        assertThat(RedisFilterCompiler.compile(ne("actor_id", "both ' and \"")).expression()).isNull();
    }

    @Test
    void metadata_paths_escape_into_the_selector_alphabet_injectively() {
        assertThat(VsetEncoding.escapePath("trip.city")).isEqualTo("trip_2e-city");
        assertThat(VsetEncoding.escapePath("a_b")).isEqualTo("a__b");
        assertThat(VsetEncoding.escapePath("a_2e-b")).isEqualTo("a__2e_2d-b");
        assertThat(VsetEncoding.escapePath("ключ")).isEqualTo("_43a-_43b-_44e-_447-");
        assertThat(VsetEncoding.escapePath(") || .x")).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void numbers_are_written_without_negative_exponents() {
        assertThat(VsetEncoding.numberLiteral(1e-5)).contains("0.000010");
        assertThat(VsetEncoding.numberLiteral(-2.5)).contains("-2.5");
        assertThat(VsetEncoding.numberLiteral(1e20)).contains("100000000000000000000");
        assertThat(VsetEncoding.numberLiteral(Double.NaN)).isEmpty();
        assertThat(VsetEncoding.numberLiteral(1e-300)).isEmpty();
    }
}
