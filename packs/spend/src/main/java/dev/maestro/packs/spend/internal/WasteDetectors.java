package dev.maestro.packs.spend.internal;

import static dev.maestro.packs.spend.internal.Detectors.count;
import static dev.maestro.packs.spend.internal.Detectors.usd;

import dev.maestro.packs.spend.ModelPrice;
import dev.maestro.packs.spend.SelfHostedDeployment;
import dev.maestro.packs.spend.SpendReport;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Detectors 6, 7 and 8: failed requests, context bloat, and KV-cache sizing of self-hosted models. */
final class WasteDetectors {
  private WasteDetectors() {}

  /** 6. Failed requests that were billed, and retries of a failed prompt within five minutes. */
  static final class FailedRequests implements Detectors.Detector {
    @Override
    public Optional<SpendReport.Finding> detect(Detectors.Context ctx) {
      Object[] t = Sql.one(ctx.db(), "SELECT coalesce(sum(requests) FILTER (WHERE error), 0), sum(cost_pico) FILTER (WHERE error), sum(requests) FROM usage",
          rs -> new Object[] {rs.getLong(1), Sql.usd(rs, 2), rs.getLong(3)});
      BigDecimal saved = (BigDecimal) t[1];
      if ((Long) t[0] == 0 || saved.signum() == 0) {
        return Optional.empty();
      }
      long retries = Sql.one(ctx.db(), """
          WITH failed AS (SELECT DISTINCT prompt_hash FROM usage WHERE error AND prompt_hash IS NOT NULL)
          SELECT count(*) FROM (
            SELECT lag(error) OVER w AS prev_error, ts - lag(ts) OVER w AS gap FROM usage SEMI JOIN failed USING (prompt_hash)
            WINDOW w AS (PARTITION BY prompt_hash ORDER BY ts, line))
          WHERE prev_error AND gap <= INTERVAL 5 MINUTE""", rs -> rs.getLong(1));
      List<String> evidence = new ArrayList<>();
      long all = Math.max(1, (Long) t[2]);
      evidence.add(count((Long) t[0]) + " failed requests (" + BigDecimal.valueOf((Long) t[0] * 1000 / all, 1) + "% of all) were billed " + usd(saved));
      if (retries > 0) {
        evidence.add(count(retries) + " requests retried a prompt that had failed less than five minutes earlier");
      }
      Sql.list(ctx.db(), "SELECT provider, model, sum(requests), sum(cost_pico) FROM usage WHERE error AND cost_pico IS NOT NULL GROUP BY 1, 2 "
          + "ORDER BY 4 DESC LIMIT 3", rs -> evidence.add(rs.getString(1) + "/" + rs.getString(2) + ": " + count(rs.getLong(3)) + " failures, "
              + usd(Sql.usd(rs, 4))));
      return ctx.finding("failed_requests", "Failed requests and retries that cost tokens", evidence,
          "Find why these requests fail (timeouts, context overflow, invalid tool output, rate limits) and retry with backoff only on "
              + "retryable errors; the savings counted are the billed cost of the failures",
          saved);
    }
  }

  /**
   * 7. Context bloat: requests whose input is over four times the usual input of their workload
   * (same model and tag) and over 50 times their output; and conversations whose history keeps
   * growing (five calls or more, the last input at least three times the first).
   */
  static final class ContextBloat implements Detectors.Detector {
    @Override
    public Optional<SpendReport.Finding> detect(Detectors.Context ctx) {
      var outliers = Sql.list(ctx.db(), """
          WITH med AS (
            SELECT catalog_id, coalesce(tag, '') AS t, median(input_tokens) AS m FROM usage
            WHERE cost_pico IS NOT NULL AND NOT error AND requests = 1 AND (line % $SAMPLE = 0) GROUP BY ALL HAVING count(*) >= 20)
          SELECT u.catalog_id, count(*), sum(u.input_tokens - med.m)::BIGINT, max(u.input_tokens), any_value(med.m)::BIGINT
          FROM usage u JOIN med ON u.catalog_id = med.catalog_id AND coalesce(u.tag, '') = med.t
          WHERE u.requests = 1 AND NOT u.error AND u.input_tokens > 4 * med.m AND u.input_tokens >= 8000 AND u.input_tokens > 50 * u.output_tokens
          GROUP BY 1 ORDER BY 3 DESC""".replace("$SAMPLE", String.valueOf(sample(ctx))), rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
      var sessions = Sql.list(ctx.db(), """
          WITH s AS (
            SELECT session, arg_min(input_tokens, (ts, line)) AS first, arg_max(input_tokens, (ts, line)) AS last, count(*) AS n
            FROM usage WHERE session IS NOT NULL AND cost_pico IS NOT NULL AND requests = 1 GROUP BY session
            HAVING count(*) >= 5)
          SELECT u.catalog_id, count(DISTINCT u.session), sum(greatest(u.input_tokens - 2 * s.first, 0))::BIGINT, max(s.n)
          FROM usage u JOIN s ON u.session = s.session
          WHERE s.last >= 3 * s.first AND s.first > 0 AND u.cost_pico IS NOT NULL AND u.requests = 1 GROUP BY 1 ORDER BY 3 DESC""",
          rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
      BigDecimal saved = BigDecimal.ZERO;
      List<String> evidence = new ArrayList<>();
      for (Object[] o : outliers) {
        ModelPrice m = ctx.store().model((String) o[0]);
        BigDecimal s = Sql.usd(java.math.BigInteger.valueOf((Long) o[2]).multiply(java.math.BigInteger.valueOf(ctx.store().rates(m).inputPicos())));
        saved = saved.add(s);
        if (evidence.size() < ctx.top()) {
          evidence.add(m.key() + ": " + count((Long) o[1]) + " requests sent over 4x the usual input (median " + count((Long) o[4]) + ", largest "
              + count((Long) o[3]) + " tokens) for short answers; the excess input cost " + usd(s));
        }
      }
      for (Object[] o : sessions) {
        ModelPrice m = ctx.store().model((String) o[0]);
        BigDecimal s = Sql.usd(java.math.BigInteger.valueOf((Long) o[2]).multiply(java.math.BigInteger.valueOf(ctx.store().rates(m).inputPicos())));
        if (s.signum() == 0) {
          continue;
        }
        saved = saved.add(s);
        if (evidence.size() < ctx.top()) {
          evidence.add(m.key() + ": " + count((Long) o[1]) + " conversations grew their history to 3x their first input or more (up to "
              + o[3] + " calls); input beyond twice the first call cost " + usd(s));
        }
      }
      if (saved.signum() == 0) {
        return Optional.empty();
      }
      return ctx.finding("context_bloat", "Context bloat: oversized inputs and growing conversation histories", evidence,
          "Trim retrieved context to what the question needs, and summarise or window conversation history instead of resending all of it",
          saved);
    }
  }

  /**
   * Medians are taken over every row up to a million rows, above that over the rows whose line
   * number is a multiple of 10 (deterministic, and plenty for a threshold).
   */
  static int sample(Detectors.Context ctx) {
    return Sql.one(ctx.db(), "SELECT count(*) FROM usage", rs -> rs.getLong(1)) > 1_000_000 ? 10 : 1;
  }

  /** Providers whose models run on the user's own hardware. */
  static final Set<String> SELF_HOSTED = Set.of("self-hosted", "vllm", "ollama", "llama.cpp", "llamacpp", "tgi", "sglang", "local", "lmstudio");

  /**
   * Architectures of common open models, from each model's config.json on Hugging Face
   * (num_hidden_layers, num_key_value_heads, head_dim or hidden_size / num_attention_heads).
   */
  record Architecture(int layers, int kvHeads, int headDim) {}

  static Architecture architecture(String model) {
    String f = ModelDetectors.family(model);
    if (f.startsWith("llama3") || f.startsWith("llama31") || f.startsWith("llama32") || f.startsWith("llama33")) {
      if (f.endsWith("405b")) {
        return new Architecture(126, 8, 128);
      }
      if (f.endsWith("70b")) {
        return new Architecture(80, 8, 128);
      }
      if (f.endsWith("8b")) {
        return new Architecture(32, 8, 128);
      }
    }
    if (f.startsWith("mistral7b") || f.startsWith("mixtral8x7b")) {
      return new Architecture(32, 8, 128);
    }
    if (f.startsWith("qwen25")) {
      if (f.endsWith("72b")) {
        return new Architecture(80, 8, 128);
      }
      if (f.endsWith("32b")) {
        return new Architecture(64, 8, 128);
      }
      if (f.endsWith("14b")) {
        return new Architecture(48, 8, 128);
      }
      if (f.endsWith("7b")) {
        return new Architecture(28, 4, 128);
      }
    }
    if (f.startsWith("gemma29b")) {
      return new Architecture(42, 8, 256);
    }
    if (f.startsWith("gemma227b")) {
      return new Architecture(46, 16, 128);
    }
    return null;
  }

  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final int HOURS_PER_MONTH = 730;

  /**
   * 8. Self-hosted models: KV-cache memory = 2 (keys and values) x layers x KV heads x head size x
   * sequence x concurrent sequences x bytes per value, at the configured context against the 99th
   * percentile sequence actually seen, and with an 8-bit KV cache.
   */
  static final class KvCache implements Detectors.Detector {
    @Override
    public Optional<SpendReport.Finding> detect(Detectors.Context ctx) {
      List<SelfHostedDeployment> deployments = new ArrayList<>(ctx.options().deployments());
      Sql.list(ctx.db(), "SELECT DISTINCT provider, model FROM usage ORDER BY 1, 2", rs -> new String[] {rs.getString(1), rs.getString(2)}).forEach(pm -> {
        boolean configured = deployments.stream().anyMatch(d -> d.model().equalsIgnoreCase(pm[1]));
        if (!configured && SELF_HOSTED.contains(pm[0].toLowerCase(Locale.ROOT)) && architecture(pm[1]) != null) {
          Architecture a = architecture(pm[1]);
          deployments.add(new SelfHostedDeployment(pm[0], pm[1], null, 1, 0, null, a.layers(), a.kvHeads(), a.headDim(), null));
        }
      });
      BigDecimal monthly = BigDecimal.ZERO;
      List<String> evidence = new ArrayList<>();
      for (SelfHostedDeployment d : deployments) {
        Architecture a = d.hasArchitecture() ? new Architecture(d.layers(), d.kvHeads(), d.headDim()) : architecture(d.model());
        if (a == null) {
          ctx.warnings().add("kv_cache: no architecture for self-hosted " + d.model() + "; add layers, kv_heads and head_dim to its price override");
          continue;
        }
        Object[] s = Sql.one(ctx.db(), "SELECT count(*), quantile_disc(input_tokens + output_tokens, 0.99), max(input_tokens + output_tokens), "
            + "avg(latency_ms), (SELECT max(c) FROM (SELECT count(*) AS c FROM usage WHERE lower(model) = lower(" + Sql.quote(d.model())
            + ") GROUP BY date_trunc('minute', ts))) FROM usage WHERE lower(model) = lower(" + Sql.quote(d.model()) + ")",
            rs -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5)});
        if ((Long) s[0] == 0) {
          continue;
        }
        long p99 = (Long) s[1];
        long context = d.contextWindow() > 0 ? d.contextWindow() : Long.highestOneBit(Math.max(1, (Long) s[2] - 1)) << 1;
        // Little's law: sequences in flight = arrival rate x time in the system (peak minute, mean latency)
        double latencySeconds = (Double) s[3] > 0 ? (Double) s[3] / 1000 : 1;
        long concurrent = Math.max(1, (long) Math.ceil((Long) s[4] / 60.0 * latencySeconds));
        int bytes = d.kvBytes() == null ? 2 : d.kvBytes();
        long perToken = 2L * a.layers() * a.kvHeads() * a.headDim() * bytes;
        long shorter = Math.min(context, Long.highestOneBit(Math.max(1, p99 - 1)) << 1);
        double atContext = perToken * (double) context * concurrent / GIB;
        double atShorter = perToken * (double) shorter * concurrent / GIB;
        double atShorter8bit = bytes > 1 ? atShorter / bytes : atShorter;
        double freed = atContext - atShorter8bit;
        if (freed <= 0.01) {
          continue;
        }
        String line = String.format(Locale.ROOT, "%s: KV cache %,d bytes per token (2 x %d layers x %d KV heads x %d head size x %d bytes); "
            + "%d concurrent sequences at the %,d-token context need %.1f GiB; the 99th-percentile sequence is %,d tokens, so a %,d-token limit needs %.1f GiB, "
            + "and %.1f GiB with an 8-bit KV cache: %.1f GiB freed", d.model(), perToken, a.layers(), a.kvHeads(), a.headDim(), bytes, concurrent, context,
            atContext, p99, shorter, atShorter, atShorter8bit, freed);
        if (d.gpuHour() != null && d.gpuMemoryGib() != null && d.gpus() > 1) {
          long gpusFreed = Math.min(d.gpus() - 1L, (long) Math.floor(freed / d.gpuMemoryGib()));
          if (gpusFreed > 0) {
            BigDecimal m = d.gpuHour().multiply(BigDecimal.valueOf(gpusFreed * HOURS_PER_MONTH));
            monthly = monthly.add(m);
            line += String.format(Locale.ROOT, "; that is %d of %d GPUs (%d GiB each), %s a month at %s per GPU-hour", gpusFreed, d.gpus(),
                d.gpuMemoryGib(), usd(m), usd(d.gpuHour()));
          }
        }
        evidence.add(line);
      }
      if (evidence.isEmpty()) {
        return Optional.empty();
      }
      BigDecimal overPeriod = monthly.multiply(BigDecimal.valueOf(ctx.days())).divide(BigDecimal.valueOf(30), 12, RoundingMode.HALF_UP);
      return ctx.finding("kv_cache", "Self-hosted models: KV-cache memory that shorter contexts or an 8-bit KV cache would free", evidence,
          "Cap the context length near the longest sequences actually used (vLLM --max-model-len) and use an fp8 KV cache (--kv-cache-dtype fp8); "
              + "the memory freed serves more concurrent requests or fewer GPUs",
          overPeriod);
    }
  }
}
