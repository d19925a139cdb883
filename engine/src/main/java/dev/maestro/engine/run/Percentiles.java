package dev.maestro.engine.run;

import java.util.Arrays;

/** Continuous percentiles as SQL's {@code PERCENTILE_CONT} computes them, so the in-memory store agrees with the databases. */
final class Percentiles {
  private Percentiles() {}

  /** The p-th quantile (0-1) of the values, interpolated between the two nearest; 0 for none. */
  static long continuous(double[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double rank = p * (sorted.length - 1);
    int low = (int) Math.floor(rank);
    int high = (int) Math.ceil(rank);
    return Math.round(sorted[low] + (sorted[high] - sorted[low]) * (rank - low));
  }
}
