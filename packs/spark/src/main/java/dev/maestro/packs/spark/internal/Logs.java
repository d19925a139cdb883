package dev.maestro.packs.spark.internal;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.MaestroException;
import dev.maestro.packs.spark.SparkSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Reads logs in parallel, groups the attempts of each application and analyses each application.
 * One unreadable log among many becomes an error entry; the others are still analysed.
 */
public final class Logs {
  private Logs() {}

  /**
   * The analysis of one application, or why one log could not be read.
   *
   * @param replay re-runs the executor simulation for other executor counts; null unless asked for
   *     (it keeps the per-task arrays of the log in memory)
   */
  public record Result(String source, Report report, String error, Replay replay) {}

  /** The executor simulation of one analysed application, for chosen executor counts. */
  public interface Replay {
    Report.Simulation simulate(List<Integer> executorCounts);
  }

  /** What was found at the paths: their logs and the files skipped. */
  public record Found(List<LogSource> logs, List<String> skipped) {
    public long compressedBytes() {
      return logs.stream().mapToLong(LogSource::compressedBytes).sum();
    }
  }

  public static Found find(List<Path> paths) {
    List<String> skipped = new ArrayList<>();
    List<LogSource> logs = LogDiscovery.find(paths, skipped);
    return new Found(logs, List.copyOf(skipped));
  }

  /**
   * Analyses the logs found.
   *
   * @param threads how many logs to read at once
   * @param progress told of compressed bytes read, from several threads
   * @throws InvalidInputException when there is a single log and it cannot be read
   */
  public static List<Result> analyze(Found found, SparkSettings settings, int threads, LongConsumer progress) {
    return analyze(found, settings, threads, progress, false);
  }

  /** As {@link #analyze(Found, SparkSettings, int, LongConsumer)}, keeping a {@link Replay} per application if asked. */
  public static List<Result> analyze(Found found, SparkSettings settings, int threads, LongConsumer progress, boolean keepReplay) {
    List<LogSource> logs = found.logs();
    List<Object> parsed = new ArrayList<>(); // AppData or MaestroException, in the order of logs
    if (logs.size() == 1 || threads <= 1) {
      for (LogSource log : logs) {
        parsed.add(parseOrError(log, progress, logs.size() == 1));
      }
    } else {
      try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, logs.size()))) {
        List<Future<Object>> futures = new ArrayList<>();
        for (LogSource log : logs) {
          futures.add(pool.submit(() -> parseOrError(log, progress, false)));
        }
        for (Future<Object> f : futures) {
          parsed.add(f.get());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MaestroException("interrupted while reading event logs", e);
      } catch (ExecutionException e) {
        throw new MaestroException("reading an event log failed: " + e.getCause(), e.getCause());
      }
    }
    // group attempts by application id; logs without one stand alone
    Map<String, List<AppData>> apps = new LinkedHashMap<>();
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < logs.size(); i++) {
      Object p = parsed.get(i);
      if (p instanceof AppData app) {
        // attempts of one application share its id and differ in attempt id; two logs of the same
        // attempt (copies) stay apart
        String key = app.appId != null ? app.appId : "log:" + logs.get(i).location();
        int copy = 0;
        while (apps.containsKey(key + "#" + copy)
            && apps.get(key + "#" + copy).stream().anyMatch(a -> java.util.Objects.equals(a.attemptId, app.attemptId))) {
          copy++;
        }
        apps.computeIfAbsent(key + "#" + copy, k -> new ArrayList<>()).add(app);
      } else {
        results.add(new Result(logs.get(i).location().toString(), null, ((MaestroException) p).getMessage(), null));
      }
    }
    for (List<AppData> attempts : apps.values()) {
      attempts.sort(Comparator.comparingLong((AppData a) -> a.startTime).thenComparing(a -> a.attemptId == null ? "" : a.attemptId));
      AppData last = attempts.getLast();
      Replay replay = null;
      if (keepReplay) {
        Simulator.Resources res = Simulator.Resources.of(last);
        replay = counts -> Simulator.simulate(last, res, counts);
      }
      results.add(new Result(last.source.location().toString(), Analyzer.analyze(attempts, settings), null, replay));
    }
    return results;
  }

  private static Object parseOrError(LogSource log, LongConsumer progress, boolean rethrow) {
    try {
      return EventParser.parse(log, progress);
    } catch (MaestroException e) {
      if (rethrow) {
        throw e;
      }
      return e;
    }
  }
}
