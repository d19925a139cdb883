package dev.maestro.packs.spend;

import java.math.BigDecimal;
import java.util.List;

/**
 * Prices of one model at one provider, in US dollars per million tokens. A null price is one the
 * catalog does not know: cache reads and writes then cost the input price, and batch requests the
 * provider's documented batch discount, if any.
 *
 * @param tiers prices that replace these ones for every token of a request whose input exceeds a
 *     threshold (the "cliff" model Anthropic, Google and OpenAI use for long contexts), by threshold
 */
public record Prices(
    BigDecimal input,
    BigDecimal output,
    BigDecimal cacheRead,
    BigDecimal cacheWrite,
    BigDecimal cacheWrite1h,
    BigDecimal batchInput,
    BigDecimal batchOutput,
    List<Tier> tiers) {

  public Prices {
    tiers = tiers == null ? List.of() : List.copyOf(tiers);
  }

  /** Prices that apply to requests with more than {@code aboveInputTokens} input tokens. */
  public record Tier(long aboveInputTokens, BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {}
}
