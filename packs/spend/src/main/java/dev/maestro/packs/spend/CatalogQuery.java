package dev.maestro.packs.spend;

import dev.maestro.engine.InvalidInputException;
import java.math.BigDecimal;

/**
 * What to look for in the catalog. All filters optional.
 *
 * @param mode {@code chat} unless set; null for every mode
 * @param workload tokens to price on every model found, which then ranks them
 */
public record CatalogQuery(
    String text,
    String provider,
    String mode,
    long minContext,
    boolean tools,
    boolean vision,
    boolean reasoning,
    BigDecimal maxInputPrice,
    BigDecimal maxOutputPrice,
    boolean includeDeprecated,
    TokenUsage workload,
    int limit) {

  public CatalogQuery {
    if (limit < 1 || limit > 1000) {
      throw new InvalidInputException("limit is " + limit + "; ask for 1 to 1000 models");
    }
    if (minContext < 0) {
      throw new InvalidInputException("minimum context is " + minContext + "; it cannot be negative");
    }
  }

  /** Chat models, cheapest first, at most 20. */
  public static CatalogQuery chat() {
    return new CatalogQuery(null, null, "chat", 0, false, false, false, null, null, false, null, 20);
  }

  public CatalogQuery withText(String t) {
    return new CatalogQuery(t, provider, mode, minContext, tools, vision, reasoning, maxInputPrice, maxOutputPrice, includeDeprecated, workload, limit);
  }

  public CatalogQuery withProvider(String p) {
    return new CatalogQuery(text, p, mode, minContext, tools, vision, reasoning, maxInputPrice, maxOutputPrice, includeDeprecated, workload, limit);
  }

  public CatalogQuery withMinContext(long tokens) {
    return new CatalogQuery(text, provider, mode, tokens, tools, vision, reasoning, maxInputPrice, maxOutputPrice, includeDeprecated, workload, limit);
  }

  public CatalogQuery withTools(boolean t) {
    return new CatalogQuery(text, provider, mode, minContext, t, vision, reasoning, maxInputPrice, maxOutputPrice, includeDeprecated, workload, limit);
  }

  public CatalogQuery withMaxInputPrice(BigDecimal price) {
    return new CatalogQuery(text, provider, mode, minContext, tools, vision, reasoning, price, maxOutputPrice, includeDeprecated, workload, limit);
  }

  public CatalogQuery withWorkload(TokenUsage w) {
    return new CatalogQuery(text, provider, mode, minContext, tools, vision, reasoning, maxInputPrice, maxOutputPrice, includeDeprecated, w, limit);
  }

  public CatalogQuery withLimit(int n) {
    return new CatalogQuery(text, provider, mode, minContext, tools, vision, reasoning, maxInputPrice, maxOutputPrice, includeDeprecated, workload, n);
  }

  public CatalogQuery withMode(String m) {
    return new CatalogQuery(text, provider, m, minContext, tools, vision, reasoning, maxInputPrice, maxOutputPrice, includeDeprecated, workload, limit);
  }
}
