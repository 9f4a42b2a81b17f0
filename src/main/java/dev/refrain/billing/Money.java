package dev.refrain.billing;

import java.math.BigDecimal;

/**
 * An amount of money in units: 10,000,000 units are 1 USD, so balances, holds and charges are
 * whole numbers while clients speak dollars with up to seven decimals.
 */
public record Money(long units) {
  public static final long UNITS_PER_USD = 10_000_000;
  /** Decimals of a dollar a unit resolves. */
  public static final int DECIMALS = 7;

  /** The amount {@code usd} dollars make; an ArithmeticException when it has more than seven decimals or no long holds it. */
  public static Money ofUsd(BigDecimal usd) {
    return new Money(usd.movePointRight(DECIMALS).longValueExact());
  }

  /** In dollars, exactly. */
  public BigDecimal usd() {
    return BigDecimal.valueOf(units, DECIMALS);
  }

  /** In dollars as a JSON number, as PiAPI's account answers give it. */
  public double usdValue() {
    return units / (double) UNITS_PER_USD;
  }

  /** Dollars as people write them: {@code 2.5}, {@code 0.015}. */
  @Override
  public String toString() {
    return usd().stripTrailingZeros().toPlainString();
  }
}
