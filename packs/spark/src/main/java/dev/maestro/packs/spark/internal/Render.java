package dev.maestro.packs.spark.internal;

import static dev.maestro.packs.spark.internal.Units.bytes;
import static dev.maestro.packs.spark.internal.Units.millis;
import static dev.maestro.packs.spark.internal.Units.percent;

import dev.maestro.packs.spark.internal.Report.Estimate;
import dev.maestro.packs.spark.internal.Report.Finding;
import dev.maestro.packs.spark.internal.Report.Recommendation;
import dev.maestro.packs.spark.internal.Report.Severity;
import dev.maestro.packs.spark.internal.Report.Sql;
import dev.maestro.packs.spark.internal.Report.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reports as Markdown (for terminals, tickets and models) and as a self-contained HTML page. Both
 * are built from the same rows: a table is a header and rows of cells.
 */
public final class Render {
  private static final int TOP = 10;

  private Render() {}

  /** A document: headings, paragraphs, tables and code blocks, written as Markdown or HTML. */
  private sealed interface Block permits Heading, Para, Table, Code {}

  private record Heading(int level, String text) implements Block {}

  private record Para(String text) implements Block {}

  private record Table(List<String> header, List<List<String>> rows) implements Block {}

  private record Code(String text) implements Block {}

  public static String markdown(Report r) {
    return markdown(blocks(r));
  }

  public static String html(Report r) {
    String title = "Spark application " + (r.application().id() == null ? "" : r.application().id());
    return html(title, blocks(r));
  }

  /** The one-line-per-application table for a directory of many applications, then each report. */
  public static String summaryMarkdown(List<Logs.Result> results) {
    return markdown(summaryBlocks(results));
  }

  public static String summaryHtml(List<Logs.Result> results) {
    List<Block> blocks = new ArrayList<>(summaryBlocks(results));
    for (Logs.Result res : results) {
      if (res.report() != null) {
        blocks.addAll(blocks(res.report()));
      }
    }
    return html("Spark applications", blocks);
  }

  private static List<Block> summaryBlocks(List<Logs.Result> results) {
    List<Block> b = new ArrayList<>();
    b.add(new Heading(1, results.size() + " Spark event logs"));
    List<List<String>> rows = new ArrayList<>();
    for (Logs.Result res : results) {
      Report r = res.report();
      if (r == null) {
        rows.add(List.of("-", "-", "-", "-", "-", "error: " + res.error(), "-", res.source()));
        continue;
      }
      Severity worst = r.findings().stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.NONE);
      int failed = r.stages().stream().mapToInt(Stage::numFailedTasks).sum();
      rows.add(List.of(nz(r.application().id()), nz(r.application().name()), millis(r.application().duration()), String.valueOf(r.stages().size()),
          String.valueOf(failed), r.findings().size() + " (worst: " + worst.label() + ")",
          String.format(Locale.ROOT, "%.3f %s", r.cost().estimatedCost(), r.cost().currency()), res.source()));
    }
    b.add(new Table(List.of("application", "name", "duration", "stages", "failed tasks", "findings", "cost", "source"), rows));
    return b;
  }

  private static List<Block> blocks(Report r) {
    List<Block> b = new ArrayList<>();
    Report.Application a = r.application();
    b.add(new Heading(1, "Spark application " + nz(a.name()) + " (" + nz(a.id()) + ")"));
    b.add(new Para("Spark " + nz(a.sparkVersion()) + ", user " + nz(a.sparkUser()) + ", started " + time(a.startTime()) + ", ran "
        + millis(a.duration()) + (a.completed() ? "" : " (incomplete log)") + (a.attempts().size() > 1 ? ", " + a.attempts().size() + " attempts" : "")
        + ". Read " + bytes(a.logBytes()) + " of events (" + a.events() + " events) from " + a.source() + "."));

    b.add(new Heading(2, "Findings"));
    if (r.findings().isEmpty()) {
      b.add(new Para("Nothing worth changing was found."));
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (Finding f : r.findings()) {
        rows.add(List.of(f.severity().label(), f.title(), f.evidence(), f.recommendation()));
      }
      b.add(new Table(List.of("severity", "finding", "evidence", "what to do"), rows));
    }

    if (!r.recommendations().isEmpty()) {
      b.add(new Heading(2, "Recommended configuration"));
      StringBuilder submit = new StringBuilder("spark-submit");
      for (Recommendation rec : r.recommendations()) {
        submit.append(" \\\n  ").append(rec.conf());
      }
      b.add(new Code(submit.toString()));
      List<List<String>> rows = new ArrayList<>();
      for (Recommendation rec : r.recommendations()) {
        rows.add(List.of(rec.conf(), rec.effect(), String.join(", ", rec.findings())));
      }
      b.add(new Table(List.of("change", "expected effect", "from findings"), rows));
    }

    Report.Simulation s = r.simulation();
    b.add(new Heading(2, "Time and executors"));
    b.add(new Para("Wall clock " + millis(s.wallClockTime()) + ": driver " + millis(s.driverTime()) + " (" + percent(ratio(s.driverTime(), s.wallClockTime()))
        + "), jobs " + millis(s.executorTime()) + ". Critical path " + millis(s.criticalPath()) + "; with unlimited executors the application would take about "
        + millis(s.idealTime()) + ". Observed " + s.observedExecutors() + " executors x " + s.coresPerExecutor() + " cores; recommended "
        + s.recommendedExecutors() + " (utilization " + percent(s.recommendedUtilization()) + ")."));
    List<List<String>> est = new ArrayList<>();
    for (Estimate e : s.estimates()) {
      est.add(List.of(e.factor() + "x", String.valueOf(e.executors()), millis(e.estimatedTime()), percent(e.utilization())));
    }
    b.add(new Table(List.of("factor", "executors", "estimated time", "core utilization"), est));

    Report.Cost c = r.cost();
    b.add(new Heading(2, "Cost"));
    b.add(new Para(String.format(Locale.ROOT, "%.3f core-hours held, %.3f used by tasks, %.3f wasted; %.3f GB-hours of memory (%.3f wasted). "
        + "About %.3f %s on %s at %.3f %s/h, of which %.3f %s wasted.", c.coreHours(), c.coreHoursUsed(), c.coreHoursWasted(), c.memoryGbHours(),
        c.memoryGbHoursWasted(), c.estimatedCost(), c.currency(), c.instanceType(), c.pricePerHour(), c.currency(), c.wastedCost(), c.currency())));

    b.add(new Heading(2, "Longest stages"));
    List<List<String>> st = new ArrayList<>();
    r.stages().stream().sorted(Comparator.comparingLong(Stage::duration).reversed()).limit(TOP).forEach(x -> st.add(List.of(
        x.stageId() + (x.attemptId() > 0 ? "." + x.attemptId() : ""), shorten(x.name(), 50), x.status(),
        x.numCompleteTasks() + "/" + x.numTasks() + (x.numFailedTasks() > 0 ? " (" + x.numFailedTasks() + " failed)" : ""), millis(x.duration()),
        millis(x.executorRunTime()), bytes(x.inputBytes()), bytes(x.shuffleReadBytes()), bytes(x.shuffleWriteBytes()),
        bytes(x.memoryBytesSpilled() + x.diskBytesSpilled()),
        x.taskDuration() == null ? "-" : millis(x.taskDuration().median()) + " / " + millis(x.taskDuration().max()))));
    b.add(new Table(List.of("stage", "name", "status", "tasks", "duration", "task time", "input", "shuffle read", "shuffle write", "spill",
        "task median / max"), st));

    b.add(new Heading(2, "Executors"));
    List<List<String>> ex = new ArrayList<>();
    r.executors().stream().limit(20).forEach(e -> ex.add(List.of(e.id(), nz(e.hostPort()), String.valueOf(e.totalCores()),
        e.completedTasks() + (e.failedTasks() > 0 ? " (" + e.failedTasks() + " failed)" : ""), millis(e.totalDuration()), millis(e.totalGCTime()),
        bytes(e.totalInputBytes()), bytes(e.totalShuffleRead()), bytes(e.totalShuffleWrite()), e.removeReason() == null ? "" : shorten(e.removeReason(), 60))));
    b.add(new Table(List.of("id", "host", "cores", "tasks", "task time", "GC", "input", "shuffle read", "shuffle write", "removed because"), ex));
    if (r.executors().size() > 20) {
      b.add(new Para("... and " + (r.executors().size() - 20) + " more executors (see the JSON report)."));
    }

    if (!r.sql().isEmpty()) {
      b.add(new Heading(2, "Longest SQL executions"));
      List<List<String>> q = new ArrayList<>();
      r.sql().stream().sorted(Comparator.comparingLong(Sql::duration).reversed()).limit(TOP).forEach(x -> q.add(List.of(String.valueOf(x.id()),
          shorten(x.description(), 50), x.status(), millis(x.duration()), x.joins().toString(), String.valueOf(x.scans().size()))));
      b.add(new Table(List.of("id", "description", "status", "duration", "joins", "scans"), q));
    }

    if (!r.warnings().isEmpty()) {
      b.add(new Heading(2, "Warnings"));
      r.warnings().forEach(w -> b.add(new Para("- " + w)));
    }
    return b;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : (double) a / b;
  }

  private static String time(long epochMs) {
    return epochMs <= 0 ? "?" : Instant.ofEpochMilli(epochMs).toString();
  }

  private static String nz(String s) {
    return s == null ? "?" : s;
  }

  private static String shorten(String s, int max) {
    String one = s == null ? "" : s.replace('\n', ' ');
    return one.length() > max ? one.substring(0, max) + "..." : one;
  }

  // ---- writers ----

  private static String markdown(List<Block> blocks) {
    StringBuilder out = new StringBuilder();
    for (Block block : blocks) {
      switch (block) {
        case Heading h -> out.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
        case Para p -> out.append(p.text()).append(p.text().startsWith("- ") ? "\n" : "\n\n");
        case Code c -> out.append("```\n").append(c.text()).append("\n```\n\n");
        case Table t -> {
          out.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
          t.header().forEach(x -> out.append("---|"));
          out.append('\n');
          for (List<String> row : t.rows()) {
            out.append("| ");
            for (int i = 0; i < row.size(); i++) {
              out.append(i == 0 ? "" : " | ").append(row.get(i).replace("|", "\\|").replace('\n', ' '));
            }
            out.append(" |\n");
          }
          out.append('\n');
        }
      }
    }
    return out.toString();
  }

  private static String html(String title, List<Block> blocks) {
    StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;margin:1em 0}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}th{background:#f3f3f3}"
            + "pre{background:#f6f6f6;padding:1em}.critical{background:#f8d0d0}.severe{background:#fbe0c8}.moderate{background:#fdf3c4}"
            + ".low{background:#e8f1fb}</style></head><body>\n");
    for (Block block : blocks) {
      switch (block) {
        case Heading h -> out.append("<h").append(h.level()).append('>').append(esc(h.text())).append("</h").append(h.level()).append(">\n");
        case Para p -> out.append("<p>").append(esc(p.text())).append("</p>\n");
        case Code c -> out.append("<pre>").append(esc(c.text())).append("</pre>\n");
        case Table t -> {
          out.append("<table><tr>");
          t.header().forEach(x -> out.append("<th>").append(esc(x)).append("</th>"));
          out.append("</tr>\n");
          for (List<String> row : t.rows()) {
            String first = row.isEmpty() ? "" : row.getFirst();
            boolean severity = t.header().getFirst().equals("severity");
            out.append(severity ? "<tr class=\"" + esc(first) + "\">" : "<tr>");
            row.forEach(x -> out.append("<td>").append(esc(x)).append("</td>"));
            out.append("</tr>\n");
          }
          out.append("</table>\n");
        }
      }
    }
    return out.append("</body></html>\n").toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

}
