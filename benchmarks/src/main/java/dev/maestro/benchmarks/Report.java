package dev.maestro.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Plain-text output shared by the benchmarks: the machine, aligned tables, percentiles and target checks. */
final class Report {
  private Report() {}

  /** Quiets the libraries' INFO logging (Flyway, Hikari); must run before any logger is created. */
  static void quietLogging() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
  }

  static void machine() {
    Runtime rt = Runtime.getRuntime();
    var os = ManagementFactory.getOperatingSystemMXBean();
    String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(g -> g.getName()).collect(Collectors.joining(", "));
    System.out.printf(Locale.ROOT, "JVM: %s %s, max heap %s, GC: %s%n", System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), mib(rt.maxMemory()), gcs);
    System.out.printf(Locale.ROOT, "machine: %d CPUs, load average at start %.2f (%s %s)%n", rt.availableProcessors(),
        os.getSystemLoadAverage(), os.getName(), os.getArch());
  }

  /** CPU time this process has used so far, all threads, in nanoseconds; -1 when the JVM cannot tell. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, nanos < 10_000_000 ? "%.3f" : "%.1f", nanos / 1e6);
  }

  static String fixed(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static long[] sorted(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  /** A table printed with columns right-aligned (the first left-aligned). */
  static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
      rows.add(header);
    }

    Table row(Object... cells) {
      rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
      return this;
    }

    void print() {
      int cols = rows.getFirst().length;
      int[] width = new int[cols];
      for (String[] r : rows) {
        for (int c = 0; c < cols; c++) {
          width[c] = Math.max(width[c], r[c].length());
        }
      }
      for (int i = 0; i < rows.size(); i++) {
        var line = new StringBuilder();
        for (int c = 0; c < cols; c++) {
          String cell = rows.get(i)[c];
          String pad = " ".repeat(width[c] - cell.length());
          line.append(c == 0 ? cell + pad : "  " + pad + cell);
        }
        System.out.println(line.toString().stripTrailing());
        if (i == 0) {
          System.out.println("-".repeat(line.length()));
        }
      }
    }
  }

  /** Prints one target, its measured value and PASS or MISS; informational, never an exit status. */
  static void target(String what, String measured, boolean met) {
    System.out.printf(Locale.ROOT, "  %-4s  %s (measured: %s)%n", met ? "PASS" : "MISS", what, measured);
  }
}
