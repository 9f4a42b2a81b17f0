package dev.refrain.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {
  @Test
  void tenMillionUnitsAreOneDollar() {
    assertThat(Money.ofUsd(new BigDecimal("1")).units()).isEqualTo(10_000_000);
    assertThat(Money.ofUsd(new BigDecimal("0.0000001")).units()).isEqualTo(1);
    assertThat(new Money(25_000_000).usdValue()).isEqualTo(2.5);
  }

  @Test
  void dollarsAreWrittenAsPeopleWriteThem() {
    assertThat(new Money(25_000_000)).hasToString("2.5");
    assertThat(new Money(150_000)).hasToString("0.015");
    assertThat(new Money(0)).hasToString("0");
    assertThat(new Money(1)).hasToString("0.0000001");
  }

  @Test
  void anAmountFinerThanAUnitIsRefused() {
    assertThatThrownBy(() -> Money.ofUsd(new BigDecimal("0.00000001"))).isInstanceOf(ArithmeticException.class);
  }
}
