package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maestro.packs.spend.SpendReport;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** The report as JSON (camelCase, as the issue fixes it), Markdown or HTML. */
public final class ReportWriter {
  public static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL)).build();

  private ReportWriter() {}

  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compact JSON, for tools. */
  public static String compact(Object value) {
    try {
      return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String markdown(SpendReport r) {
    StringBuilder md = new StringBuilder("# LLM spend report\n\n");
    var s = r.summary();
    md.append("Period: ").append(s.period().start()).append(" to ").append(s.period().end()).append(" (").append(s.period().days()).append(" days)\n\n");
    md.append("| | |\n|---|---:|\n");
    md.append("| Total cost | ").append(money(s.totalCostUsd())).append(" |\n");
    md.append("| Requests | ").append(n(s.requests())).append(" |\n");
    md.append("| Input tokens | ").append(n(s.inputTokens())).append(" |\n");
    md.append("| Output tokens | ").append(n(s.outputTokens())).append(" |\n");
    md.append("| Cache read / write tokens | ").append(n(s.cacheReadTokens())).append(" / ").append(n(s.cacheWriteTokens())).append(" |\n");
    md.append("| Failed requests | ").append(n(s.failedRequests())).append(" |\n");
    BigDecimal savings = r.findings().stream().map(SpendReport.Finding::estimatedMonthlySavingsUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    md.append("| Estimated monthly savings | ").append(money(savings)).append(" |\n\n");
    md.append("## Findings\n\n");
    if (r.findings().isEmpty()) {
      md.append("No waste found.\n\n");
    }
    for (SpendReport.Finding f : r.findings()) {
      md.append("### ").append(f.title()).append(" — ").append(money(f.estimatedMonthlySavingsUsd())).append(" a month (").append(f.savingsPercent())
          .append("%)\n\n");
      for (String e : f.evidence()) {
        md.append("- ").append(e).append('\n');
      }
      md.append("\n**Recommendation:** ").append(f.recommendation()).append("\n\n");
    }
    table(md, "Cost by model", List.of("Provider", "Model", "Requests", "Input", "Output", "Cost"), r.breakdowns().byModel().stream()
        .map(g -> List.of(g.provider(), g.model(), n(g.requests()), n(g.inputTokens()), n(g.outputTokens()), money(g.costUsd()))).toList());
    table(md, "Cost by project", List.of("Project", "Requests", "Cost"),
        r.breakdowns().byProject().stream().map(g -> List.of(g.project(), n(g.requests()), money(g.costUsd()))).toList());
    table(md, "Cost by user", List.of("User", "Requests", "Cost"),
        r.breakdowns().byUser().stream().map(g -> List.of(g.user(), n(g.requests()), money(g.costUsd()))).toList());
    table(md, "Cost by tag", List.of("Tag", "Requests", "Cost"),
        r.breakdowns().byTag().stream().map(g -> List.of(g.tag(), n(g.requests()), money(g.costUsd()))).toList());
    List<SpendReport.Group> days = r.breakdowns().byDay();
    table(md, "Cost by day", List.of("Day", "Requests", "Cost"),
        days.subList(Math.max(0, days.size() - 31), days.size()).stream().map(g -> List.of(g.day(), n(g.requests()), money(g.costUsd()))).toList());
    if (r.breakdowns().trend() != null) {
      var t = r.breakdowns().trend();
      md.append("Last 7 days ").append(money(t.lastWeekCostUsd())).append(" against ").append(money(t.previousWeekCostUsd())).append(" the 7 before")
          .append(t.changePercent() == null ? "" : " (" + t.changePercent() + "%)").append(".\n\n");
    }
    table(md, "Most expensive requests", List.of("Where", "Time", "Model", "Input", "Output", "Cost"), r.breakdowns().topRequests().stream()
        .map(t -> List.of(t.file() + ":" + t.line(), t.time(), t.provider() + "/" + t.model(), n(t.inputTokens()), n(t.outputTokens()), money(t.costUsd())))
        .toList());
    if (!r.unpriced().isEmpty()) {
      table(md, "Models without a price (not in the total)", List.of("Provider", "Model", "Rows", "Requests"),
          r.unpriced().stream().map(u -> List.of(u.provider(), u.model(), n(u.rows()), n(u.requests()))).toList());
    }
    if (!r.warnings().isEmpty() || r.badRows().count() > 0) {
      md.append("## Warnings\n\n");
      r.warnings().forEach(w -> md.append("- ").append(w).append('\n'));
      if (r.badRows().count() > 0) {
        md.append("- ").append(n(r.badRows().count())).append(" bad row(s) were not used; the first:\n");
        r.badRows().first().forEach(b -> md.append("  - ").append(b).append('\n'));
      }
      md.append('\n');
    }
    md.append("Prices: ");
    md.append(String.join("; ", r.catalog().stream().map(c -> c.name() + (c.date().isEmpty() ? "" : " (" + c.date() + ", " + c.licence() + ")")).toList()));
    return md.append(".\n").toString();
  }

  private static void table(StringBuilder md, String title, List<String> header, List<List<String>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    md.append("## ").append(title).append("\n\n| ").append(String.join(" | ", header)).append(" |\n|");
    header.forEach(h -> md.append("---|"));
    md.append('\n');
    for (List<String> row : rows) {
      md.append("| ").append(String.join(" | ", row.stream().map(c -> c == null ? "" : c.replace("|", "\\|")).toList())).append(" |\n");
    }
    md.append('\n');
  }

  /** A self-contained HTML page of the Markdown report's content. */
  public static String html(SpendReport r) {
    StringBuilder h = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>LLM spend report</title>\n<style>"
        + "body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#222}"
        + "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}"
        + "td.n{text-align:right}h3{margin-top:2rem}.rec{background:#eef6ee;padding:.5rem 1rem;border-left:4px solid #4a4}</style></head><body>\n");
    for (String line : markdown(r).split("\n")) {
      if (line.startsWith("### ")) {
        closeList(h);
        h.append("<h3>").append(esc(line.substring(4))).append("</h3>\n");
      } else if (line.startsWith("## ")) {
        closeList(h);
        h.append("<h2>").append(esc(line.substring(3))).append("</h2>\n");
      } else if (line.startsWith("# ")) {
        h.append("<h1>").append(esc(line.substring(2))).append("</h1>\n");
      } else if (line.startsWith("|---")) {
        continue;
      } else if (line.startsWith("| ")) {
        if (!h.toString().endsWith("</tr>\n")) {
          h.append("<table>\n");
        }
        h.append("<tr>");
        String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
        for (String c : cells) {
          boolean number = c.matches("[$0-9.,/ %-]+") && !c.isBlank();
          h.append(number ? "<td class=\"n\">" : "<td>").append(esc(c)).append("</td>");
        }
        h.append("</tr>\n");
      } else if (line.startsWith("- ") || line.startsWith("  - ")) {
        if (!h.toString().endsWith("</li>\n")) {
          h.append("<ul>\n");
        }
        h.append("<li>").append(esc(line.strip().substring(2))).append("</li>\n");
      } else if (line.startsWith("**Recommendation:** ")) {
        h.append("<p class=\"rec\"><strong>Recommendation:</strong> ").append(esc(line.substring(20))).append("</p>\n");
      } else if (!line.isBlank()) {
        closeList(h);
        h.append("<p>").append(esc(line)).append("</p>\n");
      } else {
        closeList(h);
      }
    }
    return h.append("</body></html>\n").toString();
  }

  private static void closeList(StringBuilder h) {
    String s = h.toString();
    if (s.endsWith("</li>\n")) {
      h.append("</ul>\n");
    } else if (s.endsWith("</tr>\n")) {
      h.append("</table>\n");
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("**", "");
  }

  /** Dollars to the cent from $1, else to the micro-dollar without trailing zeros; "unpriced" for null. */
  static String money(BigDecimal v) {
    if (v == null) {
      return "unpriced";
    }
    if (v.abs().compareTo(BigDecimal.ONE) >= 0) {
      return "$" + String.format(Locale.ROOT, "%,.2f", v);
    }
    BigDecimal r = v.setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
    return "$" + (r.scale() < 2 ? r.setScale(2) : r).toPlainString();
  }

  static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }
}
