package dev.maestro.server;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunAggregate;
import dev.maestro.engine.run.RunRanking;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.run.ToolOutcome;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Observability: over the last day, week or month, charts of runs, duration, tokens and cost over
 * time (tokens and cost per model), a table per agent and model, the slowest and the most expensive
 * runs, and how each tool's calls ended. A handful of grouped queries, whatever the number of runs.
 */
final class ConsoleObservability {
  /** Models drawn as their own series; the rest are summed as "other". */
  static final int MODELS_SHOWN = 4;
  private final Console console;

  ConsoleObservability(Console console) {
    this.console = console;
  }

  /** A window the page offers: its name, and the buckets its charts use. */
  record Window(String name, String label, Duration bucket, int buckets) {}

  static final List<Window> WINDOWS = List.of(
      new Window("24h", "Last 24 hours", Duration.ofHours(1), 24),
      new Window("7d", "Last 7 days", Duration.ofHours(6), 28),
      new Window("30d", "Last 30 days", Duration.ofDays(1), 30));

  /** One agent and model over the window. */
  record AgentModelRow(String agentId, String model, long runs, long completed, long failed, String successRate, String p50, String p95,
      long tokens, String cost) {}

  /** How one tool's calls ended. */
  record ToolRow(ToolOutcome outcome, String failureRate, double okShare) {}

  record ObservabilityPage(Console.Chrome chrome, Window window, List<Window> windows, String runsChart, String latencyChart,
      String tokensChart, String costChart, List<AgentModelRow> rows, List<ConsoleRuns.RunRow> slowest, List<ConsoleRuns.RunRow> expensive,
      boolean pricesKnown, List<ToolRow> tools, long runs) {}

  List<Route> routes() {
    return List.of(Console.page("/maestro/observability", "Runs, duration, tokens and cost over time; slowest and costliest runs; tool outcomes",
        this::page));
  }

  private void page(Context ctx) {
    Services s = Auth.services(ctx);
    Window window = window(Params.text(ctx, "window"));
    Instant now = console.clock.instant();
    var b = TimeBuckets.ending(now, window.bucket(), window.buckets());
    var labels = b.labels();
    Costs costs = new Costs(s.pricing());

    // Six grouped queries, independent of each other: at the same time.
    List<RunAggregate> byModelStatus;
    List<RunAggregate> overall;
    List<RunAggregate> perAgent;
    List<Run> longest;
    List<Run> heaviest;
    List<ToolOutcome> outcomes;
    try (var queries = new Concurrently()) {
      var a = queries.start(() -> s.runs().aggregate(b.query(false, true, true)));
      var o = queries.start(() -> s.runs().aggregate(b.query(false, false, false)));
      var p = queries.start(() -> s.runs().aggregate(b.total(true, true, true)));
      var l = queries.start(() -> s.runs().top(RunRanking.LONGEST, b.since(), b.until(), 10));
      var h = queries.start(() -> s.runs().top(RunRanking.MOST_TOKENS, b.since(), b.until(), 50));
      var t = queries.start(() -> s.runs().toolOutcomes(b.since(), b.until()));
      byModelStatus = Concurrently.get(a);
      overall = Concurrently.get(o);
      perAgent = Concurrently.get(p);
      longest = Concurrently.get(l);
      heaviest = Concurrently.get(h);
      outcomes = Concurrently.get(t);
    }

    String runsChart = Charts.bars("Runs per " + unit(window), labels, List.of(
        new Charts.Series("completed", "ok", b.sum(byModelStatus, x -> x.status() == RunStatus.COMPLETED, RunAggregate::runs)),
        new Charts.Series("failed", "bad", b.sum(byModelStatus, x -> x.status() == RunStatus.FAILED, RunAggregate::runs)),
        new Charts.Series("cancelled or unfinished", "other",
            b.sum(byModelStatus, x -> x.status() != RunStatus.COMPLETED && x.status() != RunStatus.FAILED, RunAggregate::runs))),
        v -> ConsoleText.count(Math.round(v)));
    String latencyChart = Charts.lines("Run duration per " + unit(window), labels, List.of(
        new Charts.Series("p50", "s0", b.sum(overall, x -> true, RunAggregate::p50Ms)),
        new Charts.Series("p95", "s1", b.sum(overall, x -> true, RunAggregate::p95Ms))), v -> ConsoleText.ms(Math.round(v)));

    List<String> models = topModels(byModelStatus);
    var tokenSeries = new ArrayList<Charts.Series>();
    var costSeries = new ArrayList<Charts.Series>();
    for (int i = 0; i < models.size(); i++) {
      String model = models.get(i);
      tokenSeries.add(new Charts.Series(model, "s" + i, b.sum(byModelStatus, x -> model.equals(name(x.model())), RunAggregate::totalTokens)));
      costSeries.add(new Charts.Series(model, "s" + i, b.sum(byModelStatus, x -> model.equals(name(x.model())), x -> cost(costs, x))));
    }
    if (byModelStatus.stream().anyMatch(x -> !models.contains(name(x.model())))) {
      tokenSeries.add(new Charts.Series("other models", "other",
          b.sum(byModelStatus, x -> !models.contains(name(x.model())), RunAggregate::totalTokens)));
      costSeries.add(new Charts.Series("other models", "other", b.sum(byModelStatus, x -> !models.contains(name(x.model())), x -> cost(costs, x))));
    }
    String tokensChart = Charts.bars("Tokens per " + unit(window) + " by model", labels, tokenSeries, v -> ConsoleText.count(Math.round(v)));
    boolean pricesKnown = byModelStatus.stream().anyMatch(x -> costs.of(x.model(), x.inputTokens(), x.outputTokens(), x.cachedTokens()).isPresent());
    String costChart = Charts.bars("Cost per " + unit(window) + " by model", labels, costSeries, v -> ConsoleText.usd(BigDecimal.valueOf(v)));

    List<AgentModelRow> rows = rows(perAgent, costs);
    long runs = rows.stream().mapToLong(AgentModelRow::runs).sum();
    List<ConsoleRuns.RunRow> slowest = longest.stream().map(r -> ConsoleRuns.RunRow.of(r, costs, now)).toList();
    List<ConsoleRuns.RunRow> expensive = expensive(heaviest, costs, now);
    List<ToolRow> tools = outcomes.stream()
        .sorted(Comparator.comparingLong(ToolOutcome::calls).reversed())
        .map(t -> new ToolRow(t, ConsoleText.percent(t.failed(), t.calls()), t.calls() == 0 ? 0 : 100.0 * t.completed() / t.calls()))
        .toList();
    console.render(ctx, "observability.jte", new ObservabilityPage(console.chrome(ctx, "observability", "Observability"), window, WINDOWS,
        runsChart, latencyChart, tokensChart, costChart, rows, slowest, expensive, pricesKnown, tools, runs));
  }

  private static Window window(String name) {
    if (name == null) {
      return WINDOWS.getFirst();
    }
    return WINDOWS.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow(() -> new InvalidInputException(
        "window '" + name + "' is not one of " + WINDOWS.stream().map(Window::name).toList()));
  }

  private static String unit(Window w) {
    return w.bucket().equals(Duration.ofHours(1)) ? "hour" : w.bucket().equals(Duration.ofDays(1)) ? "day" : w.bucket().toHours() + " hours";
  }

  private static String name(String model) {
    return model == null ? "(no model)" : model;
  }

  private static double cost(Costs costs, RunAggregate a) {
    return costs.of(a.model(), a.inputTokens(), a.outputTokens(), a.cachedTokens()).map(BigDecimal::doubleValue).orElse(0.0);
  }

  /** The models with the most tokens in the window, most first. */
  private static List<String> topModels(List<RunAggregate> byModel) {
    Map<String, Long> tokens = new HashMap<>();
    byModel.forEach(a -> tokens.merge(name(a.model()), a.totalTokens(), Long::sum));
    return tokens.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(MODELS_SHOWN).map(Map.Entry::getKey).toList();
  }

  /** One row per agent and model, from their runs grouped by status; durations are those of the completed runs. */
  private static List<AgentModelRow> rows(List<RunAggregate> byAgentModelStatus, Costs costs) {
    record Key(String agent, String model) {}
    Map<Key, List<RunAggregate>> groups = new LinkedHashMap<>();
    byAgentModelStatus.forEach(a -> groups.computeIfAbsent(new Key(a.agentId(), a.model()), k -> new ArrayList<>()).add(a));
    var rows = new ArrayList<AgentModelRow>();
    groups.forEach((key, list) -> {
      long runs = list.stream().mapToLong(RunAggregate::runs).sum();
      long completed = count(list, RunStatus.COMPLETED);
      long failed = count(list, RunStatus.FAILED);
      long cancelled = count(list, RunStatus.CANCELLED);
      RunAggregate done = list.stream().filter(a -> a.status() == RunStatus.COMPLETED).findFirst().orElse(null);
      rows.add(new AgentModelRow(key.agent(), name(key.model()), runs, completed, failed, ConsoleText.percent(completed, completed + failed + cancelled),
          done == null ? "—" : ConsoleText.ms(done.p50Ms()), done == null ? "—" : ConsoleText.ms(done.p95Ms()),
          list.stream().mapToLong(RunAggregate::totalTokens).sum(), costs.of(list).shown()));
    });
    rows.sort(Comparator.comparingLong(AgentModelRow::runs).reversed().thenComparing(AgentModelRow::agentId, Comparator.nullsFirst(
        Comparator.naturalOrder())));
    return rows;
  }

  private static long count(List<RunAggregate> rows, RunStatus status) {
    return rows.stream().filter(a -> a.status() == status).mapToLong(RunAggregate::runs).sum();
  }

  /**
   * The ten costliest of the runs that used the most tokens. Within one model cost grows with tokens,
   * so this is exact unless a cheap model's heavy run outweighs an expensive model's lighter ones by
   * more than fifty places; without prices it is the ten with the most tokens.
   */
  private static List<ConsoleRuns.RunRow> expensive(List<Run> heaviest, Costs costs, Instant now) {
    var priced = new LinkedHashMap<Run, BigDecimal>();
    heaviest.forEach(r -> priced.put(r, costs.value(r).orElse(null)));
    boolean anyPrice = priced.values().stream().anyMatch(Objects::nonNull);
    var runs = new ArrayList<>(priced.keySet());
    if (anyPrice) {
      runs.sort(Comparator.comparing((Run r) -> priced.get(r), Comparator.nullsLast(Comparator.reverseOrder())));
    }
    return runs.stream().limit(10).map(r -> ConsoleRuns.RunRow.of(r, costs, now)).toList();
  }
}
