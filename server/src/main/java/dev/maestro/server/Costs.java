package dev.maestro.server;

import dev.maestro.engine.model.Pricing;
import dev.maestro.engine.model.Usage;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunAggregate;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What runs cost, from the engine's {@link Pricing} (the spend pack's catalog when installed):
 * cost is linear in tokens, so sums of tokens per model price the same as their runs one by one.
 */
record Costs(Pricing pricing) {

  /**
   * A sum of costs and the models it could not price.
   *
   * @param amount the cost of what could be priced; null when nothing could
   */
  record Total(BigDecimal amount, Set<String> unpriced) {
    /** The amount for the console: {@code —} when unknown, marked {@code +} when some models have no price. */
    String shown() {
      return amount == null ? "—" : ConsoleText.usd(amount) + (unpriced.isEmpty() ? "" : "+");
    }

    double value() {
      return amount == null ? 0 : amount.doubleValue();
    }
  }

  Optional<BigDecimal> of(String model, long inputTokens, long outputTokens, long cachedTokens) {
    if (model == null || inputTokens + outputTokens == 0) {
      return Optional.empty();
    }
    try {
      return pricing.cost(model, new Usage(inputTokens, outputTokens, cachedTokens));
    } catch (RuntimeException e) {
      return Optional.empty(); // a model reference the catalog cannot read has no known price
    }
  }

  /** The run's cost: {@code —} when its model has no known price. */
  String of(Run run) {
    return of(run.model(), run.inputTokens(), run.outputTokens(), run.cachedTokens()).map(ConsoleText::usd).orElse("—");
  }

  Optional<BigDecimal> value(Run run) {
    return of(run.model(), run.inputTokens(), run.outputTokens(), run.cachedTokens());
  }

  /** The cost of aggregates grouped by model (a group without a model, or an unknown one, is left out and named). */
  Total of(Collection<RunAggregate> byModel) {
    BigDecimal sum = null;
    var unpriced = new TreeSet<String>();
    for (RunAggregate a : byModel) {
      if (a.totalTokens() == 0) {
        continue;
      }
      Optional<BigDecimal> cost = of(a.model(), a.inputTokens(), a.outputTokens(), a.cachedTokens());
      if (cost.isPresent()) {
        sum = sum == null ? cost.get() : sum.add(cost.get());
      } else {
        unpriced.add(String.valueOf(a.model()));
      }
    }
    return new Total(sum, unpriced);
  }
}
