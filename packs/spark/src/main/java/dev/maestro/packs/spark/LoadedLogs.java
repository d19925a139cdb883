package dev.maestro.packs.spark;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.packs.spark.internal.Logs;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The logs the tools have read, so that a conversation about one log parses it once. Bounded: the
 * least recently used analysis is dropped past {@link #CAPACITY}. A log whose file changed since
 * (size or modification time) is read again.
 */
final class LoadedLogs {
  static final int CAPACITY = 8;

  private record Key(Path path, long size, long modified) {}

  private final SparkSettings settings;
  private final Map<Key, Logs.Result> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Logs.Result> eldest) {
      return size() > CAPACITY;
    }
  };

  LoadedLogs(SparkSettings settings) {
    this.settings = settings;
  }

  /**
   * Tools are driven by a model, so they read only under the run's working directory and the
   * directories {@code packs.spark.log_dirs} names, by real path (a symbolic link cannot lead out).
   */
  private void requireAllowed(Path real, String given, ToolContext context) {
    var roots = new java.util.ArrayList<Path>();
    if (context != null && context.workdir() != null) {
      roots.add(context.workdir());
    }
    roots.addAll(settings.logDirs());
    for (Path root : roots) {
      try {
        if (real.startsWith(root.toRealPath())) {
          return;
        }
      } catch (java.io.IOException e) {
        // a configured directory that does not exist allows nothing
      }
    }
    throw new ToolException("'" + given + "' is outside the run's working directory" + (settings.logDirs().isEmpty() ? "" : " and " + settings.logDirs())
        + "; the Spark tools read event logs there only (an operator can add directories with packs.spark.log_dirs)");
  }

  /**
   * The analysis of the one application at {@code given}, resolved against the run's working
   * directory when relative.
   *
   * @throws ToolException when the path is missing, holds several applications or is no event log
   */
  Logs.Result load(String given, ToolContext context) {
    Path path;
    try {
      path = Path.of(given);
      if (!path.isAbsolute() && context != null && context.workdir() != null) {
        path = context.workdir().resolve(path);
      }
      path = path.toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ToolException("'" + given + "' is not a valid path");
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (java.io.IOException e) {
      throw new ToolException("there is no event log at '" + given + "'; give the path of a Spark event log file or eventlog_v2_* directory");
    }
    requireAllowed(real, given, context);
    Key key;
    try {
      key = new Key(path, Files.isDirectory(path) ? -1 : Files.size(path), Files.getLastModifiedTime(path).toMillis());
    } catch (java.io.IOException e) {
      throw new ToolException("there is no event log at '" + given + "'; give the path of a Spark event log file or eventlog_v2_* directory");
    }
    synchronized (cache) {
      Logs.Result hit = cache.get(key);
      if (hit != null) {
        return hit;
      }
    }
    List<Logs.Result> results;
    try {
      results = Logs.analyze(Logs.find(List.of(path)), settings, 1, n -> {}, true);
    } catch (InvalidInputException e) {
      throw new ToolException(e.getMessage());
    }
    if (results.size() != 1) {
      throw new ToolException("'" + given + "' holds " + results.size() + " applications; give the path of one of them: "
          + results.stream().limit(10).map(Logs.Result::source).toList());
    }
    Logs.Result result = results.getFirst();
    if (result.error() != null) {
      throw new ToolException(result.error());
    }
    synchronized (cache) {
      cache.put(key, result);
    }
    return result;
  }
}
