package dev.maestro.cli;

import dev.maestro.engine.internal.Json;
import dev.maestro.engine.run.RecordedEvent;
import dev.maestro.engine.run.Run;
import dev.maestro.engine.run.RunEvent;
import dev.maestro.engine.run.RunListener;
import dev.maestro.engine.run.RunStatus;
import dev.maestro.engine.run.TraceEntry;
import dev.maestro.engine.safety.Action;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/** Prints runs for people: events as they happen, traces, summaries and tables. */
final class Printer implements RunListener {
  private static final int PREVIEW = 400;
  private final PrintWriter out;

  Printer(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void onEvents(List<RecordedEvent> events) {
    events.forEach(this::event);
    out.flush();
  }

  void event(RecordedEvent e) {
    switch (e.event()) {
      case RunEvent.RunCreated c -> out.printf("run %s · agent %s · %s%n", e.runId(), c.agentId(), c.model() == null ? "workflow " + c.agent().workflow() : "model " + c.model());
      case RunEvent.RunStarted s -> {
        if (s.resumed()) {
          out.printf("resumed at event %d%n", e.seq());
        }
      }
      case RunEvent.ModelCalled m -> out.printf("%nstep %d · %d in / %d out tokens%s · %d ms%n", m.step(), m.inputTokens(), m.outputTokens(),
          m.cachedTokens() > 0 ? " (" + m.cachedTokens() + " cached)" : "", m.latencyMs());
      case RunEvent.Thought t -> out.printf("  thought: %s%n", indent(t.text()));
      case RunEvent.ToolCallRequested r -> out.printf("  action: %s %s%n", r.tool(), Json.write(r.arguments()));
      case RunEvent.ToolCallStarted s -> {}
      case RunEvent.SafetyDecided d -> {
        if (d.action() != Action.ALLOW) {
          out.printf("  safety: %s risk, %s (%s): %s%n", d.risk().wire(), d.action().wire(), d.policy(), indent(d.reason()));
        }
      }
      case RunEvent.ApprovalRequested a -> out.printf("  waiting for %d approval%s of %s before %s: maestro approvals approve %s%n",
          a.approvers(), a.approvers() == 1 ? "" : "s", a.tool(), a.deadline(), a.requestId());
      case RunEvent.ApprovalGranted g -> out.printf("  approved by %s%s%n", g.approver(), g.comment() == null ? "" : ": " + g.comment());
      case RunEvent.ApprovalRejected r -> out.printf("  %s%s%n", r.expired() ? "approval expired" : "rejected by " + r.by(),
          r.comment() == null || r.expired() ? "" : ": " + r.comment());
      case RunEvent.ToolCallCompleted c -> out.printf("  observation (%d ms): %s%n", c.durationMs(), indent(preview(c.output())));
      case RunEvent.ToolCallFailed f -> out.printf("  observation: error: %s%n", indent(f.error()));
      case RunEvent.RunCompleted c -> out.printf("%nFinal answer:%n%s%n", c.output());
      case RunEvent.RunFailed f -> out.printf("%nRun failed (%s): %s%n", f.code(), f.reason());
      case RunEvent.RunCancelled c -> out.printf("%nRun cancelled: %s%n", c.reason());
      case RunEvent.MemoryRecalled m -> out.printf("  recalled %d memor%s%n", m.memoryIds().size(), m.memoryIds().size() == 1 ? "y" : "ies");
    }
  }

  void summary(Run run) {
    Duration took = run.startedAt() == null || run.endedAt() == null ? null : Duration.between(run.startedAt(), run.endedAt());
    out.printf("%n%s · %d steps · %d tool calls · %d tokens (%d in, %d out)%s%n", run.status().wire(), run.steps(), run.toolCalls(),
        run.totalTokens(), run.inputTokens(), run.outputTokens(), took == null ? "" : " · " + seconds(took));
    out.flush();
  }

  void trace(Run run, List<TraceEntry> trace) {
    out.printf("run %s · agent %s · model %s · %s%n", run.id(), run.agentId(), run.model() == null ? "none" : run.model(), run.status().wire());
    out.printf("input: %s%n", indent(run.input()));
    int step = -1;
    for (TraceEntry t : trace) {
      if (t.step() != step && t.kind() != TraceEntry.Kind.ANSWER && t.kind() != TraceEntry.Kind.ERROR) {
        step = t.step();
        out.printf("%nstep %d%n", step);
      }
      switch (t.kind()) {
        case THOUGHT -> out.printf("  thought (%d tokens, %d ms): %s%n", t.tokens(), t.latencyMs(), indent(t.content()));
        case ACTION -> out.printf("  action: %s %s%n", t.tool(), t.content());
        case OBSERVATION -> out.printf("  observation (%d ms): %s%n", t.latencyMs(), indent(preview(t.content())));
        case ANSWER -> out.printf("%nFinal answer:%n%s%n", t.content());
        case ERROR -> out.printf("%nError: %s%n", t.content());
      }
    }
    if (run.status() == RunStatus.CANCELLED) {
      out.printf("%nCancelled: %s%n", run.error());
    }
    summary(run);
  }

  void table(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    printRow(header, widths);
    rows.forEach(r -> printRow(r, widths));
    out.flush();
  }

  private void printRow(List<String> cells, int[] widths) {
    var sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      sb.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s  ", cells.get(i)));
    }
    out.println(sb.toString().stripTrailing());
  }

  private static String preview(String text) {
    String t = text == null ? "" : text.strip();
    return t.length() <= PREVIEW ? t : t.substring(0, PREVIEW) + " … (" + t.length() + " chars)";
  }

  private static String indent(String text) {
    return text == null ? "" : text.strip().replace("\n", "\n    ");
  }

  /** The model an agent thinks with, or what it runs instead. */
  static String model(dev.maestro.engine.agent.AgentSpec spec) {
    return spec.model() != null ? spec.model() : spec.workflow() != null ? "(workflow " + spec.workflow() + ")" : "-";
  }

  static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }
}
