package dev.memlayer.store.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantsTest {

    @Test
    void parses_what_instant_to_string_writes_exactly_like_instant_parse() {
        Random rnd = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            long seconds = rnd.nextLong(-62_000_000_000L, 253_402_300_799L); // years 0035 to 9999
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> rnd.nextInt(1000) * 1_000_000;
                case 2 -> rnd.nextInt(1_000_000) * 1000;
                default -> rnd.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(seconds, nanos);
            assertThat(Instants.parse(t.toString())).isEqualTo(t);
        }
        for (String s : new String[] {"+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.5Z", "2024-02-29T23:59:59.999999999Z",
                "1970-01-01T00:00:00.1Z", "2024-07-20T10:15:30+02:00"}) {
            assertThat(Instants.parse(s)).isEqualTo(Instant.parse(s));
        }
    }

    @Test
    void rejects_what_instant_parse_rejects() {
        for (String s : new String[] {"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-07-20T25:00:00Z",
                "2024-07-2xT10:15:30Z", "2024-07-20T10:15:30.1234567890Z"}) {
            assertThatThrownBy(() -> Instants.parse(s)).as(s).isInstanceOf(DateTimeParseException.class);
        }
    }
}
