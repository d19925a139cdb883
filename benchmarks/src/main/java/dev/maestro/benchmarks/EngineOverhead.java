package dev.maestro.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.agent.Limits;
import dev.maestro.engine.model.ReplayChatModel;
import dev.maestro.engine.model.ReplayChatModel.Turn;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEngine;
import dev.maestro.engine.run.RunEvent.ModelCalled;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunOptions;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolRegistry;
import dev.maestro.engine.tool.ToolSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Engine overhead per reasoning step, with a model and a tool that take no time: runs of many
 * sequential steps (each a model turn calling a no-op tool; the last a final answer), one run at a
 * time, on each store. Prints persisted steps per second, per-step latency and time spent in the
 * store, and the ratio of each store to the in-memory store measured in the same process.
 */
public final class EngineOverhead {
  private static final String USAGE = """
      usage: EngineOverhead [--steps N] [--runs N] [--warmup N] [--stores memory,h2,postgres]
        --steps   model turns per run, the last one a final answer (default 1000, at most 1000)
        --runs    measured runs per store, one after another (default 5)
        --warmup  runs per store before measuring (default 1)
        --stores  which stores, the first being the baseline (default memory,h2 and postgres when
                  MAESTRO_TEST_POSTGRES_URL is set)""";

  // Targets for this machine class (2 cores), from the benchmark's brief.
  private static final double H2_TARGET_STEPS_PER_S = 2_000;
  private static final double POSTGRES_TARGET_STEPS_PER_S = 500;
  private static final int EDGE = 100; // steps at each end of a run compared to show growth with history

  private EngineOverhead() {}

  public static void main(String[] args) {
    Report.quietLogging();
    var options = new Options(args, Set.of("steps", "runs", "warmup", "stores"), USAGE);
    int steps = Math.min(options.integer("steps", 1000, 2), 1000);
    int runs = options.integer("runs", 5, 1);
    int warmup = options.integer("warmup", 1, 0);
    List<String> kinds = BenchStore.kinds(options.text("stores"));

    System.out.printf(Locale.ROOT, "EngineOverhead: %d run(s) of %d steps per store, one at a time, after %d warm-up run(s);"
        + " a step = replay model turn + no-op tool call%n", runs, steps, warmup);
    Report.machine();
    var results = new ArrayList<Result>();
    for (String kind : kinds) {
      try (BenchStore store = BenchStore.open(kind)) {
        System.out.println("measuring " + store.name + ": " + store.where);
        results.add(measure(store, steps, runs, warmup));
      } catch (RuntimeException e) {
        System.out.println("store '" + kind + "' not measured: " + e);
      }
      System.gc();
    }
    if (results.isEmpty()) {
      System.out.println("nothing was measured");
      System.exit(1);
    }
    print(results);
    System.exit(0);
  }

  private record Result(String store, long steps, long wallNanos, long cpuNanos, double load, long[] stepNanos, long[] appendNanos,
      double earlyMean, double lateMean) {
    double stepsPerSecond() {
      return steps / (wallNanos / 1e9);
    }

    double storeShare() {
      return Arrays.stream(appendNanos).sum() / (double) wallNanos;
    }
  }

  private static Result measure(BenchStore store, int steps, int runs, int warmup) {
    var timed = new TimedRunStore(store.runs);
    var clock = new StepClock(steps);
    ReplayChatModel model = ReplayChatModel.of(transcript(steps));
    AgentSpec agent = new AgentSpec("overhead", null, null, AgentKind.REACT, "replay:engine-overhead", "",
        List.of(NoopTool.NAME), new Limits(steps, null, null));
    try (RunEngine engine = RunEngine.builder()
        .store(timed)
        .tools(new ToolRegistry(List.of(new NoopTool())))
        .models(model::resolved)
        .listener(clock)
        .build()) {
      for (int i = 0; i < warmup; i++) {
        runOnce(engine, agent, steps);
      }
      timed.reset();
      clock.reset();
      long total = 0;
      long cpu0 = Report.processCpuNanos();
      long t0 = System.nanoTime();
      for (int i = 0; i < runs; i++) {
        total += runOnce(engine, agent, steps);
      }
      long wall = System.nanoTime() - t0;
      long cpu = Report.processCpuNanos() - cpu0;
      return new Result(store.name, total, wall, cpu, Report.loadAverage(), Report.sorted(clock.intervals()), Report.sorted(timed.appendNanos()),
          clock.meanOfSteps(2, EDGE + 1), clock.meanOfSteps(steps - EDGE + 1, steps));
    }
  }

  private static int runOnce(RunEngine engine, AgentSpec agent, int steps) {
    Run run = engine.start(agent, "call the no-op tool until told to stop", RunOptions.DEFAULT).await();
    if (run.status() != RunStatus.COMPLETED || run.steps() != steps) {
      throw new IllegalStateException("run " + run.id() + " ended " + run.status().wire() + " after " + run.steps()
          + " steps (expected completed after " + steps + "): " + run.error());
    }
    return run.steps();
  }

  /** steps - 1 turns calling the no-op tool, then a final answer. */
  static List<Turn> transcript(int steps) {
    JsonNode noArguments = JsonNodeFactory.instance.objectNode();
    var turns = new ArrayList<Turn>(steps);
    for (int i = 1; i < steps; i++) {
      turns.add(Turn.call(NoopTool.NAME, noArguments));
    }
    turns.add(Turn.text("Final Answer: done"));
    return turns;
  }

  private static void print(List<Result> results) {
    Result base = results.getFirst();
    System.out.println();
    System.out.println("Per step: time between consecutive model_called events of a run, as the run listener is told of them"
        + " (model turn + tool call + their appends). Time in store: share of the wall time spent inside RunStore.append."
        + " CPU/step: process CPU time (all threads, GC included) per step. Load: 1-minute load average after the store's runs."
        + " Ratios are to " + base.store + ", measured above in this process.");
    var table = new Report.Table("store", "steps", "wall s", "steps/s", "step p50 ms", "step p99 ms",
        "append p50 ms", "append p99 ms", "appends/step", "time in store", "CPU/step ms", "load", "steps/s vs base", "p50 vs base");
    for (Result r : results) {
      long p50 = Report.percentile(r.stepNanos, 50);
      table.row(r.store, r.steps, Report.fixed(r.wallNanos / 1e9, 2), Report.fixed(r.stepsPerSecond(), 0),
          Report.ms(p50), Report.ms(Report.percentile(r.stepNanos, 99)),
          Report.ms(Report.percentile(r.appendNanos, 50)), Report.ms(Report.percentile(r.appendNanos, 99)),
          Report.fixed(r.appendNanos.length / (double) r.steps, 2), Report.fixed(100 * r.storeShare(), 0) + " %",
          Report.ms(r.cpuNanos / r.steps), Report.fixed(r.load, 1),
          Report.fixed(r.stepsPerSecond() / base.stepsPerSecond(), 3) + "x",
          Report.fixed(p50 / (double) Report.percentile(base.stepNanos, 50), 2) + "x");
    }
    table.print();
    System.out.println();
    System.out.printf(Locale.ROOT, "Growth with history (mean step, steps 2-%d vs last %d):%n", EDGE + 1, EDGE);
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "  %-10s %s ms -> %s ms%n", r.store, Report.ms((long) r.earlyMean), Report.ms((long) r.lateMean));
    }
    System.out.println();
    System.out.println("Targets (2-core machine; informational):");
    check(results, "H2 file", "H2 >= 2,000 persisted steps/s", H2_TARGET_STEPS_PER_S);
    check(results, "PostgreSQL", "PostgreSQL >= 500 persisted steps/s", POSTGRES_TARGET_STEPS_PER_S);
  }

  private static void check(List<Result> results, String store, String what, double target) {
    results.stream().filter(r -> r.store.equals(store)).findFirst().ifPresentOrElse(
        r -> Report.target(what, Report.fixed(r.stepsPerSecond(), 0) + " steps/s", r.stepsPerSecond() >= target),
        () -> System.out.println("  ----  " + what + " (not measured: store not selected or not configured)"));
  }

  /** Notes when each model_called event of the current run is stored; the gaps between them are step times. */
  private static final class StepClock implements RunListener {
    private final int stepsPerRun;
    private long[] intervals = new long[4096];
    private int[] intervalSteps = new int[4096];
    private int count;
    private long last;

    StepClock(int stepsPerRun) {
      this.stepsPerRun = stepsPerRun;
    }

    @Override
    public void onEvents(List<RecordedEvent> events) {
      for (RecordedEvent e : events) {
        if (e.event() instanceof ModelCalled m) {
          long now = System.nanoTime();
          if (m.step() > 1) {
            if (count == intervals.length) {
              intervals = Arrays.copyOf(intervals, count * 2);
              intervalSteps = Arrays.copyOf(intervalSteps, count * 2);
            }
            intervals[count] = now - last;
            intervalSteps[count++] = m.step();
          }
          last = now;
        }
      }
    }

    long[] intervals() {
      return Arrays.copyOf(intervals, count);
    }

    /** Mean time of the steps numbered from..to (inclusive) over all runs, in nanoseconds. */
    double meanOfSteps(int from, int to) {
      long sum = 0;
      int n = 0;
      for (int i = 0; i < count; i++) {
        if (intervalSteps[i] >= from && intervalSteps[i] <= to) {
          sum += intervals[i];
          n++;
        }
      }
      return n == 0 ? 0 : sum / (double) n;
    }

    void reset() {
      count = 0;
    }
  }

  /** A tool that does nothing, so a step's time is the engine's and the store's. */
  static final class NoopTool implements Tool {
    static final String NAME = "noop";
    private final ToolSpec spec = new ToolSpec(NAME, "Does nothing and answers ok.",
        JsonNodeFactory.instance.objectNode().put("type", "object"), RiskLevel.LOW, true, null);

    @Override
    public ToolSpec spec() {
      return spec;
    }

    @Override
    public String call(JsonNode arguments, ToolContext context) {
      return "ok";
    }
  }
}
