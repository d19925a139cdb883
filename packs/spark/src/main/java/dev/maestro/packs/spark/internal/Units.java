package dev.maestro.packs.spark.internal;

import java.util.Locale;

/** Human-readable sizes and durations for evidence and reports. */
public final class Units {
  static final long MB = 1024L * 1024;
  static final long GB = 1024L * MB;

  private Units() {}

  public static String bytes(long b) {
    if (b >= GB) {
      return String.format(Locale.ROOT, "%.1f GiB", b / (double) GB);
    }
    if (b >= MB) {
      return String.format(Locale.ROOT, "%.1f MiB", b / (double) MB);
    }
    if (b >= 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return b + " B";
  }

  public static String millis(long ms) {
    if (ms >= 3_600_000) {
      return String.format(Locale.ROOT, "%.1f h", ms / 3_600_000.0);
    }
    if (ms >= 60_000) {
      return String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
    }
    if (ms >= 1000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return ms + " ms";
  }

  public static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
  }

  /** Spark's memory strings ("4g", "512m", "2048" in MiB) in MiB; -1 if unreadable. */
  static long mebibytes(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("b")) {
        v = v.substring(0, v.length() - 1);
      }
      char unit = v.charAt(v.length() - 1);
      if (Character.isDigit(unit)) {
        return Long.parseLong(v);
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (unit) {
        case 'k' -> n / 1024;
        case 'm' -> n;
        case 'g' -> n * 1024;
        case 't' -> n * 1024 * 1024;
        default -> -1;
      };
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
