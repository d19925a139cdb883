package dev.maestro.packs.spend.internal;

import static dev.maestro.packs.spend.internal.Detectors.count;
import static dev.maestro.packs.spend.internal.Detectors.usd;

import dev.maestro.packs.spend.ModelPrice;
import dev.maestro.packs.spend.SpendReport;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Detectors 3, 4 and 5: batch APIs, cheaper models, and the same model at a cheaper provider. */
final class ModelDetectors {
  private ModelDetectors() {}

  /** Tokens of a group of rows, and what they cost. */
  record Workload(String key, long rows, long requests, long input, long output, long cacheRead, long cacheWrite, long maxInput, long maxOutput,
      BigDecimal costUsd, String label) {

    /** Aggregate cost on some prices, the tier chosen from the average input per row. */
    BigInteger picos(Rates rates, boolean batch) {
      return rates.exactPicos(input, output, cacheRead, cacheWrite, 0, input / Math.max(1, rows), batch);
    }
  }

  static List<Workload> workloads(Detectors.Context ctx, String where, String extraKey) {
    String key = extraKey == null ? "catalog_id" : "catalog_id, " + extraKey;
    return Sql.list(ctx.db(), "SELECT catalog_id, count(*), sum(requests), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), "
        + "sum(cache_write_tokens), max(input_tokens), max(output_tokens), sum(cost_pico)" + (extraKey == null ? ", NULL" : ", " + extraKey)
        + " FROM usage WHERE cost_pico IS NOT NULL AND NOT error AND " + where + " GROUP BY " + key + " ORDER BY sum(cost_pico) DESC",
        rs -> new Workload(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
            rs.getLong(9), Sql.usd(rs, 10), rs.getString(11)));
  }

  /**
   * Whether a candidate's prices can be compared on this workload. An entry with a cache-read price
   * but no cache-write price is missing data (it would price the writes as plain input and look
   * cheaper than it is); an entry without cache prices at all charges cached tokens at the input
   * price, which is a fair, conservative comparison.
   */
  static boolean comparable(Workload w, ModelPrice candidate) {
    return w.cacheWrite() == 0 || candidate.prices().cacheWrite() != null || candidate.prices().cacheRead() == null;
  }

  /** The actual cost scaled by what the other prices would charge relative to the current ones. */
  static BigDecimal savingOf(Workload w, BigInteger currentPicos, BigInteger otherPicos) {
    if (currentPicos.signum() <= 0 || otherPicos.compareTo(currentPicos) >= 0) {
      return BigDecimal.ZERO;
    }
    return w.costUsd().multiply(new BigDecimal(currentPicos.subtract(otherPicos))).divide(new BigDecimal(currentPicos), 12, RoundingMode.HALF_UP);
  }

  /**
   * 3. Workloads that can wait (offline jobs, evaluations, reports: recognised by their project,
   * tag or user names) sent to the synchronous API of models whose provider has a cheaper batch API.
   */
  static final class BatchApi implements Detectors.Detector {
    @Override
    public Optional<SpendReport.Finding> detect(Detectors.Context ctx) {
      // The pattern is matched against the few distinct names in Java, not against every row.
      java.util.regex.Pattern pattern = ctx.options().latencyTolerant();
      List<String> conditions = new ArrayList<>();
      for (String column : List.of("project", "tag", "user_id")) {
        List<String> matching = Sql.list(ctx.db(), "SELECT DISTINCT " + column + " FROM usage WHERE " + column + " IS NOT NULL", rs -> rs.getString(1))
            .stream().filter(v -> pattern.matcher(v).find()).map(Sql::quote).toList();
        if (!matching.isEmpty()) {
          conditions.add(column + " IN (" + String.join(", ", matching) + ")");
        }
      }
      if (conditions.isEmpty()) {
        return Optional.empty();
      }
      List<Workload> ws = workloads(ctx, "NOT batch AND (" + String.join(" OR ", conditions) + ")", "coalesce(tag, project, user_id)");
      BigDecimal saved = BigDecimal.ZERO;
      List<String> evidence = new ArrayList<>();
      for (Workload w : ws) {
        ModelPrice m = ctx.store().model(w.key());
        Rates rates = ctx.store().rates(m);
        BigDecimal s = savingOf(w, w.picos(rates, false), w.picos(rates, true));
        if (s.signum() <= 0) {
          continue;
        }
        saved = saved.add(s);
        if (evidence.size() < ctx.top()) {
          evidence.add("workload '" + w.label() + "' on " + m.key() + ": " + count(w.rows()) + " synchronous requests costing " + usd(w.costUsd())
              + "; batch prices " + usd(m.prices().batchInput()) + "/" + usd(m.prices().batchOutput()) + " vs " + usd(m.prices().input()) + "/"
              + usd(m.prices().output()) + " per million input/output save " + usd(s));
        }
      }
      if (saved.signum() == 0) {
        return Optional.empty();
      }
      return ctx.finding("batch_api", "Latency-tolerant workloads not using batch APIs", evidence,
          "Send these workloads through the provider's batch API (results within 24 hours, typically at half price)", saved);
    }
  }

  /** Premium: $10 or more per million output tokens (GPT-4o, Claude Sonnet and Opus, o1-class models). */
  static final BigDecimal PREMIUM_OUTPUT = BigDecimal.TEN;

  // Short, simple outputs: at most 256 output tokens from at most 8,000 input tokens (classification,
  // extraction, routing, short answers), where a smaller model of the same provider usually does as well.
  static final long SHORT_OUTPUT = 256;
  static final long SMALL_INPUT = 8_000;
  private static final Pattern SPECIALISED = Pattern.compile("(?i)audio|realtime|search|tts|transcribe|image|embed|moderation|computer|vision-only|codex|guard");

  /** 4. Premium models used for short, simple outputs, and the cheapest catalog model able to take over. */
  static final class ModelDowngrade implements Detectors.Detector {
    @Override
    public Optional<SpendReport.Finding> detect(Detectors.Context ctx) {
      List<Workload> ws = workloads(ctx, "output_tokens <= " + SHORT_OUTPUT + " AND input_tokens <= " + SMALL_INPUT + " AND requests = 1", null);
      BigDecimal saved = BigDecimal.ZERO;
      List<String> evidence = new ArrayList<>();
      for (Workload w : ws) {
        ModelPrice m = ctx.store().model(w.key());
        if (m.prices().output() == null || m.prices().output().compareTo(PREMIUM_OUTPUT) < 0) {
          continue;
        }
        Rates rates = ctx.store().rates(m);
        BigInteger current = w.picos(rates, false);
        ModelPrice best = null;
        BigInteger bestPicos = current;
        for (ModelPrice c : ctx.store().catalog().models()) {
          if (!c.provider().equals(m.provider()) || c == m || c.deprecated() || !"chat".equals(c.capabilities().mode())
              || SPECIALISED.matcher(c.model()).find() || c.contextWindow() == null || c.contextWindow() < w.maxInput() + w.maxOutput()
              || (m.capabilities().tools() && !c.capabilities().tools()) || !c.source().equals(m.source())
              || c.prices().input() == null || c.prices().input().signum() == 0 || !comparable(w, c)) {
            continue;
          }
          BigInteger p = w.picos(Rates.of(c.prices()), false);
          if (p.compareTo(bestPicos) < 0) {
            best = c;
            bestPicos = p;
          }
        }
        if (best == null) {
          continue;
        }
        BigDecimal s = savingOf(w, current, bestPicos);
        saved = saved.add(s);
        if (evidence.size() < ctx.top()) {
          evidence.add(m.key() + " (" + usd(m.prices().output()) + " per million output) answered " + count(w.rows()) + " short requests (average "
              + w.output() / Math.max(1, w.rows()) + " output tokens, largest input " + count(w.maxInput()) + ") costing " + usd(w.costUsd()) + "; "
              + best.key() + " (" + usd(best.prices().input()) + "/" + usd(best.prices().output()) + " per million, context "
              + count(best.contextWindow()) + (best.capabilities().tools() ? ", tools" : "") + ") would cost " + usd(w.costUsd().subtract(s)));
        }
      }
      if (saved.signum() == 0) {
        return Optional.empty();
      }
      return ctx.finding("model_downgrade", "Premium models used for short, simple outputs", evidence,
          "Route short requests (classification, extraction, routing) to the cheaper model named, after checking its answers on a sample", saved);
    }
  }

  /**
   * A model's identity across providers: {@code meta-llama/Llama-3.3-70B-Instruct-Turbo},
   * {@code accounts/fireworks/models/llama-v3p3-70b-instruct} and {@code llama-3.3-70b-versatile}
   * are all {@code llama3370b}.
   */
  static String family(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    m = m.substring(m.lastIndexOf('/') + 1);
    int colon = m.indexOf(':');
    if (colon > 0) {
      m = m.substring(0, colon);
    }
    m = m.replaceFirst("^(anthropic|meta|mistral|amazon|cohere|ai21|deepseek|qwen|google|openai|us|eu|apac|global)\\.", "");
    m = m.replaceFirst("^(us|eu|apac|global)\\.(anthropic|meta|mistral|amazon|deepseek)\\.", "");
    m = m.replaceAll("(\\d)p(\\d)", "$1.$2");
    m = m.replaceAll("-v(\\d)(?=[.-]|$)", "-$1");
    m = m.replaceAll("(-\\d{8}|-\\d{4}-\\d{2}-\\d{2}|@\\d+)", "");
    m = m.replaceAll("-(instruct|chat|turbo|versatile|latest|hf|fp8|fp16|bf16|v\\d+)(?=-|$)", "");
    m = m.replaceAll("^meta-", "");
    return m.replaceAll("[^a-z0-9]", "");
  }

  /** Providers that resell access (gateways) or whose prices are not per-token pay-as-you-go. */
  private static final Pattern NOT_A_SUPPLIER = Pattern.compile("github-copilot|vercel-ai-gateway|llamagate|sample");

  /** 5. The same model, cheaper at another provider. */
  static final class ProviderSwitch implements Detectors.Detector {
    @Override
    public Optional<SpendReport.Finding> detect(Detectors.Context ctx) {
      Map<String, List<ModelPrice>> byFamily = new HashMap<>();
      for (ModelPrice c : ctx.store().catalog().models()) {
        if (!c.deprecated() && "chat".equals(c.capabilities().mode()) && c.prices().input() != null && c.prices().input().signum() > 0
            && !NOT_A_SUPPLIER.matcher(c.provider()).find()) {
          byFamily.computeIfAbsent(family(c.model()), k -> new ArrayList<>()).add(c);
        }
      }
      BigDecimal saved = BigDecimal.ZERO;
      List<String> evidence = new ArrayList<>();
      for (Workload w : workloads(ctx, "TRUE", null)) {
        ModelPrice m = ctx.store().model(w.key());
        BigInteger current = w.picos(ctx.store().rates(m), false);
        ModelPrice best = null;
        BigInteger bestPicos = current;
        for (ModelPrice c : byFamily.getOrDefault(family(m.model()), List.of())) {
          if (c.provider().equals(m.provider()) || (c.contextWindow() != null && c.contextWindow() < w.maxInput() + w.maxOutput())
              || !comparable(w, c)) {
            continue;
          }
          BigInteger p = w.picos(Rates.of(c.prices()), false);
          // a provider at least 3% cheaper: below that, price noise and rounding are not worth a migration
          if (p.compareTo(bestPicos) < 0 && p.multiply(BigInteger.valueOf(100)).compareTo(current.multiply(BigInteger.valueOf(97))) <= 0) {
            best = c;
            bestPicos = p;
          }
        }
        if (best == null) {
          continue;
        }
        BigDecimal s = savingOf(w, current, bestPicos);
        saved = saved.add(s);
        if (evidence.size() < ctx.top()) {
          evidence.add(m.key() + " cost " + usd(w.costUsd()) + " for " + count(w.rows()) + " rows; the same model as " + best.key() + " ("
              + usd(best.prices().input()) + "/" + usd(best.prices().output()) + " per million vs " + usd(m.prices().input()) + "/"
              + usd(m.prices().output()) + ") would cost " + usd(w.costUsd().subtract(s)));
        }
      }
      if (saved.signum() == 0) {
        return Optional.empty();
      }
      return ctx.finding("provider_switch", "The same model is cheaper at another provider", evidence,
          "Move these workloads to the cheaper provider (check its rate limits, data residency and terms first)", saved);
    }
  }
}
