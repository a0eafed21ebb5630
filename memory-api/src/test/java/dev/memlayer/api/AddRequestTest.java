package dev.memlayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddRequestTest {

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01", "+123456-06-30", "0000-12-31", "-0001-01-01"})
    void an_expiration_date_with_a_year_outside_1_to_9999_is_rejected(String date) {
        LocalDate expiration = LocalDate.parse(date);

        assertThatThrownBy(() -> AddRequest.builder().user("Temporary code").scope(Scope.user("alex"))
                .expirationDate(expiration).build())
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("expirationDate").contains("9999");
                });
    }

    @Test
    void expiration_dates_from_year_1_to_9999_are_accepted() {
        for (String date : new String[] {"0001-01-01", "2025-03-11", "9999-12-31"}) {
            AddRequest request = AddRequest.builder().user("Temporary code").scope(Scope.user("alex"))
                    .expirationDate(LocalDate.parse(date)).build();

            assertThat(request.expirationDate()).isEqualTo(LocalDate.parse(date));
        }
        assertThat(AddRequest.of("Permanent", Scope.user("alex")).expirationDate()).isNull();
    }
}
