package dev.maestro.packs.spark.internal;

import dev.maestro.packs.spark.internal.Report.Finding;
import dev.maestro.packs.spark.internal.Report.Recommendation;
import dev.maestro.packs.spark.internal.Report.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects findings and the configuration changes they call for, merging changes of one key. */
final class Advice {
  private final List<Finding> findings = new ArrayList<>();
  private final Map<String, Recommendation> recommendations = new LinkedHashMap<>();

  /** Adds a finding unless its severity is none. */
  void finding(String id, String title, Severity severity, String evidence, String recommendation, Integer stageId) {
    if (severity != Severity.NONE) {
      findings.add(new Finding(id, title, severity, evidence, recommendation, stageId));
    }
  }

  /** Recommends {@code --conf key=value} for the finding {@code findingId}; the first value given for a key wins. */
  void conf(String findingId, String key, String value, String effect) {
    Recommendation old = recommendations.get(key);
    if (old == null) {
      recommendations.put(key, new Recommendation(key, value, "--conf " + key + "=" + value, effect, List.of(findingId)));
    } else if (!old.findings().contains(findingId)) {
      List<String> ids = new ArrayList<>(old.findings());
      ids.add(findingId);
      recommendations.put(key, new Recommendation(key, old.value(), old.conf(), old.effect(), List.copyOf(ids)));
    }
  }

  boolean has(String findingId) {
    return findings.stream().anyMatch(f -> f.id().equals(findingId));
  }

  List<Finding> findings() {
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(Comparator.comparing(Finding::severity).reversed());
    return List.copyOf(sorted);
  }

  List<Recommendation> recommendations() {
    // only changes whose finding was kept (a finding of severity none adds no change)
    return recommendations.values().stream().filter(r -> r.findings().stream().anyMatch(this::has)).toList();
  }

  /** The grade of {@code value} against ascending thresholds for low, moderate, severe, critical. */
  static Severity grade(double value, double low, double moderate, double severe, double critical) {
    if (value >= critical) {
      return Severity.CRITICAL;
    }
    if (value >= severe) {
      return Severity.SEVERE;
    }
    if (value >= moderate) {
      return Severity.MODERATE;
    }
    if (value >= low) {
      return Severity.LOW;
    }
    return Severity.NONE;
  }

  /** The grade of {@code value} against descending thresholds (lower is worse). */
  static Severity gradeBelow(double value, double low, double moderate, double severe, double critical) {
    return grade(-value, -low, -moderate, -severe, -critical);
  }
}
