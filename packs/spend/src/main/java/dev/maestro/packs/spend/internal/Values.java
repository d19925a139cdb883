package dev.maestro.packs.spend.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parsing of the values usage exports hold; each failure says what was wrong, for the bad-row report. */
final class Values {
  private Values() {}

  /** A row that cannot be used; its message becomes the bad-row reason. */
  static final class BadValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadValue(String message) {
      super(message, null, false, false);
    }
  }

  static long tokens(String column, String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      long v = Long.parseLong(text.trim());
      if (v < 0) {
        throw new BadValue(column + " is " + v + "; token counts cannot be negative");
      }
      return v;
    } catch (NumberFormatException e) {
      try {
        double d = Double.parseDouble(text.trim());
        if (d >= 0 && d == Math.rint(d) && d < 1e15) {
          return (long) d;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new BadValue(column + " is '" + shorten(text) + "'; expected a whole number of tokens");
    }
  }

  static long requiredTokens(String column, String text) {
    if (text == null || text.isBlank()) {
      throw new BadValue(column + " is empty; every row needs it");
    }
    return tokens(column, text);
  }

  /** ISO-8601 instant or local date-time (taken as UTC), a date, or epoch seconds / milliseconds / microseconds. */
  static long micros(String column, String text) {
    if (text == null || text.isBlank()) {
      throw new BadValue(column + " is empty; every row needs a time");
    }
    String t = text.trim();
    long fast = isoUtcMicros(t);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    try {
      if (t.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch == '.')) {
        double v = Double.parseDouble(t);
        if (v < 1e11) {
          return (long) (v * 1_000_000);
        }
        if (v < 1e14) {
          return (long) (v * 1_000);
        }
        if (v < 1e17) {
          return (long) v;
        }
        return (long) (v / 1_000); // nanoseconds (OTLP)
      }
      Instant instant;
      if (t.length() == 10) {
        instant = LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
      } else {
        String iso = t.replace(' ', 'T');
        char last = iso.charAt(iso.length() - 1);
        boolean zoned = last == 'Z' || last == 'z' || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10;
        if (iso.matches(".*[+-]\\d\\d")) {
          iso = iso + ":00"; // PostgreSQL writes "+00"
        }
        instant = zoned ? OffsetDateTime.parse(iso).toInstant()
            : LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
      }
      return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new BadValue(column + " is '" + shorten(t) + "'; expected an ISO-8601 time such as 2026-01-31T12:00:00Z or epoch seconds");
    }
  }

  /**
   * The common case without the java.time parsers, which cost a microsecond a row at millions of
   * rows: {@code 2026-01-31T12:00:00Z}, optionally with a fraction of a second; Long.MIN_VALUE when
   * the text has another shape.
   */
  static long isoUtcMicros(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || (t.charAt(10) != 'T' && t.charAt(10) != ' ')
        || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int y = digits(t, 0, 4), mo = digits(t, 5, 7), d = digits(t, 8, 10), h = digits(t, 11, 13), mi = digits(t, 14, 16), sec = digits(t, 17, 19);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) {
      return Long.MIN_VALUE;
    }
    long micros = 0;
    if (n > 20) {
      if (t.charAt(19) != '.' || n > 30) {
        return Long.MIN_VALUE;
      }
      int frac = digits(t, 20, n - 1);
      if (frac < 0) {
        return Long.MIN_VALUE;
      }
      micros = frac;
      for (int i = n - 1 - 20; i < 6; i++) {
        micros *= 10;
      }
      for (int i = n - 1 - 20; i > 6; i--) {
        micros /= 10;
      }
    }
    if (d > java.time.Month.of(mo).length(java.time.Year.isLeap(y))) {
      return Long.MIN_VALUE;
    }
    long day = epochDay(y, mo, d);
    return ((day * 86_400 + h * 3_600L + mi * 60L + sec) * 1_000_000) + micros;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
  static long epochDay(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }

  private static int digits(String t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** True for an error status, false for success; an unknown word is a bad value. */
  static boolean error(String text) {
    if (text == null || text.isEmpty() || text.equals("ok")) {
      return false;
    }
    if (text.equals("error")) {
      return true;
    }
    if (text.isBlank()) {
      return false;
    }
    String s = text.trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "ok", "success", "succeeded", "completed", "200", "default", "unset", "0", "1" -> false;
      case "error", "failed", "failure", "timeout", "cancelled", "2" -> true;
      default -> {
        if (s.matches("\\d{3}")) {
          yield Integer.parseInt(s) >= 400;
        }
        throw new BadValue("status is '" + shorten(text) + "'; expected ok, error, or an HTTP status code");
      }
    };
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  /** Checks the normalised convention: cache reads and writes are part of the input. */
  static void checkCache(long input, long cacheRead, long cacheWrite, String inputColumn) {
    if (cacheRead + cacheWrite > input) {
      throw new BadValue("cache reads and writes (" + cacheRead + " + " + cacheWrite + ") exceed " + inputColumn + " (" + input + "); "
          + inputColumn + " must count every input token, cached ones included");
    }
  }
}
