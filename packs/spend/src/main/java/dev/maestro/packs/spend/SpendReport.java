package dev.maestro.packs.spend;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.List;

/**
 * What {@code maestro spend analyze} finds: totals, breakdowns, waste findings with their savings,
 * the models it could not price, and what it could not read. Written as JSON with camelCase names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpendReport(
    Summary summary, Breakdowns breakdowns, List<Finding> findings, List<Unpriced> unpriced, List<String> warnings, BadRows badRows,
    List<PriceCatalog.Source> catalog) {

  /**
   * @param totalCostUsd exact sum of the priced rows (rows of unknown models are not in it)
   * @param period first and last time seen, and the days between them (at least 1)
   */
  public record Summary(long rows, long requests, long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
      long failedRequests, BigDecimal totalCostUsd, long unpricedRows, Period period) {}

  public record Period(String start, String end, double days) {}

  /** Cost and tokens per group; only the fields naming the group are set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Group(String day, String provider, String model, String user, String project, String tag, long requests, long inputTokens,
      long outputTokens, BigDecimal costUsd) {}

  /** One of the most expensive rows, and where it is. */
  public record TopRequest(String file, long line, String time, String provider, String model, long inputTokens, long outputTokens,
      BigDecimal costUsd) {}

  /** Cost of the last seven days of the period against the seven before. */
  public record Trend(BigDecimal lastWeekCostUsd, BigDecimal previousWeekCostUsd, BigDecimal changePercent) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Breakdowns(List<Group> byDay, List<Group> byProvider, List<Group> byModel, List<Group> byUser, List<Group> byProject,
      List<Group> byTag, List<TopRequest> topRequests, Trend trend) {}

  /**
   * A kind of waste found, with the facts behind it and what fixing it would save.
   *
   * @param detector {@code response_caching}, {@code prompt_caching}, {@code batch_api}, {@code
   *     model_downgrade}, {@code provider_switch}, {@code failed_requests}, {@code context_bloat} or
   *     {@code kv_cache}
   * @param estimatedMonthlySavingsUsd savings over the observed period scaled to 30 days
   * @param savingsPercent of the monthly cost
   */
  public record Finding(String detector, String title, List<String> evidence, String recommendation, BigDecimal estimatedMonthlySavingsUsd,
      BigDecimal savingsPercent) {}

  public record Unpriced(String provider, String model, long rows, long requests) {}

  public record BadRows(long count, List<String> first) {}
}
