package dev.maestro.packs.spend.internal;

import dev.maestro.packs.spend.AnalysisOptions;
import dev.maestro.packs.spend.SpendReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;

/** The eight waste detectors and what they share. */
final class Detectors {
  private Detectors() {}

  /** A kind of waste; finds nothing (empty) when the data does not show it. */
  sealed interface Detector permits CachingDetectors.ResponseCaching, CachingDetectors.PromptCaching, ModelDetectors.BatchApi,
      ModelDetectors.ModelDowngrade, ModelDetectors.ProviderSwitch, WasteDetectors.FailedRequests, WasteDetectors.ContextBloat,
      WasteDetectors.KvCache {
    Optional<SpendReport.Finding> detect(Context ctx);
  }

  static final List<Detector> ALL = List.of(new CachingDetectors.ResponseCaching(), new CachingDetectors.PromptCaching(), new ModelDetectors.BatchApi(),
      new ModelDetectors.ModelDowngrade(), new ModelDetectors.ProviderSwitch(), new WasteDetectors.FailedRequests(), new WasteDetectors.ContextBloat(),
      new WasteDetectors.KvCache());

  /** What every detector reads, and how savings over the observed period become monthly figures. */
  static final class Context {
    private final Connection db;
    private final UsageStore store;
    private final AnalysisOptions options;
    private final double days;
    private final BigDecimal totalCostUsd;
    private final List<String> warnings;
    private Boolean hasPrompts;

    Context(Connection db, UsageStore store, AnalysisOptions options, double days, BigDecimal totalCostUsd, List<String> warnings) {
      this.db = db;
      this.store = store;
      this.options = options;
      this.days = days;
      this.totalCostUsd = totalCostUsd;
      this.warnings = warnings;
    }

    Connection db() {
      return db;
    }

    UsageStore store() {
      return store;
    }

    AnalysisOptions options() {
      return options;
    }

    double days() {
      return days;
    }

    List<String> warnings() {
      return warnings;
    }

    /** Whether any row has a prompt hash; null until a detector looked. */
    Boolean hasPrompts() {
      return hasPrompts;
    }

    void hasPrompts(boolean any) {
      hasPrompts = any;
    }

    BigDecimal monthly(BigDecimal overPeriod) {
      return Sql.cents(overPeriod.multiply(BigDecimal.valueOf(30)).divide(BigDecimal.valueOf(days), 10, RoundingMode.HALF_UP));
    }

    BigDecimal percent(BigDecimal overPeriod) {
      if (totalCostUsd.signum() == 0) {
        return BigDecimal.ZERO;
      }
      return overPeriod.multiply(BigDecimal.valueOf(100)).divide(totalCostUsd, 1, RoundingMode.HALF_UP);
    }

    /** A finding whose savings over the observed period are {@code savedUsd}. */
    Optional<SpendReport.Finding> finding(String detector, String title, List<String> evidence, String recommendation, BigDecimal savedUsd) {
      return Optional.of(new SpendReport.Finding(detector, title, List.copyOf(evidence), recommendation, monthly(savedUsd), percent(savedUsd)));
    }

    int top() {
      return options.top();
    }
  }

  static String usd(BigDecimal v) {
    return "$" + v.setScale(v.abs().compareTo(BigDecimal.ONE) >= 0 ? 2 : 4, RoundingMode.HALF_UP).toPlainString();
  }

  static String count(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }
}
