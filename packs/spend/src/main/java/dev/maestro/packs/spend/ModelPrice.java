package dev.maestro.packs.spend;

import dev.maestro.packs.spend.internal.Rates;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One model at one provider as the pricing catalog knows it: its prices (possibly changing over
 * time), context window and capabilities.
 *
 * @param source where the entry comes from: {@code genai-prices}, {@code litellm} or {@code override}
 * @param contextWindow input tokens the model accepts; null when no catalog says
 * @param periods prices by the date they start, oldest first; the first one starts at null (always)
 */
public record ModelPrice(
    String provider,
    String model,
    String source,
    Long contextWindow,
    Long maxOutputTokens,
    Capabilities capabilities,
    boolean deprecated,
    List<Period> periods) {

  /** Prices in force from {@code since} (inclusive; null for "since always") until the next period. */
  public record Period(LocalDate since, Prices prices) {}

  public ModelPrice {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    capabilities = capabilities == null ? Capabilities.UNKNOWN : capabilities;
    periods = List.copyOf(periods);
    if (periods.isEmpty()) {
      throw new IllegalArgumentException("model " + provider + "/" + model + " has no prices");
    }
  }

  /** The prices in force on a day; the latest ones when {@code day} is null. */
  public Prices prices(LocalDate day) {
    Prices found = periods.getFirst().prices();
    for (Period period : periods) {
      if (period.since() == null || day == null || !day.isBefore(period.since())) {
        found = period.prices();
      }
    }
    return found;
  }

  /** The latest prices. */
  public Prices prices() {
    return prices(null);
  }

  /** Exact cost in US dollars of the usage at the latest prices. */
  public BigDecimal cost(TokenUsage usage) {
    return cost(usage, null);
  }

  /** Exact cost in US dollars of the usage at the prices in force on {@code day}. */
  public BigDecimal cost(TokenUsage usage, LocalDate day) {
    return BigDecimal.valueOf(Rates.of(prices(day)).picos(usage), Rates.SCALE);
  }

  /** {@code provider/model}, the way reports name an entry. */
  public String key() {
    return provider + "/" + model;
  }
}
