package dev.maestro.packs.spend.internal;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.packs.spend.Prices;
import dev.maestro.packs.spend.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices compiled to whole pico-dollars (10^-12 USD) per token, so that a cost is an exact integer:
 * a price of $2.50 per million tokens is 2,500,000 pico-dollars per token. Catalog prices have at
 * most six decimals per million tokens, which makes this exact; {@link #SCALE} turns pico-dollars
 * back into dollars.
 */
public final class Rates {
  public static final int SCALE = 12;

  private final Level base;
  private final long[] thresholds;
  private final Level[] tiers;

  private record Level(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h, long batchInput, long batchOutput) {}

  private Rates(Level base, long[] thresholds, Level[] tiers) {
    this.base = base;
    this.thresholds = thresholds;
    this.tiers = tiers;
  }

  public static Rates of(Prices p) {
    long input = picos(p.input(), 0);
    long output = picos(p.output(), 0);
    Level base = level(input, output, p.cacheRead(), p.cacheWrite(), p.cacheWrite1h(), p.batchInput(), p.batchOutput());
    long[] thresholds = new long[p.tiers().size()];
    Level[] tiers = new Level[thresholds.length];
    for (int i = 0; i < thresholds.length; i++) {
      Prices.Tier t = p.tiers().get(i);
      thresholds[i] = t.aboveInputTokens();
      long tin = picos(t.input(), input);
      long tout = picos(t.output(), output);
      // A tier scales batch prices like the standard ones (batch = standard x batch/standard).
      BigDecimal bin = scaled(p.batchInput(), p.input(), t.input());
      BigDecimal bout = scaled(p.batchOutput(), p.output(), t.output());
      tiers[i] = level(tin, tout, t.cacheRead() == null ? p.cacheRead() == null ? null : scaled(p.cacheRead(), p.input(), t.input()) : t.cacheRead(),
          t.cacheWrite() == null ? p.cacheWrite() == null ? null : scaled(p.cacheWrite(), p.input(), t.input()) : t.cacheWrite(),
          p.cacheWrite1h() == null ? null : scaled(p.cacheWrite1h(), p.input(), t.input()), bin, bout);
    }
    return new Rates(base, thresholds, tiers);
  }

  private static BigDecimal scaled(BigDecimal price, BigDecimal standard, BigDecimal tierStandard) {
    if (price == null || tierStandard == null || standard == null || standard.signum() == 0) {
      return price;
    }
    return price.multiply(tierStandard).divide(standard, 6, RoundingMode.HALF_UP);
  }

  private static Level level(long input, long output, BigDecimal cacheRead, BigDecimal cacheWrite, BigDecimal cacheWrite1h, BigDecimal batchInput, BigDecimal batchOutput) {
    long write = picos(cacheWrite, input);
    return new Level(input, output, picos(cacheRead, input), write, picos(cacheWrite1h, write), picos(batchInput, input), picos(batchOutput, output));
  }

  /** Price per million tokens to pico-dollars per token; {@code fallback} when unknown. */
  static long picos(BigDecimal perMillion, long fallback) {
    if (perMillion == null) {
      return fallback;
    }
    try {
      return perMillion.movePointRight(6).longValueExact();
    } catch (ArithmeticException e) {
      throw new InvalidInputException("price " + perMillion.toPlainString() + " per million tokens has more than six decimals; round it to six");
    }
  }

  /** Exact cost of the usage in pico-dollars. */
  public long picos(TokenUsage u) {
    return picos(u.inputTokens(), u.outputTokens(), u.cacheReadTokens(), u.cacheWriteTokens(), u.cacheWrite1hTokens(), u.inputTokens() / u.requests(), u.batch());
  }

  /**
   * Exact cost in pico-dollars.
   *
   * @param inputPerRequest the input of one request, which chooses the price tier
   *
   * @throws ArithmeticException if the cost does not fit in a long (more than 9 million dollars)
   */
  public long picos(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h, long inputPerRequest, boolean batch) {
    Level l = base;
    long perRequest = inputPerRequest;
    for (int i = 0; i < thresholds.length; i++) {
      if (perRequest > thresholds[i]) {
        l = tiers[i];
      }
    }
    long uncached = input - cacheRead - cacheWrite;
    long inRate = batch ? l.batchInput : l.input;
    long outRate = batch ? l.batchOutput : l.output;
    long cost = Math.multiplyExact(uncached, inRate);
    cost = Math.addExact(cost, Math.multiplyExact(output, outRate));
    cost = Math.addExact(cost, Math.multiplyExact(cacheRead, l.cacheRead));
    cost = Math.addExact(cost, Math.multiplyExact(cacheWrite - cacheWrite1h, l.cacheWrite));
    return Math.addExact(cost, Math.multiplyExact(cacheWrite1h, l.cacheWrite1h));
  }

  /** Exact cost in pico-dollars of aggregates too large for a long (billions of tokens at high prices). */
  public java.math.BigInteger exactPicos(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h, long inputPerRequest, boolean batch) {
    Level l = base;
    for (int i = 0; i < thresholds.length; i++) {
      if (inputPerRequest > thresholds[i]) {
        l = tiers[i];
      }
    }
    java.math.BigInteger sum = java.math.BigInteger.ZERO;
    long[][] parts = {{input - cacheRead - cacheWrite, batch ? l.batchInput : l.input}, {output, batch ? l.batchOutput : l.output},
        {cacheRead, l.cacheRead}, {cacheWrite - cacheWrite1h, l.cacheWrite}, {cacheWrite1h, l.cacheWrite1h}};
    for (long[] part : parts) {
      sum = sum.add(java.math.BigInteger.valueOf(part[0]).multiply(java.math.BigInteger.valueOf(part[1])));
    }
    return sum;
  }

  /** Pico-dollars per input token (no cache, no batch, base tier). */
  public long inputPicos() {
    return base.input;
  }

  public long outputPicos() {
    return base.output;
  }

  public long cacheReadPicos() {
    return base.cacheRead;
  }

  public long batchInputPicos() {
    return base.batchInput;
  }

  public long batchOutputPicos() {
    return base.batchOutput;
  }
}
