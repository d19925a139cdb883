package dev.maestro.packs.spend;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Settings of an analysis.
 *
 * @param latencyTolerant workloads (project, tag or user names) that can wait hours for an answer
 *     and so could use batch APIs
 * @param deployments self-hosted deployments from the price overrides file, for KV-cache sizing
 * @param top how many entries the breakdowns and evidence lists keep
 */
public record AnalysisOptions(Pattern latencyTolerant, List<SelfHostedDeployment> deployments, int top) {

  /** Names that usually mean offline work: evaluations, nightly jobs, backfills, reports. */
  public static final Pattern OFFLINE_WORK = Pattern.compile("(?i)batch|nightly|offline|eval|backfill|etl|cron|bulk|report|digest|scheduled|async");

  public static final AnalysisOptions DEFAULT = new AnalysisOptions(OFFLINE_WORK, List.of(), 10);

  public AnalysisOptions {
    latencyTolerant = latencyTolerant == null ? OFFLINE_WORK : latencyTolerant;
    deployments = deployments == null ? List.of() : List.copyOf(deployments);
    top = top <= 0 ? 10 : top;
  }

  public AnalysisOptions withDeployments(List<SelfHostedDeployment> d) {
    return new AnalysisOptions(latencyTolerant, d, top);
  }

  /** The self-hosted deployments declared in a price overrides file (entries priced per GPU-hour). */
  public static List<SelfHostedDeployment> deploymentsIn(java.nio.file.Path priceOverrides) {
    return dev.maestro.packs.spend.internal.Overrides.deployments(priceOverrides);
  }
}
