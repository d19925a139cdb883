package dev.maestro.packs.spend.internal;

import java.util.ArrayList;
import java.util.List;

/** Rows that could not be used, counted, with the first ones kept (file, line, reason) for the report. */
public final class Problems {
  public static final int KEPT = 50;

  public record BadRow(String file, long line, String where, String reason) {
    @Override
    public String toString() {
      return file + ":" + line + (where == null ? "" : " (" + where + ")") + ": " + reason;
    }
  }

  private final List<BadRow> kept = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private long count;

  public synchronized void bad(String file, long line, String where, String reason) {
    count++;
    if (kept.size() < KEPT) {
      kept.add(new BadRow(file, line, where, reason));
    }
  }

  public synchronized void warn(String warning) {
    if (!warnings.contains(warning)) {
      warnings.add(warning);
    }
  }

  public synchronized long badRows() {
    return count;
  }

  public synchronized List<BadRow> firstBadRows() {
    return List.copyOf(kept);
  }

  public synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }
}
