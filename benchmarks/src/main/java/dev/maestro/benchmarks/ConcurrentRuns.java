package dev.maestro.benchmarks;

import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.tool.ToolRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many runs at once, each waiting on a slow model: N runs whose only model call sleeps (1 s by
 * default) before giving a final answer, all started at the same moment from their own virtual
 * threads. The floor is N plain virtual threads that only sleep as long, measured in the same
 * process; the engine's cost is how far above the floor it finishes, and the heap it needs.
 */
public final class ConcurrentRuns {
  private static final String USAGE = """
      usage: ConcurrentRuns [--runs N] [--sleep-ms MS] [--warmup N] [--stores memory,h2,postgres]
        --runs      runs started at once (default 10000)
        --sleep-ms  how long the model takes to answer (default 1000)
        --warmup    runs started at once per store before measuring, so the JIT has compiled the code (default: --runs)
        --stores    which stores (default memory,h2 and postgres when MAESTRO_TEST_POSTGRES_URL is set)
      Run it with a bounded heap (run.sh passes -Xmx1g) to show the bound holds.""";

  // Targets for this machine class (2 cores), from the benchmark's brief.
  private static final double MEMORY_TARGET_SECONDS = 1.5;
  private static final double H2_TARGET_SECONDS = 5.0;
  private static final long HEAP_TARGET_BYTES = 1L << 30;

  private ConcurrentRuns() {}

  public static void main(String[] args) throws Exception {
    Report.quietLogging();
    var options = new Options(args, Set.of("runs", "sleep-ms", "warmup", "stores"), USAGE);
    int runs = options.integer("runs", 10_000, 1);
    int sleepMs = options.integer("sleep-ms", 1000, 0);
    int warmup = options.integer("warmup", runs, 0);
    List<String> kinds = BenchStore.kinds(options.text("stores"));

    System.out.printf(Locale.ROOT, "ConcurrentRuns: %,d runs started at once, each one model call that sleeps %d ms and answers"
        + " (no tools), after a warm-up of %,d runs per store%n", runs, sleepMs, warmup);
    Report.machine();

    var results = new ArrayList<Result>();
    System.out.println("measuring the floor: " + runs + " virtual threads that sleep " + sleepMs + " ms");
    round(runs, () -> sleep(sleepMs)); // warm-up of thread creation
    results.add(measure("floor (sleep)", runs, () -> {
      sleep(sleepMs);
      return true;
    }, null));
    for (String kind : kinds) {
      try (BenchStore store = BenchStore.open(kind)) {
        System.out.println("measuring " + store.name + ": " + store.where);
        ReplayChatModel model = ReplayChatModel.of(List.of(new Turn("Final Answer: done", List.of(), 20, 5, 0, sleepMs)));
        AgentSpec agent = new AgentSpec("waiter", null, null, AgentKind.REACT, "replay:concurrent-runs", "", List.of(), null);
        var phases = new Phases();
        try (RunEngine engine = RunEngine.builder().store(store.runs).tools(new ToolRegistry()).models(model::resolved)
            .listener(phases).build()) {
          if (warmup > 0) {
            var warm = round(warmup, () -> runOnce(engine, agent));
            if (warm.completed() != warmup) {
              throw new IllegalStateException("warm-up on " + store.name + ": only " + warm.completed() + " of " + warmup
                  + " runs completed; first problem: " + warm.problem());
            }
          }
          phases.reset();
          results.add(measure(store.name, runs, () -> runOnce(engine, agent), phases));
        }
      } catch (RuntimeException e) {
        System.out.println("store '" + kind + "' not measured: " + e);
      }
      System.gc();
    }
    print(results, runs);
    System.exit(0);
  }

  /** When the last run_created and run_started events of a round were stored. */
  private static final class Phases implements RunListener {
    final AtomicLong lastCreated = new AtomicLong();
    final AtomicLong lastStarted = new AtomicLong();

    @Override
    public void onEvents(List<RecordedEvent> events) {
      for (RecordedEvent e : events) {
        switch (e.event()) {
          case RunEvent.RunCreated c -> lastCreated.accumulateAndGet(System.nanoTime(), Math::max);
          case RunEvent.RunStarted s -> lastStarted.accumulateAndGet(System.nanoTime(), Math::max);
          default -> {}
        }
      }
    }

    void reset() {
      lastCreated.set(0);
      lastStarted.set(0);
    }
  }

  private static boolean runOnce(RunEngine engine, AgentSpec agent) {
    Run run = engine.start(agent, "wait for the model's answer", RunOptions.DEFAULT).await();
    if (run.status() != RunStatus.COMPLETED) {
      throw new IllegalStateException("run " + run.id() + " ended " + run.status().wire() + ": " + run.error());
    }
    return true;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @FunctionalInterface
  private interface Task {
    boolean call() throws Exception;
  }

  private record Round(long wallNanos, long cpuNanos, int completed, String problem) {}

  private record Result(String name, int runs, Round round, long sampledPeak, long poolPeakSum, long liveAfter,
      double load, long allCreated, long allStarted) {
    double seconds() {
      return round.wallNanos / 1e9;
    }
  }

  private static Result measure(String name, int runs, Task task, Phases phases) {
    HeapSampler.liveAfterGc(); // start from a clean heap, not the previous store's garbage
    Round round;
    HeapSampler heap = HeapSampler.start();
    long t0 = System.nanoTime();
    try {
      round = round(runs, task);
    } finally {
      heap.close();
    }
    long created = phases == null ? -1 : phases.lastCreated.get() - t0;
    long started = phases == null ? -1 : phases.lastStarted.get() - t0;
    long live = HeapSampler.liveAfterGc();
    if (round.completed != runs) {
      System.out.printf(Locale.ROOT, "  %s: only %,d of %,d completed; first problem: %s%n", name, round.completed, runs, round.problem);
    }
    return new Result(name, runs, round, heap.sampledPeak(), heap.poolPeakSum(), live, Report.loadAverage(), created, started);
  }

  /** Starts every task at once, each on its own virtual thread, and waits until all have ended. */
  private static Round round(int n, Task task) {
    var completed = new AtomicInteger();
    var problem = new AtomicReference<String>();
    var lastEnd = new AtomicLong();
    long cpu0 = Report.processCpuNanos();
    long t0 = System.nanoTime();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        threads.execute(() -> {
          try {
            if (task.call()) {
              completed.incrementAndGet();
            }
          } catch (Exception e) {
            problem.compareAndSet(null, e.toString());
          }
          lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
        });
      }
    } // close() waits for every thread to end
    return new Round(lastEnd.get() - t0, Report.processCpuNanos() - cpu0, completed.get(), problem.get());
  }

  private static Round round(int n, Runnable task) {
    return round(n, () -> {
      task.run();
      return true;
    });
  }

  private static void print(List<Result> results, int runs) {
    Result floor = results.getFirst();
    System.out.println();
    System.out.println("Wall: from starting the first thread until the last run ended. All created / all started: when the"
        + " last run_created / run_started event was stored (each run's model call begins after its run_started)."
        + " Peak heap: sampled = heap in use, sampled every 10 ms (garbage not yet collected included); pools = sum of the"
        + " heap pools' peaks (an upper bound). Live after = heap in use after a"
        + " full GC once all runs ended (the in-memory store still holds every run's log). CPU s: process CPU time"
        + " during the round, all threads. Load: 1-minute load average after the round.");
    var table = new Report.Table("store", "runs", "completed", "wall s", "all created s", "all started s", "runs/s", "vs floor",
        "above floor ms", "CPU s", "load", "peak heap sampled", "peak heap pools", "live after");
    for (Result r : results) {
      table.row(r.name, r.runs, r.round.completed(), Report.fixed(r.seconds(), 3),
          r.allCreated < 0 ? "-" : Report.fixed(r.allCreated / 1e9, 3), r.allStarted < 0 ? "-" : Report.fixed(r.allStarted / 1e9, 3),
          Report.fixed(r.runs / r.seconds(), 0),
          Report.fixed(r.seconds() / floor.seconds(), 3) + "x", Report.fixed((r.round.wallNanos() - floor.round.wallNanos()) / 1e6, 0),
          Report.fixed(r.round.cpuNanos() / 1e9, 2), Report.fixed(r.load, 1),
          Report.mib(r.sampledPeak), Report.mib(r.poolPeakSum), Report.mib(r.liveAfter));
    }
    table.print();
    System.out.println();
    System.out.println("Targets (2-core machine; informational; max heap " + Report.mib(Runtime.getRuntime().maxMemory()) + "):");
    check(results, "in-memory", "in-memory: all " + runs + " finished within 1.5 s", MEMORY_TARGET_SECONDS);
    check(results, "H2 file", "H2: all " + runs + " finished within 5 s", H2_TARGET_SECONDS);
    long peak = results.stream().skip(1).mapToLong(Result::sampledPeak).max().orElse(0);
    Report.target("peak heap < 1 GiB (sampled heap in use, worst store)", Report.mib(peak), peak < HEAP_TARGET_BYTES);
  }

  private static void check(List<Result> results, String store, String what, double seconds) {
    results.stream().filter(r -> r.name.equals(store)).findFirst().ifPresentOrElse(
        r -> Report.target(what, Report.fixed(r.seconds(), 3) + " s, " + r.round.completed() + " completed",
            r.seconds() <= seconds && r.round.completed() == r.runs),
        () -> System.out.println("  ----  " + what + " (not measured: store not selected)"));
  }
}
