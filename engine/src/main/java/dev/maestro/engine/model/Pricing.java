package dev.maestro.engine.model;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What model calls cost, for cost quotas and cost accounting. The spend pack's price catalog is
 * one; without a pack that knows prices, costs are unknown.
 */
@FunctionalInterface
public interface Pricing {
  /** Knows no prices. */
  Pricing NONE = (model, usage) -> Optional.empty();

  /**
   * The cost in US dollars of this usage of the model.
   *
   * @param model a model reference, {@code provider:model}
   * @return empty when the model's price is unknown
   */
  Optional<BigDecimal> cost(String model, Usage usage);
}
