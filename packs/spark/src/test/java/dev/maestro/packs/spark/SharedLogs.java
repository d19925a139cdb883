package dev.maestro.packs.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The real event logs under ../shared/data/spark-eventlogs; tests using them skip with a notice when absent. */
public final class SharedLogs {
  private SharedLogs() {}

  public static Path dir() {
    Path start = Path.of("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      for (Path candidate : new Path[] {p.resolve("shared/data/spark-eventlogs"), p.resolve("../shared/data/spark-eventlogs")}) {
        if (Files.isDirectory(candidate)) {
          return candidate.normalize();
        }
      }
    }
    String fallback = System.getenv("MAESTRO_SPARK_EVENTLOGS");
    if (fallback != null && Files.isDirectory(Path.of(fallback))) {
      return Path.of(fallback);
    }
    return null;
  }

  /** The folder, or the test is skipped with a visible notice. */
  public static Path require() {
    Path dir = dir();
    if (dir == null) {
      System.err.println("NOTICE: shared/data/spark-eventlogs not found next to the project; skipping tests on real Spark event logs");
    }
    Assumptions.assumeTrue(dir != null, "shared/data/spark-eventlogs is absent: tests on real Spark event logs are skipped");
    return dir;
  }
}
