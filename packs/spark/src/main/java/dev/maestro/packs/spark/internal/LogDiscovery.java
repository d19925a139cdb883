package dev.maestro.packs.spark.internal;

import dev.maestro.engine.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Turns the paths a user gives into the event logs they hold. */
public final class LogDiscovery {
  private static final Pattern ROLLING_FILE = Pattern.compile("events_(\\d+)_.*");
  private static final int MAX_DEPTH = 4;

  private LogDiscovery() {}

  /**
   * Finds the event logs under the given paths: a file is one log; an {@code eventlog_v2_*}
   * directory is one rolling log; any other directory is searched (a few levels deep) for logs,
   * skipping files whose extension is no codec (listed in {@code skipped}).
   *
   * @throws InvalidInputException if a path does not exist, a file given by name has an unknown
   *     extension, or a directory holds no event log
   */
  public static List<LogSource> find(List<Path> paths, List<String> skipped) {
    List<LogSource> logs = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new InvalidInputException("'" + path + "' does not exist; give an event log file or a directory of event logs (spark.eventLog.dir)");
      }
      if (Files.isDirectory(path)) {
        int before = logs.size();
        scan(path, 0, logs, skipped);
        if (logs.size() == before) {
          throw new InvalidInputException("'" + path + "' holds no Spark event log (looked for files with extension " + Codec.supported()
              + " and eventlog_v2_* directories)");
        }
      } else {
        checkExtension(path);
        logs.add(single(path));
      }
    }
    return logs;
  }

  private static void scan(Path dir, int depth, List<LogSource> logs, List<String> skipped) {
    if (isRollingDir(dir)) {
      logs.add(rolling(dir));
      return;
    }
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list '" + dir + "': " + e.getMessage(), e);
    }
    for (Path child : children) {
      String name = child.getFileName().toString();
      if (name.startsWith(".") || name.startsWith("appstatus_") || name.endsWith(".crc")) {
        continue;
      }
      if (Files.isDirectory(child)) {
        if (depth < MAX_DEPTH) {
          scan(child, depth + 1, logs, skipped);
        }
      } else if (Files.isRegularFile(child)) {
        if (extensionError(child) != null) {
          skipped.add(child + ": " + extensionError(child));
        } else {
          logs.add(single(child));
        }
      }
    }
  }

  static boolean isRollingDir(Path dir) {
    return Files.isDirectory(dir) && dir.getFileName() != null && dir.getFileName().toString().startsWith("eventlog_v2_");
  }

  private static LogSource single(Path file) {
    String name = file.getFileName().toString();
    return new LogSource(name, file, List.of(file), name.endsWith(".inprogress"), size(file));
  }

  private static LogSource rolling(Path dir) {
    List<Path> files = new ArrayList<>();
    boolean inProgress = false;
    try (Stream<Path> list = Files.list(dir)) {
      for (Path f : list.toList()) {
        String name = f.getFileName().toString();
        if (name.startsWith("appstatus_")) {
          inProgress = name.endsWith(".inprogress");
        } else if (ROLLING_FILE.matcher(name).matches() && Files.isRegularFile(f)) {
          checkExtension(f);
          files.add(f);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list '" + dir + "': " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new InvalidInputException("rolling event log directory '" + dir + "' holds no events_<n>_<appId> file");
    }
    files.sort(Comparator.comparingLong(LogDiscovery::rollingIndex));
    long bytes = files.stream().mapToLong(LogDiscovery::size).sum();
    return new LogSource(dir.getFileName().toString(), dir, files, inProgress, bytes);
  }

  private static long rollingIndex(Path file) {
    Matcher m = ROLLING_FILE.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }

  /** The codec a log file's name says, after removing {@code .inprogress}. */
  public static Codec codecOf(Path file) {
    String ext = extension(file);
    return ext.isEmpty() ? Codec.NONE : Codec.forExtension(ext).orElse(Codec.NONE);
  }

  private static String extension(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".inprogress")) {
      name = name.substring(0, name.length() - ".inprogress".length());
    }
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1);
  }

  private static String extensionError(Path file) {
    String ext = extension(file);
    if (ext.isEmpty() || Codec.forExtension(ext).isPresent() || PLAIN.contains(ext.toLowerCase(java.util.Locale.ROOT))) {
      return null;
    }
    return "unknown extension '." + ext + "'; Spark event logs have one of " + Codec.supported();
  }

  // Names people give plain copies of logs; Spark's own names have no dot besides the codec's.
  private static final List<String> PLAIN = List.of("json", "jsonl", "log", "txt");

  private static void checkExtension(Path file) {
    String error = extensionError(file);
    if (error != null) {
      throw new InvalidInputException("cannot read '" + file + "': " + error);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
