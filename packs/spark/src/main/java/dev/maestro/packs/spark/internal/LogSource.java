package dev.maestro.packs.spark.internal;

import java.nio.file.Path;
import java.util.List;

/**
 * One event log as Spark wrote it: one application attempt, in one file or, for rolling logs
 * ({@code eventlog_v2_<appId>/events_<n>_<appId>[.codec]}), in several files read in order.
 *
 * @param name what the user calls it (the file or directory name)
 * @param files the files in reading order
 * @param inProgress whether Spark was still writing it ({@code .inprogress})
 */
public record LogSource(String name, Path location, List<Path> files, boolean inProgress, long compressedBytes) {
  public LogSource {
    files = List.copyOf(files);
  }
}
