package dev.maestro.server;

import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunAggregate;
import dev.maestro.engine.run.RunAggregateQuery;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.RunStatus;
import io.javalin.http.Context;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard: runs by status and the success rate over the last 24 hours, p95 duration, tokens
 * and cost today and over two weeks, the approvals waiting, recent activity (live) and the health
 * of the system. Every figure comes from a grouped query over the runs' summaries.
 */
final class ConsoleDashboard {
  static final int DAYS = 14;
  private final Console console;

  ConsoleDashboard(Console console) {
    this.console = console;
  }

  /** The figures at the top of the page, refreshed when runs end. */
  record Cards(long runs, Map<RunStatus, Long> byStatus, String successRate, String p95, long tokensToday, String costToday,
      String costNote, String runsSpark, String tokensSpark, String costSpark, int waiting) {
    long count(String status) {
      return byStatus.getOrDefault(RunStatus.parse(status), 0L);
    }
  }

  /** Whether the parts Maestro depends on answer. */
  record Health(boolean databaseUp, String database, List<String> providers, int executing, int subscribers) {}

  /** One line of the activity feed. */
  record FeedItem(Instant at, String runId, String agentId, String text, String css, Instant now) {}

  record DashboardPage(Console.Chrome chrome, Cards cards, String runsChart, String tokensChart, List<ConsoleApprovals.Box> pending,
      List<FeedItem> feed, Health health) {}

  List<Route> routes() {
    return List.of(
        Console.page("/maestro", "The dashboard", this::page),
        Console.page("/maestro/dashboard/cards", "The dashboard's figures (a fragment, refreshed live)", this::cards),
        Console.page("/maestro/dashboard/live", "The workspace's activity as HTML fragments, live (server-sent events)", this::live));
  }

  private void page(Context ctx) {
    Services s = Auth.services(ctx);
    Instant now = console.clock.instant();
    var days = TimeBuckets.ending(now, Duration.ofDays(1), DAYS);
    boolean canApprove = Auth.principal(ctx).can(Permission.APPROVE);
    Costs costs = new Costs(s.pricing());
    List<RunAggregate> daily;
    Cards cards;
    List<ConsoleApprovals.Box> pending;
    List<FeedItem> feed;
    Health health;
    try (var queries = new Concurrently()) {
      var d = queries.start(() -> s.runs().aggregate(days.query(false, true, true)));
      var p = queries.start(() -> s.runs().approvals(ApprovalQuery.pending(5)).stream()
          .map(a -> new ConsoleApprovals.Box(a, canApprove, false, now)).toList());
      var f = queries.start(() -> s.runs().list(new RunQuery(null, null, null, null, 12, 0)).stream().map(r -> item(r, now)).toList());
      var h = queries.start(() -> health(s));
      var c = queries.start(() -> cards(s, now, Concurrently.get(d), costs));
      daily = Concurrently.get(d);
      cards = Concurrently.get(c);
      pending = Concurrently.get(p);
      feed = Concurrently.get(f);
      health = Concurrently.get(h);
    }
    var labels = days.labels();
    String runsChart = Charts.bars("Runs per day, last " + DAYS + " days", labels, List.of(
        new Charts.Series("completed", "ok", days.sum(daily, a -> a.status() == RunStatus.COMPLETED, RunAggregate::runs)),
        new Charts.Series("failed", "bad", days.sum(daily, a -> a.status() == RunStatus.FAILED, RunAggregate::runs)),
        new Charts.Series("other", "other", days.sum(daily, a -> a.status() != RunStatus.COMPLETED && a.status() != RunStatus.FAILED,
            RunAggregate::runs))), v -> ConsoleText.count(Math.round(v)));
    String tokensChart = Charts.bars("Tokens per day, last " + DAYS + " days", labels, List.of(
        new Charts.Series("input", "s0", days.sum(daily, a -> true, RunAggregate::inputTokens)),
        new Charts.Series("output", "s1", days.sum(daily, a -> true, RunAggregate::outputTokens))), v -> ConsoleText.count(Math.round(v)));
    console.render(ctx, "dashboard.jte", new DashboardPage(console.chrome(ctx, "dashboard", "Dashboard"), cards, runsChart, tokensChart,
        pending, feed, health));
  }

  private void cards(Context ctx) {
    Services s = Auth.services(ctx);
    Instant now = console.clock.instant();
    var days = TimeBuckets.ending(now, Duration.ofDays(1), DAYS);
    console.render(ctx, "dashboard_cards.jte", cards(s, now, s.runs().aggregate(days.query(false, true, true)), new Costs(s.pricing())));
  }

  private static Cards cards(Services s, Instant now, List<RunAggregate> daily, Costs costs) {
    Instant dayAgo = now.minus(Duration.ofHours(24));
    Instant end = now.plusMillis(1);
    Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
    List<RunAggregate> lastDay;
    List<RunAggregate> total;
    List<RunAggregate> today;
    int waiting;
    try (var queries = new Concurrently()) {
      var l = queries.start(() -> s.runs().aggregate(new RunAggregateQuery(dayAgo, end, null, false, false, true)));
      var t = queries.start(() -> s.runs().aggregate(RunAggregateQuery.total(dayAgo, end)));
      var m = queries.start(() -> s.runs().aggregate(new RunAggregateQuery(midnight, end, null, false, true, false)));
      var w = queries.start(() -> s.runs().approvals(ApprovalQuery.pending(Console.Chrome.PENDING_SHOWN)).size());
      lastDay = Concurrently.get(l);
      total = Concurrently.get(t);
      today = Concurrently.get(m);
      waiting = Concurrently.get(w);
    }
    Map<RunStatus, Long> byStatus = new EnumMap<>(RunStatus.class);
    for (RunAggregate a : lastDay) {
      byStatus.merge(a.status(), a.runs(), Long::sum);
    }
    long runs = byStatus.values().stream().mapToLong(Long::longValue).sum();
    long completed = byStatus.getOrDefault(RunStatus.COMPLETED, 0L);
    long ended = completed + byStatus.getOrDefault(RunStatus.FAILED, 0L) + byStatus.getOrDefault(RunStatus.CANCELLED, 0L);
    String p95 = total.isEmpty() || total.getFirst().finished() == 0 ? "—" : ConsoleText.ms(total.getFirst().p95Ms());
    long tokensToday = today.stream().mapToLong(RunAggregate::totalTokens).sum();
    Costs.Total costToday = costs.of(today);
    String costNote = costToday.unpriced().isEmpty() ? "at the catalog's prices"
        : "no price known for " + (costToday.unpriced().size() == 1 ? ConsoleText.preview(costToday.unpriced().iterator().next(), 32)
            : costToday.unpriced().size() + " models");
    var days = TimeBuckets.ending(now, Duration.ofDays(1), DAYS);
    double[] runsPerDay = days.sum(daily, a -> true, RunAggregate::runs);
    double[] tokensPerDay = days.sum(daily, a -> true, RunAggregate::totalTokens);
    double[] costPerDay = days.sum(daily, a -> true, a -> costs.of(a.model(), a.inputTokens(), a.outputTokens(), a.cachedTokens())
        .map(BigDecimal::doubleValue).orElse(0.0));
    return new Cards(runs, byStatus, ConsoleText.percent(completed, ended), p95, tokensToday, costToday.shown(), costNote,
        Charts.sparkline("runs per day", runsPerDay), Charts.sparkline("tokens per day", tokensPerDay), Charts.sparkline("cost per day", costPerDay),
        waiting);
  }

  private static Health health(Services s) {
    boolean up;
    String database;
    try {
      database = s.database().call();
      up = true;
    } catch (Exception e) {
      database = String.valueOf(e.getMessage());
      up = false;
    }
    return new Health(up, database, s.modelProviders(), s.engine().executing(), s.events().subscribers());
  }

  static FeedItem item(Run r, Instant now) {
    String text = switch (r.status()) {
      case COMPLETED -> "completed in " + ConsoleText.duration(r.createdAt(), r.endedAt());
      case FAILED -> "failed: " + ConsoleText.preview(r.error(), 80);
      case CANCELLED -> "was cancelled";
      case WAITING_APPROVAL -> "waits for approval";
      case RUNNING, PENDING -> "is running (" + r.steps() + " steps so far)";
    };
    return new FeedItem(r.updatedAt(), r.id(), r.agentId(), text, r.status().wire(), now);
  }

  /**
   * The workspace's events, live: runs starting and ending and approvals asked and given become feed
   * items; those that change the figures also ask the page to refresh them ({@code refresh}).
   */
  private void live(Context ctx) throws IOException, InterruptedException {
    Services s = Auth.services(ctx);
    var html = new HtmlEvents(ctx);
    html.open();
    String header = ctx.header("Last-Event-ID");
    long after = 0;
    if (header != null && header.matches("\\d{1,18}")) {
      after = Long.parseLong(header);
    }
    EventStream.workspace(s.events(), after, new EventStream.Sink() {
      @Override
      public void send(String id, String type, String json) throws IOException {
        if (type.equals("reset")) {
          html.send(null, "refresh", "");
        }
      }

      @Override
      public void send(EventHub.Numbered n) throws IOException {
        RecordedEvent e = n.event();
        String text = switch (e.event()) {
          case RunEvent.RunCreated c -> "started";
          case RunEvent.RunCompleted c -> "completed";
          case RunEvent.RunFailed f -> "failed: " + ConsoleText.preview(f.reason(), 80);
          case RunEvent.RunCancelled c -> "was cancelled";
          case RunEvent.ApprovalRequested r -> "waits for approval to call " + r.tool();
          case RunEvent.ApprovalGranted g -> g.approved() ? "was approved by " + g.approver() : null;
          case RunEvent.ApprovalRejected r -> r.expired() ? "approval expired" : "was rejected by " + r.by();
          default -> null;
        };
        if (text == null) {
          return;
        }
        String css = switch (e.event()) {
          case RunEvent.RunCompleted c -> "completed";
          case RunEvent.RunFailed f -> "failed";
          case RunEvent.ApprovalRequested r -> "waiting_approval";
          case RunEvent.ApprovalRejected r -> "rejected";
          case RunEvent.RunCancelled c -> "cancelled";
          default -> "running";
        };
        String agent = e.event() instanceof RunEvent.RunCreated c ? c.agentId() : s.runs().find(e.runId()).map(Run::agentId).orElse("");
        Instant now = console.clock.instant();
        html.send(Long.toString(n.id()), "feed", console.text("feed_item.jte", new FeedItem(e.at(), e.runId(), agent, text, css, now)));
        html.send(null, "refresh", "");
      }

      @Override
      public void heartbeat() throws IOException {
        html.heartbeat();
      }
    });
  }

  /** The statuses shown as cards, in order. */
  static List<String> statuses() {
    var list = new ArrayList<String>();
    for (RunStatus st : RunStatus.values()) {
      list.add(st.wire());
    }
    return list;
  }
}
