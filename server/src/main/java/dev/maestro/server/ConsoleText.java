package dev.maestro.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the console writes numbers, times, durations, tokens and money: short, and the same on every page. */
final class ConsoleText {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** Outputs and arguments longer than this are cut on the page (the API has them whole). */
  static final int LONG_TEXT = 4000;

  private ConsoleText() {}

  /** A time in UTC, to the second: {@code 2026-11-22 10:00:03}. */
  static String time(Instant at) {
    return at == null ? "—" : TIME.format(at);
  }

  /** The time of day in UTC: {@code 10:00:03}. */
  static String clock(Instant at) {
    return at == null ? "—" : CLOCK.format(at);
  }

  /** ISO-8601, for {@code <time datetime>}. */
  static String iso(Instant at) {
    return at == null ? "" : at.toString();
  }

  /** How long ago, roughly: {@code 12 s ago}, {@code 5 min ago}, {@code 3 h ago}, {@code 2 d ago}; or {@code in 40 min} for the future. */
  static String ago(Instant at, Instant now) {
    if (at == null) {
      return "—";
    }
    Duration d = Duration.between(at, now);
    boolean future = d.isNegative();
    d = d.abs();
    String amount = d.toSeconds() < 60 ? d.toSeconds() + " s" : d.toMinutes() < 60 ? d.toMinutes() + " min" : d.toHours() < 48 ? d.toHours() + " h"
        : d.toDays() + " d";
    return future ? "in " + amount : amount + " ago";
  }

  /** A duration in milliseconds as people read it: {@code 850 ms}, {@code 3.2 s}, {@code 4 min 3 s}, {@code 2 h 5 min}. */
  static String ms(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }

  static String duration(Instant from, Instant to) {
    return from == null || to == null ? "—" : ms(Duration.between(from, to).toMillis());
  }

  /** A count with thousands grouped, or shortened past a hundred thousand: {@code 1,234}, {@code 123k}, {@code 4.5M}. */
  static String count(long n) {
    if (n < 100_000) {
      return String.format(Locale.ROOT, "%,d", n);
    }
    if (n < 10_000_000) {
      return n < 1_000_000 ? n / 1000 + "k" : String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }
    return String.format(Locale.ROOT, "%.0fM", n / 1e6);
  }

  /** US dollars, with cents for large sums and more digits for small ones: {@code $12.30}, {@code $0.0042}. */
  static String usd(BigDecimal amount) {
    if (amount == null) {
      return "—";
    }
    if (amount.signum() == 0) {
      return "$0";
    }
    int scale = amount.abs().compareTo(BigDecimal.ONE) >= 0 ? 2 : 4;
    BigDecimal shown = amount.setScale(scale, RoundingMode.HALF_UP);
    if (shown.signum() == 0) {
      return "<$0.0001";
    }
    return "$" + shown.toPlainString();
  }

  static String percent(long part, long whole) {
    return whole == 0 ? "—" : String.format(Locale.ROOT, "%.0f%%", 100.0 * part / whole);
  }

  /** The text, cut to {@link #LONG_TEXT} characters with a note saying how much was left out. */
  static String cut(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= LONG_TEXT ? text
        : text.substring(0, LONG_TEXT) + "\n… " + count(text.length() - LONG_TEXT) + " more characters (the API has the whole text)";
  }

  /** JSON, indented; cut like long text. */
  static String json(JsonNode node) {
    return node == null || node.isNull() ? "" : cut(Json.writePretty(node));
  }

  /** A thought as the model stated it, without the text protocol's {@code Thought:} label the trace already shows. */
  static String thought(String text) {
    return text == null ? "" : text.strip().replaceFirst("(?i)^\\**thought\\**\\s*:\\s*", "");
  }

  /** A short, one-line preview of a longer text. */
  static String preview(String text, int max) {
    if (text == null) {
      return "";
    }
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= max ? line : line.substring(0, max - 1) + "…";
  }
}
