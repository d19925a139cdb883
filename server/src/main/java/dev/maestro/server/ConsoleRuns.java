package dev.maestro.server;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.agent.Agent;
import dev.maestro.engine.agent.AgentStatus;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.run.ApprovalQuery;
import dev.maestro.engine.run.ApprovalRequest;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunQuery;
import dev.maestro.engine.run.RunStatus;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs in the console: the list with filters, and a run's page: its summary, its trace (every event
 * of its log: thoughts, tool calls with arguments and results, safety decisions, approvals with
 * approve and reject in place, tokens, cost and latency per step) and a timeline. While the run is
 * unfinished the page follows it live: the same event stream as the API's, rendered as HTML.
 */
final class ConsoleRuns {
  static final int PAGE = 50;
  private final Console console;

  ConsoleRuns(Console console) {
    this.console = console;
  }

  /** A run in a list, with what it cost and how long it took. */
  record RunRow(Run run, String cost, String duration) {
    static RunRow of(Run run, Costs costs, Instant now) {
      Instant end = run.endedAt() != null ? run.endedAt() : run.status().terminal() ? run.updatedAt() : now;
      return new RunRow(run, costs.of(run), ConsoleText.duration(run.createdAt(), end));
    }
  }

  record RunsPage(Console.Chrome chrome, List<RunRow> runs, String agent, String status, List<String> agents, List<String> statuses,
      int offset, Integer previous, Integer next) {
    /** The link to another page of this list, with the same filters. */
    String link(int at) {
      var q = new StringBuilder("/maestro/runs?offset=").append(at);
      if (agent != null) {
        q.append("&agent=").append(java.net.URLEncoder.encode(agent, java.nio.charset.StandardCharsets.UTF_8));
      }
      if (status != null) {
        q.append("&status=").append(status);
      }
      return q.toString();
    }
  }

  /**
   * The head of a run's page: status, model, steps, tokens, cost and duration.
   *
   * @param oob whether it replaces the one on the page, out of band of an event's fragment
   */
  record Summary(Run run, String cost, String duration, String agentName, boolean canOperate, boolean oob) {}

  /** One event of the trace, with the cost of its model call and, for an approval request, the request as it stands. */
  record EventView(RecordedEvent event, String cost, ConsoleApprovals.Box approval, Instant runStart) {
    String offset() {
      long ms = Duration.between(runStart, event.at()).toMillis();
      return "+" + ConsoleText.ms(Math.max(0, ms));
    }
  }

  record RunPage(Console.Chrome chrome, Summary summary, List<EventView> events, String timeline, boolean live) {
    Run run() {
      return summary.run();
    }
  }

  List<Route> routes() {
    return List.of(
        Console.page("/maestro/runs", "Runs, newest first, with filters", this::list),
        Console.page("/maestro/runs/{id}", "A run: summary, live trace, timeline", this::show),
        Console.page("/maestro/runs/{id}/live", "A run's trace as HTML fragments, live (server-sent events)", this::live),
        Console.action("/maestro/runs/{id}/cancel", "Cancel an unfinished run", Permission.OPERATE, this::cancel));
  }

  private void list(Context ctx) {
    Services s = Auth.services(ctx);
    String agent = Params.text(ctx, "agent");
    String statusText = Params.text(ctx, "status");
    RunStatus status = statusText == null ? null : RunStatus.parse(statusText);
    int offset = Params.integer(ctx, "offset", 0, 0, 1_000_000);
    List<Run> runs = s.runs().list(new RunQuery(agent, status, null, null, PAGE, offset));
    Costs costs = new Costs(s.pricing());
    Instant now = console.clock.instant();
    List<String> agents = s.agents().list().stream().filter(a -> a.status() != AgentStatus.DELETED).map(Agent::id).sorted().toList();
    console.render(ctx, "runs.jte", new RunsPage(console.chrome(ctx, "runs", "Runs"), runs.stream().map(r -> RunRow.of(r, costs, now)).toList(),
        agent, status == null ? null : status.wire(), agents, Arrays.stream(RunStatus.values()).map(RunStatus::wire).toList(), offset,
        offset == 0 ? null : Math.max(0, offset - PAGE), runs.size() == PAGE ? offset + PAGE : null));
  }

  private void show(Context ctx) {
    Services s = Auth.services(ctx);
    Run run = find(s, ctx.pathParam("id"));
    List<RecordedEvent> events = s.runs().events(run.id(), 0);
    boolean canApprove = Auth.principal(ctx).can(Permission.APPROVE);
    Map<String, ApprovalRequest> approvals = new HashMap<>();
    if (events.stream().anyMatch(e -> e.event() instanceof RunEvent.ApprovalRequested)) {
      s.runs().approvals(new ApprovalQuery(null, null, run.id(), null, null, null, null, 1000, 0)).forEach(a -> approvals.put(a.id(), a));
    }
    Instant now = console.clock.instant();
    Costs costs = new Costs(s.pricing());
    var views = new ArrayList<EventView>(events.size());
    for (RecordedEvent e : events) {
      views.add(view(e, costs, run, id -> approvals.get(id), canApprove, now));
    }
    var chrome = console.chrome(ctx, "runs", "Run " + run.id());
    console.render(ctx, "run.jte", new RunPage(chrome, summary(s, run, agentName(s, run), chrome.canOperate(), false, now), views,
        timeline(run, events, now),
        !run.status().terminal()));
  }

  /**
   * The run's events after the page's last one (or the browser's Last-Event-ID), then live until the
   * run ends: each as its trace row plus, out of band, the summary, a resolved approval and, when the
   * run pauses or ends, the timeline. A last {@code done} event tells the page to stop listening.
   */
  private void live(Context ctx) throws IOException, InterruptedException {
    Services s = Auth.services(ctx);
    String runId = ctx.pathParam("id");
    Run start = find(s, runId);
    String header = ctx.header("Last-Event-ID");
    long after = parseSeq(header != null && !header.isBlank() ? header : ctx.queryParam("after"));
    boolean canApprove = Auth.principal(ctx).can(Permission.APPROVE);
    boolean canOperate = Auth.principal(ctx).can(Permission.OPERATE);
    String agentName = agentName(s, start);
    var html = new HtmlEvents(ctx);
    html.open();
    var sink = new EventStream.Sink() {
      Run run = start;

      @Override
      public void send(String id, String type, String json) {
        // a run's stream hands over recorded events (below), never raw JSON
      }

      @Override
      public void send(EventHub.Shared event) throws IOException {
        send(event.event());
      }

      @Override
      public void send(RecordedEvent e) throws IOException {
        if (e.seq() > run.lastSeq()) {
          run = run.apply(e);
        }
        Instant now = console.clock.instant();
        Costs costs = new Costs(s.pricing());
        var fragment = new StringBuilder(console.text("run_event.jte", view(e, costs, run, id -> s.runs().approval(id).orElse(null), canApprove, now)));
        fragment.append(console.text("run_summary.jte", summary(s, run, agentName, canOperate, true, now)));
        String resolved = switch (e.event()) {
          case RunEvent.ApprovalGranted g -> g.requestId();
          case RunEvent.ApprovalRejected r -> r.requestId();
          default -> null;
        };
        if (resolved != null) {
          s.runs().approval(resolved).ifPresent(a ->
              fragment.append(console.text("approval_box.jte", new ConsoleApprovals.Box(a, canApprove, true, now))));
        }
        if (EventStream.terminal(e) || e.event() instanceof RunEvent.ApprovalRequested) {
          fragment.append("<div id=\"timeline\" hx-swap-oob=\"true\">").append(timeline(run, s.runs().events(runId, 0), now)).append("</div>");
        }
        html.send(Long.toString(e.seq()), "step", fragment.toString());
        if (EventStream.terminal(e)) {
          html.send(null, "done", "");
        }
      }

      @Override
      public void heartbeat() throws IOException {
        html.heartbeat();
      }
    };
    if (start.status().terminal() && start.lastSeq() <= after) {
      html.send(null, "done", "");
      return;
    }
    EventStream.run(s.events(), s.runs(), runId, after, sink);
  }

  private void cancel(Context ctx) {
    Services s = Auth.services(ctx);
    Run run = find(s, ctx.pathParam("id"));
    s.engine().cancel(run.id(), "cancelled from the console by " + Auth.principal(ctx).name());
    Console.redirect(ctx, "/maestro/runs/" + run.id());
  }

  static Run find(Services s, String runId) {
    return s.runs().find(runId).orElseThrow(() -> new NotFoundException("there is no run '" + runId
        + "' in this workspace; the runs page lists them"));
  }

  private static long parseSeq(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      long n = Long.parseLong(text.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new InvalidInputException("'" + text + "' is not a sequence number of the run's log");
  }

  private static Summary summary(Services s, Run run, String agentName, boolean canOperate, boolean oob, Instant now) {
    Costs costs = new Costs(s.pricing());
    return new Summary(run, costs.of(run), RunRow.of(run, costs, now).duration(), agentName, canOperate, oob);
  }

  private static String agentName(Services s, Run run) {
    try {
      return run.agentId() == null ? "" : s.agents().get(run.agentId()).spec().name();
    } catch (NotFoundException deleted) {
      return run.agentId();
    }
  }

  private static EventView view(RecordedEvent e, Costs costs, Run run, Function<String, ApprovalRequest> approvals, boolean canApprove,
      Instant now) {
    String cost = null;
    ConsoleApprovals.Box box = null;
    if (e.event() instanceof RunEvent.ModelCalled m) {
      cost = costs.of(m.model(), m.inputTokens(), m.outputTokens(), m.cachedTokens()).map(ConsoleText::usd).orElse(null);
    } else if (e.event() instanceof RunEvent.ApprovalRequested r) {
      ApprovalRequest request = approvals.apply(r.requestId());
      if (request != null) {
        box = new ConsoleApprovals.Box(request, canApprove, false, now);
      }
    }
    return new EventView(e, cost, box, run.createdAt());
  }

  /** The run's steps on a time axis: each model call and tool call from its start to its end, and the waits for approval. */
  static String timeline(Run run, List<RecordedEvent> events, Instant now) {
    Instant origin = run.createdAt();
    Instant end = run.endedAt() != null ? run.endedAt() : run.status().terminal() ? run.updatedAt() : now;
    long total = Math.max(1, Duration.between(origin, end).toMillis());
    var spans = new ArrayList<Charts.Span>();
    Map<String, RecordedEvent> waiting = new HashMap<>();
    for (RecordedEvent e : events) {
      long at = Duration.between(origin, e.at()).toMillis();
      switch (e.event()) {
        case RunEvent.ModelCalled m -> spans.add(new Charts.Span("step " + m.step() + " · model", m.model() + ", "
            + ConsoleText.ms(m.latencyMs()) + ", " + (m.inputTokens() + m.outputTokens()) + " tokens", at - m.latencyMs(), m.latencyMs(), "s0"));
        case RunEvent.ToolCallCompleted c -> spans.add(new Charts.Span(c.tool(), "completed in " + ConsoleText.ms(c.durationMs()),
            at - c.durationMs(), c.durationMs(), "s2"));
        case RunEvent.ToolCallFailed f -> spans.add(new Charts.Span(f.tool(), "failed after " + ConsoleText.ms(f.durationMs()),
            at - f.durationMs(), f.durationMs(), "bad"));
        case RunEvent.ApprovalRequested r -> waiting.put(r.requestId(), e);
        case RunEvent.ApprovalGranted g -> {
          if (g.approved() && waiting.containsKey(g.requestId())) {
            spans.add(wait(waiting.remove(g.requestId()), e.at(), origin, "approved by " + String.join(", ", g.approvedBy())));
          }
        }
        case RunEvent.ApprovalRejected r -> {
          if (waiting.containsKey(r.requestId())) {
            spans.add(wait(waiting.remove(r.requestId()), e.at(), origin, r.expired() ? "expired" : "rejected by " + r.by()));
          }
        }
        default -> {}
      }
    }
    for (RecordedEvent e : waiting.values()) {
      spans.add(wait(e, end, origin, "still waiting"));
    }
    spans.sort(java.util.Comparator.comparingLong(Charts.Span::startMs));
    if (spans.isEmpty()) {
      return "<p class=\"muted small\">No model or tool call yet.</p>";
    }
    return Charts.timeline("Timeline of run " + run.id(), spans, total);
  }

  private static Charts.Span wait(RecordedEvent requested, Instant until, Instant origin, String outcome) {
    var r = (RunEvent.ApprovalRequested) requested.event();
    long start = Duration.between(origin, requested.at()).toMillis();
    long length = Math.max(0, Duration.between(requested.at(), until).toMillis());
    return new Charts.Span("approval · " + r.tool(), outcome + " after " + ConsoleText.ms(length), start, length, "warn");
  }
}
