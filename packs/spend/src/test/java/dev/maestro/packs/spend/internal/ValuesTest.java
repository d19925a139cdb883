package dev.maestro.packs.spend.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The hand-written fast path for ISO-8601 UTC times must agree with java.time. */
class ValuesTest {

  private static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
  }

  @Test
  void fast_iso_times_agree_with_java_time() {
    for (String t : new String[] {"2026-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "1999-12-31T12:34:56.7Z", "2026-07-04T01:02:03.123Z",
        "2026-07-04T01:02:03.123456Z", "2026-07-04T01:02:03.123456789Z", "1970-01-01T00:00:00Z", "2100-03-01T00:00:00Z"}) {
      assertThat(Values.isoUtcMicros(t)).as(t).isEqualTo(micros(Instant.parse(t)));
      assertThat(Values.micros("ts", t)).as(t).isEqualTo(micros(Instant.parse(t)));
    }
  }

  @Test
  void other_shapes_go_through_java_time_and_impossible_dates_are_refused() {
    assertThat(Values.isoUtcMicros("2026-01-01T00:00:00+02:00")).isEqualTo(Long.MIN_VALUE);
    assertThat(Values.micros("ts", "2026-01-01T02:00:00+02:00")).isEqualTo(micros(Instant.parse("2026-01-01T00:00:00Z")));
    assertThat(Values.micros("ts", "2026-01-01 10:00:00.000+00")).isEqualTo(micros(Instant.parse("2026-01-01T10:00:00Z")));
    assertThat(Values.micros("ts", "1767225600")).isEqualTo(micros(Instant.parse("2026-01-01T00:00:00Z")));
    assertThat(Values.isoUtcMicros("2026-02-30T00:00:00Z")).isEqualTo(Long.MIN_VALUE);
    assertThatThrownBy(() -> Values.micros("timestamp", "2026-02-30T00:00:00Z")).hasMessageContaining("timestamp is '2026-02-30T00:00:00Z'");
  }
}
