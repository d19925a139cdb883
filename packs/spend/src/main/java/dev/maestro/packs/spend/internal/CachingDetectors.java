package dev.maestro.packs.spend.internal;

import static dev.maestro.packs.spend.internal.Detectors.count;
import static dev.maestro.packs.spend.internal.Detectors.usd;

import dev.maestro.packs.spend.ModelPrice;
import dev.maestro.packs.spend.SpendReport;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Detectors 1 and 2: the same prompt sent again, and long shared prefixes sent without prompt caching. */
final class CachingDetectors {
  private CachingDetectors() {}

  static boolean hasPrompts(Detectors.Context ctx) {
    if (ctx.hasPrompts() != null) {
      return ctx.hasPrompts();
    }
    boolean any = !Sql.list(ctx.db(), "SELECT 1 FROM usage WHERE prompt_hash IS NOT NULL LIMIT 1", rs -> 1).isEmpty();
    if (!any) {
      ctx.warnings().add("response_caching and prompt_caching need prompts or prompt hashes; none of the input has them, so they found nothing");
    }
    ctx.hasPrompts(any);
    return any;
  }

  /** 1. Identical requests repeated: every repeat after the first could be served from a response cache. */
  static final class ResponseCaching implements Detectors.Detector {
    @Override
    public Optional<SpendReport.Finding> detect(Detectors.Context ctx) {
      if (!hasPrompts(ctx)) {
        return Optional.empty();
      }
      // Two passes: the hashes seen more than once (one BIGINT key, a count), then the details of those rows only.
      String groups = """
          WITH twice AS (
            SELECT prompt_hash FROM usage WHERE prompt_hash IS NOT NULL AND NOT error AND cost_pico IS NOT NULL AND requests = 1
            GROUP BY prompt_hash HAVING count(*) > 1)
          SELECT provider, model, count(*) AS n, sum(cost_pico) - arg_min(cost_pico, ts) AS saved, arg_min(file_id, ts) AS file_id, arg_min(line, ts) AS line
          FROM usage SEMI JOIN twice USING (prompt_hash)
          WHERE NOT error AND cost_pico IS NOT NULL AND requests = 1
          GROUP BY provider, model, prompt_hash HAVING count(*) > 1""";
      Sql.execute(ctx.db(), "CREATE OR REPLACE TEMP TABLE repeats AS " + groups);
      var totals = Sql.one(ctx.db(), "SELECT count(*), coalesce(sum(n - 1), 0), sum(saved) FROM repeats",
          rs -> new Object[] {rs.getLong(1), rs.getLong(2), Sql.usd(rs, 3)});
      long distinct = (Long) totals[0];
      if (distinct == 0) {
        return Optional.empty();
      }
      BigDecimal saved = (BigDecimal) totals[2];
      List<String> evidence = new ArrayList<>();
      evidence.add(count((Long) totals[1]) + " requests repeated an identical earlier prompt to the same model (" + count(distinct)
          + " distinct prompts); they cost " + usd(saved));
      Sql.list(ctx.db(), "SELECT provider, model, n, saved, f.name, line FROM repeats g JOIN files f ON f.id = g.file_id ORDER BY saved DESC, n DESC LIMIT 3",
          rs -> evidence.add("a prompt to " + rs.getString(1) + "/" + rs.getString(2) + " was sent " + rs.getLong(3) + " times (first at "
              + rs.getString(5) + ":" + rs.getLong(6) + "); repeats cost " + usd(Sql.usd(rs.getLong(4)))));
      return ctx.finding("response_caching", "Identical requests repeated", evidence,
          "Cache responses by prompt (an exact-match cache in the gateway, e.g. LiteLLM caching) and serve repeats from it", saved);
    }
  }

  /**
   * 2. Long repeated prompt prefixes that were never read from the provider's prompt cache. Prompt
   * caching starts at 1,024 tokens (OpenAI, Anthropic); the savings counted are that minimum per
   * repeat, at the input price minus the cache-read price.
   */
  static final class PromptCaching implements Detectors.Detector {
    static final long MIN_CACHEABLE = 1_024;

    @Override
    public Optional<SpendReport.Finding> detect(Detectors.Context ctx) {
      if (Sql.list(ctx.db(), "SELECT 1 FROM usage WHERE prefix_hash IS NOT NULL LIMIT 1", rs -> 1).isEmpty()) {
        return Optional.empty();
      }
      var rows = Sql.list(ctx.db(), """
          SELECT catalog_id, sum(n - 1), count(*), max(n) FROM (
            SELECT catalog_id, prefix_hash, count(*) AS n FROM usage
            WHERE prefix_hash IS NOT NULL AND input_tokens >= 1024 AND cache_read_tokens = 0 AND NOT error AND cost_pico IS NOT NULL
            GROUP BY ALL HAVING count(*) > 1)
          GROUP BY 1 ORDER BY 2 DESC""", rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
      BigDecimal saved = BigDecimal.ZERO;
      long repeats = 0;
      List<String> evidence = new ArrayList<>();
      for (Object[] r : rows) {
        ModelPrice m = ctx.store().model((String) r[0]);
        Rates rates = ctx.store().rates(m);
        long perToken = rates.inputPicos() - rates.cacheReadPicos();
        if (perToken <= 0) {
          continue; // the provider offers no cheaper cache reads for this model
        }
        BigDecimal s = Sql.usd(java.math.BigInteger.valueOf((Long) r[1] * MIN_CACHEABLE).multiply(java.math.BigInteger.valueOf(perToken)));
        saved = saved.add(s);
        repeats += (Long) r[1];
        if (evidence.size() < ctx.top()) {
          evidence.add(m.key() + ": " + count((Long) r[1]) + " requests reused one of " + count((Long) r[2])
              + " prompt prefixes of at least 1,024 tokens (largest group " + count((Long) r[3]) + ") with no cache reads; at "
              + usd(m.prices().input()) + " vs " + usd(m.prices().cacheRead() == null ? m.prices().input() : m.prices().cacheRead())
              + " per million cached, that is " + usd(s));
        }
      }
      if (repeats == 0) {
        return Optional.empty();
      }
      evidence.addFirst(count(repeats) + " requests began with the same first 4,096 characters (about 1,024 tokens) as an earlier one and read nothing from the cache");
      return ctx.finding("prompt_caching", "Long repeated prompt prefixes not using prompt caching", evidence,
          "Put the static part of the prompt (instructions, tools, documents) first and unchanged; mark it with cache_control on Anthropic, "
              + "OpenAI caches identical prefixes of 1,024+ tokens automatically. Savings counted at the 1,024-token minimum per repeat",
          saved);
    }
  }
}
