package dev.maestro.packs.spend.internal;

import dev.maestro.packs.spend.AnalysisOptions;
import dev.maestro.packs.spend.SpendReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the report: totals and breakdowns in SQL, then every waste detector. */
public final class Analyzer {
  private final UsageStore store;
  private final Problems problems;
  private final AnalysisOptions options;

  public Analyzer(UsageStore store, Problems problems, AnalysisOptions options) {
    this.store = store;
    this.problems = problems;
    this.options = options;
  }

  public SpendReport report() {
    Connection c = store.connection();
    SpendReport.Summary summary = Sql.one(c, """
        SELECT count(*), coalesce(sum(requests), 0), coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
               coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_write_tokens), 0),
               coalesce(sum(requests) FILTER (WHERE error), 0), sum(cost_pico), count(*) FILTER (WHERE cost_pico IS NULL),
               strftime(min(ts), '%Y-%m-%dT%H:%M:%SZ'), strftime(max(ts), '%Y-%m-%dT%H:%M:%SZ'),
               coalesce(epoch(max(ts)) - epoch(min(ts)), 0)
        FROM usage""", rs -> new SpendReport.Summary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
        rs.getLong(7), Sql.money(Sql.usd(rs, 8)), rs.getLong(9),
        new SpendReport.Period(rs.getString(10), rs.getString(11), Math.max(1.0, Math.round(rs.getDouble(12) / 86_400 * 100) / 100.0))));
    List<String> warnings = new ArrayList<>(problems.warnings());
    List<SpendReport.Finding> findings = new ArrayList<>();
    if (summary.rows() > 0) {
      Detectors.Context ctx = new Detectors.Context(c, store, options, summary.period().days(), summary.totalCostUsd(), warnings);
      if (summary.period().days() != 30) {
        warnings.add("savings are estimated over the " + summary.period().days() + " observed day(s) and scaled to 30 days");
      }
      for (Detectors.Detector d : Detectors.ALL) {
        d.detect(ctx).ifPresent(findings::add);
      }
      findings.sort((a, b) -> b.estimatedMonthlySavingsUsd().compareTo(a.estimatedMonthlySavingsUsd()));
    } else {
      warnings.add("no usable rows were read");
    }
    List<SpendReport.Unpriced> unpriced = new ArrayList<>();
    for (Map.Entry<String, long[]> e : store.unpriced().entrySet()) {
      int slash = e.getKey().indexOf('/');
      unpriced.add(new SpendReport.Unpriced(e.getKey().substring(0, slash), e.getKey().substring(slash + 1), e.getValue()[0], e.getValue()[1]));
    }
    unpriced.sort((a, b) -> Long.compare(b.rows(), a.rows()));
    if (!unpriced.isEmpty()) {
      warnings.add(summary.unpricedRows() + " row(s) of " + unpriced.size()
          + " model(s) the catalog does not know are not in the total cost; add their prices to a price overrides file");
    }
    List<String> bad = problems.firstBadRows().stream().map(Problems.BadRow::toString).toList();
    return new SpendReport(summary, breakdowns(c, summary.period()), findings, unpriced, warnings, new SpendReport.BadRows(problems.badRows(), bad),
        store.catalog().sources());
  }

  private SpendReport.Breakdowns breakdowns(Connection c, SpendReport.Period period) {
    int top = options.top();
    // One scan for every breakdown: a grouping set each, told apart by which keys are set.
    List<SpendReport.Group> groups = Sql.list(c, """
        SELECT strftime(ts, '%Y-%m-%d') AS d, provider AS pr, model AS mo, coalesce(user_id, '(none)') AS us, coalesce(project, '(none)') AS pj,
               coalesce(tag, '(none)') AS tg, sum(requests), sum(input_tokens), sum(output_tokens), sum(cost_pico)
        FROM usage GROUP BY GROUPING SETS ((d), (pr), (pr, mo), (us), (pj), (tg))""",
        rs -> new SpendReport.Group(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7),
            rs.getLong(8), rs.getLong(9), rs.getString(10) == null ? null : Sql.money(Sql.usd(rs, 10))));
    List<SpendReport.Group> byDay = new ArrayList<>();
    List<SpendReport.Group> byProvider = new ArrayList<>();
    List<SpendReport.Group> byModel = new ArrayList<>();
    List<SpendReport.Group> byUser = new ArrayList<>();
    List<SpendReport.Group> byProject = new ArrayList<>();
    List<SpendReport.Group> byTag = new ArrayList<>();
    for (SpendReport.Group g : groups) {
      (g.day() != null ? byDay : g.model() != null ? byModel : g.provider() != null ? byProvider : g.user() != null ? byUser
          : g.project() != null ? byProject : byTag).add(g);
    }
    byDay.sort(Comparator.comparing(SpendReport.Group::day));
    return new SpendReport.Breakdowns(byDay, top(byProvider, top), top(byModel, top), top(byUser, top), top(byProject, top), top(byTag, top),
        Sql.list(c, "SELECT f.name, line, strftime(ts, '%Y-%m-%dT%H:%M:%SZ'), provider, model, input_tokens, output_tokens, cost_pico "
            + "FROM usage JOIN files f ON f.id = usage.file_id WHERE cost_pico IS NOT NULL ORDER BY cost_pico DESC, file_id, line LIMIT " + top,
            rs -> new SpendReport.TopRequest(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6), rs.getLong(7),
                Sql.money(Sql.usd(rs.getLong(8))))),
        trend(c, period));
  }

  /** Most expensive first (groups without a price last), then by name; at most {@code n}. */
  private static List<SpendReport.Group> top(List<SpendReport.Group> groups, int n) {
    groups.sort(Comparator.comparing(SpendReport.Group::costUsd, Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(g -> String.valueOf(g.provider()) + g.model() + g.user() + g.project() + g.tag()));
    return List.copyOf(groups.subList(0, Math.min(n, groups.size())));
  }

  private static SpendReport.Trend trend(Connection c, SpendReport.Period period) {
    if (period.days() < 14) {
      return null;
    }
    return Sql.one(c, """
        WITH last AS (SELECT max(ts) AS t FROM usage)
        SELECT sum(cost_pico) FILTER (WHERE ts > t - INTERVAL 7 DAY), sum(cost_pico) FILTER (WHERE ts <= t - INTERVAL 7 DAY AND ts > t - INTERVAL 14 DAY)
        FROM usage, last""", rs -> {
      BigDecimal last = Sql.money(Sql.usd(rs, 1));
      BigDecimal previous = Sql.money(Sql.usd(rs, 2));
      BigDecimal change = previous.signum() == 0 ? null
          : last.subtract(previous).multiply(BigDecimal.valueOf(100)).divide(previous, 1, RoundingMode.HALF_UP);
      return new SpendReport.Trend(last, previous, change);
    });
  }

  static Optional<SpendReport.Finding> none() {
    return Optional.empty();
  }
}
