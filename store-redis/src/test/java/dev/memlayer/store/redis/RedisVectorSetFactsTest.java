package dev.memlayer.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.memlayer.store.redis.internal.VectorSearch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.VAddParams;
import redis.clients.jedis.params.VSimParams;

/**
 * Pins the behaviour of the server's vector sets that the backend's encoding and score conversion
 * rely on (Redis 8.0.2). If an upgrade changes one of these, this test says which.
 */
class RedisVectorSetFactsTest {

    private static final String PREFIX = RedisTestSupport.uniquePrefix(RedisVectorSetFactsTest.class);
    private static RedisConnection connection;
    private static RedisClient redis;
    private static final String KEY = PREFIX + ":facts";

    @BeforeAll
    static void connect() {
        connection = RedisConnection.open(RedisTestSupport.config(PREFIX, 3));
        redis = connection.executor().client();
        redis.del(KEY);
        // q = (1,2,2)/3; a = (2,1,2)/3 has cos 8/9, b = (0,0,1) cos 2/3, c = (2,-2,1)/3 cos 0, d = -q cos -1
        add("q", new float[] {1, 2, 2}, "{\"s\":\"x\\\"y\",\"n\":5,\"b\":true,\"nul\":null,\"arr\":[\"p\",1],\"o\":{}}");
        add("a", new float[] {2, 1, 2}, "{\"s\":\"a\\\\b\",\"n\":\"5\",\"t\":\"tab\\there\",\"u\":\"\\u0041\"}");
        add("b", new float[] {0, 0, 1}, "{\"s\":\"plain\",\"n\":0}");
        add("c", new float[] {2, -2, 1}, "{\"s\":\"abc\"}");
        add("d", new float[] {-1, -2, -2}, "{}");
    }

    private static void add(String element, float[] v, String attributes) {
        redis.vadd(KEY, v, element, new VAddParams().noQuant().setAttr(attributes));
    }

    @AfterAll
    static void disconnect() {
        redis.del(KEY);
        connection.close();
    }

    private static List<String> filter(String expression) {
        return redis.vsim(KEY, new float[] {1, 2, 2}, new VSimParams().count(10).filter(expression));
    }

    @Test
    void vsim_withscores_reports_one_plus_cosine_over_two() {
        Map<String, Double> scores = redis.vsimWithScores(KEY, new float[] {1, 2, 2}, new VSimParams().count(10).truth());

        assertThat(scores.get("q")).isCloseTo(1.0, within(1e-6));
        assertThat(scores.get("a")).isCloseTo((1 + 8.0 / 9) / 2, within(1e-6));
        assertThat(scores.get("b")).isCloseTo((1 + 2.0 / 3) / 2, within(1e-6));
        assertThat(scores.get("c")).isCloseTo(0.5, within(1e-6));
        assertThat(scores.get("d")).isCloseTo(0.0, within(1e-6));
        // and the store's conversion gives the clamped cosine
        assertThat(VectorSearch.similarity(scores.get("a"))).isCloseTo(8.0 / 9, within(1e-6));
        assertThat(VectorSearch.similarity(scores.get("b"))).isCloseTo(2.0 / 3, within(1e-6));
        assertThat(VectorSearch.similarity(scores.get("c"))).isCloseTo(0.0, within(1e-6));
        assertThat(VectorSearch.similarity(scores.get("d"))).isEqualTo(0.0);
    }

    @Test
    void a_missing_field_makes_the_whole_expression_false_even_under_or_and_not() {
        assertThat(filter(".missing == 1 or .s == \"plain\"")).isEmpty();
        assertThat(filter("!(.missing == 1)")).isEmpty();
        assertThat(filter(".o == .o")).isEmpty(); // an object is as good as missing
        assertThat(filter("!(.nul == 1)")).containsExactly("q"); // null is a value
    }

    @Test
    void string_literals_keep_their_backslashes_and_attributes_unescape_only_a_few_escapes() {
        assertThat(filter(".s == 'x\"y'")).containsExactly("q");
        assertThat(filter(".s == \"x\\\"y\"")).isEmpty(); // the backslash stays in the literal
        assertThat(filter(".s == 'a\\b'")).containsExactly("a");
        assertThat(filter(".t == \"tab\there\"")).containsExactly("a");
        assertThat(filter(".u == \"u0041\"")).containsExactly("a"); // \\u is not decoded
    }

    @Test
    void mixed_types_compare_as_numbers_and_ordering_is_always_numeric() {
        assertThat(filter(".n == 5")).containsExactlyInAnyOrder("q", "a");
        assertThat(filter(".n == \"5\"")).containsExactlyInAnyOrder("q", "a");
        assertThat(filter(".n == \"zero\"")).containsExactly("b"); // a non-numeric string is 0
        assertThat(filter(".s > \"a\"")).isEmpty(); // strings order as numbers: 0 > 0
        assertThat(filter(".b == 1")).containsExactly("q");
    }

    @Test
    void in_tests_array_membership_but_not_substrings() {
        assertThat(filter("\"p\" in .arr")).containsExactly("q");
        assertThat(filter("1 in .arr")).containsExactly("q");
        assertThat(filter("\"b\" in .s")).isEmpty();
    }

    @Test
    void negative_exponents_are_a_syntax_error_so_numbers_are_written_plainly() {
        assertThatThrownBy(() -> redis.sendCommand(Protocol.Command.VSIM, bytes(KEY), bytes("VALUES"), bytes("3"),
                bytes("1"), bytes("2"), bytes("2"), bytes("FILTER"), bytes(".n > 1E-5"))).hasMessageContaining("syntax");
        assertThat(filter(".n > 0.00001")).containsExactlyInAnyOrder("q", "a");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
