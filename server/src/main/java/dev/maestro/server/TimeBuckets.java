package dev.maestro.server;

import dev.maestro.engine.run.RunAggregate;
import dev.maestro.engine.run.RunAggregateQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The time axis of a chart: {@code count} buckets of {@code width}, aligned to UTC (whole hours,
 * whole days), the last one holding now.
 */
record TimeBuckets(Instant since, Duration width, int count) {
  private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  static TimeBuckets ending(Instant now, Duration width, int count) {
    long w = width.toSeconds();
    long current = Math.floorDiv(now.getEpochSecond(), w) * w;
    return new TimeBuckets(Instant.ofEpochSecond(current - (count - 1) * w), width, count);
  }

  Instant until() {
    return since.plus(width.multipliedBy(count));
  }

  RunAggregateQuery query(boolean byAgent, boolean byModel, boolean byStatus) {
    return new RunAggregateQuery(since, until(), width, byAgent, byModel, byStatus);
  }

  /** The whole window as one group. */
  RunAggregateQuery total(boolean byAgent, boolean byModel, boolean byStatus) {
    return new RunAggregateQuery(since, until(), null, byAgent, byModel, byStatus);
  }

  List<String> labels() {
    var labels = new ArrayList<String>(count);
    for (int i = 0; i < count; i++) {
      labels.add(LABEL.format(since.plus(width.multipliedBy(i))));
    }
    return labels;
  }

  /** The values of the rows that pass the filter, summed per bucket. */
  double[] sum(List<RunAggregate> rows, Predicate<RunAggregate> filter, ToDoubleFunction<RunAggregate> value) {
    double[] sums = new double[count];
    for (RunAggregate a : rows) {
      int i = (int) (Duration.between(since, a.bucket()).toSeconds() / width.toSeconds());
      if (i >= 0 && i < count && filter.test(a)) {
        sums[i] += value.applyAsDouble(a);
      }
    }
    return sums;
  }
}
