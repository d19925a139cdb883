package dev.maestro.engine.run;

import dev.maestro.engine.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which runs to count together for a dashboard ({@link RunStore#aggregate}): those created in
 * {@code [since, until)}, grouped by time bucket and, optionally, by agent, model and status.
 *
 * @param bucket the width of each time bucket, a whole number of seconds, at least a minute; buckets
 *     start at {@code since}. Null counts the whole window as one group
 * @param byAgent group by agent too
 * @param byModel group by model reference too
 * @param byStatus group by status too
 */
public record RunAggregateQuery(Instant since, Instant until, Duration bucket, boolean byAgent, boolean byModel, boolean byStatus) {
  /** The most buckets one query may ask for: a chart has no room for more. */
  public static final int MAX_BUCKETS = 1000;

  public RunAggregateQuery {
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    if (!since.isBefore(until)) {
      throw new InvalidInputException("since " + since + " is not before until " + until + "; no run can match");
    }
    if (bucket != null) {
      if (bucket.compareTo(Duration.ofMinutes(1)) < 0 || bucket.getNano() != 0) {
        throw new InvalidInputException("bucket " + bucket + " must be a whole number of seconds, at least a minute");
      }
      long buckets = Duration.between(since, until).toSeconds() / bucket.toSeconds();
      if (buckets > MAX_BUCKETS) {
        throw new InvalidInputException("the window from " + since + " to " + until + " holds " + buckets + " buckets of " + bucket
            + "; ask for at most " + MAX_BUCKETS + " (a wider bucket or a shorter window)");
      }
    }
  }

  /** Every run of the window, in one group. */
  public static RunAggregateQuery total(Instant since, Instant until) {
    return new RunAggregateQuery(since, until, null, false, false, false);
  }

  /** The start of the bucket a run created at this instant falls in; {@code since} without buckets. */
  public Instant bucketOf(Instant createdAt) {
    if (bucket == null) {
      return since;
    }
    long seconds = Math.floorDiv(Duration.between(since, createdAt).toSeconds(), bucket.toSeconds());
    return since.plusSeconds(seconds * bucket.toSeconds());
  }
}
