package dev.maestro.packs.spend;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.model.Usage;
import dev.maestro.packs.spend.internal.CatalogFile;
import dev.maestro.packs.spend.internal.Overrides;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prices of language models at their providers, built into the pack from the open catalogs
 * genai-prices and LiteLLM (see {@link #sources()} for their dates and licences), optionally
 * overridden by the user's own prices. Immutable and safe to share; lookups are cached.
 *
 * <p>{@link #price(String, String, TokenUsage)} is the one call most callers need: the exact cost
 * in US dollars of some tokens of a model, or empty when the catalog does not know the model (an
 * unknown model is never priced at zero).
 */
public final class PriceCatalog {

  /** Where the built-in prices come from. */
  public record Source(String name, String url, String revision, String date, String licence) {}

  private final List<Source> sources;
  private final List<CatalogFile.ProviderRule> providerRules;
  private final Map<String, List<CatalogFile.Entry>> byProvider;
  private final List<ModelPrice> all;
  private final Map<String, Optional<ModelPrice>> cache = new ConcurrentHashMap<>();

  private PriceCatalog(List<Source> sources, List<CatalogFile.ProviderRule> providerRules, List<CatalogFile.Entry> entries) {
    this.sources = List.copyOf(sources);
    this.providerRules = List.copyOf(providerRules);
    Map<String, List<CatalogFile.Entry>> map = new LinkedHashMap<>();
    List<ModelPrice> models = new ArrayList<>();
    for (CatalogFile.Entry e : entries) {
      map.computeIfAbsent(e.price().provider(), k -> new ArrayList<>()).add(e);
      models.add(e.price());
    }
    this.byProvider = map;
    this.all = List.copyOf(models);
  }

  /** The catalog shipped with the pack. */
  public static PriceCatalog builtIn() {
    CatalogFile file = CatalogFile.builtIn();
    return new PriceCatalog(file.sources(), file.providers(), file.entries());
  }

  /**
   * This catalog with the user's prices (negotiated prices, self-hosted models priced per GPU-hour)
   * from a YAML file taking precedence.
   *
   * @throws InvalidInputException if the file is missing or says something wrong, with the entry
   */
  public PriceCatalog withOverrides(Path yaml) {
    List<CatalogFile.Entry> entries = new ArrayList<>(Overrides.read(yaml));
    byProvider.values().forEach(entries::addAll);
    List<Source> withUser = new ArrayList<>(sources);
    withUser.add(new Source("override", yaml.toString(), "", "", "the user's own prices"));
    return new PriceCatalog(withUser, providerRules, entries);
  }

  public List<Source> sources() {
    return sources;
  }

  /** Every model of the catalog, in lookup order. */
  public List<ModelPrice> models() {
    return all;
  }

  /**
   * Finds a model. The provider may be written the way OpenTelemetry, LiteLLM or people write it
   * ({@code aws.bedrock}, {@code vertex_ai}, {@code Anthropic}) or be null, in which case it is
   * inferred from the model's name ({@code claude-...} is Anthropic's).
   */
  public Optional<ModelPrice> find(String provider, String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    String key = (provider == null ? "" : provider) + "\u0000" + model;
    return cache.computeIfAbsent(key, k -> lookup(provider, model));
  }

  /**
   * Exact cost in US dollars of the usage at the latest prices, or empty when the model is unknown.
   */
  public Optional<BigDecimal> price(String provider, String model, TokenUsage usage) {
    return find(provider, model).map(m -> m.cost(usage));
  }

  /** Exact cost of the usage at the prices in force on a day, or empty when the model is unknown. */
  public Optional<BigDecimal> price(String provider, String model, TokenUsage usage, LocalDate day) {
    return find(provider, model).map(m -> m.cost(usage, day));
  }

  /** Exact cost of one model call as the engine records it (cached tokens counted in the input). */
  public Optional<BigDecimal> price(String provider, String model, Usage usage) {
    return price(provider, model, TokenUsage.cached(usage.inputTokens(), usage.outputTokens(), usage.cachedTokens()));
  }

  /** The provider id the catalog uses for a name, or the name lower-cased when it knows none. */
  public String canonicalProvider(String provider) {
    if (provider == null || provider.isBlank()) {
      return null;
    }
    String p = provider.trim().toLowerCase(Locale.ROOT);
    if (byProvider.containsKey(p)) {
      return p;
    }
    String alias = CatalogFile.providerAlias(p);
    if (alias != null && byProvider.containsKey(alias)) {
      return alias;
    }
    for (CatalogFile.ProviderRule rule : providerRules) {
      if (rule.providerMatch() != null && rule.providerMatch().matches(p)) {
        return rule.id();
      }
    }
    return alias != null ? alias : p;
  }

  private Optional<ModelPrice> lookup(String provider, String model) {
    String name = model.trim().toLowerCase(Locale.ROOT);
    String p = canonicalProvider(provider);
    int slash = name.indexOf('/');
    if (slash > 0) {
      String prefix = canonicalProvider(name.substring(0, slash));
      if (p == null || prefix.equals(p)) {
        Optional<ModelPrice> found = lookup(prefix, name.substring(slash + 1), true);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return lookup(p, name, true);
  }

  private Optional<ModelPrice> lookup(String provider, String name, boolean fallbacks) {
    if (provider != null) {
      for (CatalogFile.Entry e : byProvider.getOrDefault(provider, List.of())) {
        if (e.matches(name)) {
          return Optional.of(e.price());
        }
      }
      if (!fallbacks) {
        return Optional.empty();
      }
      for (CatalogFile.ProviderRule rule : providerRules) {
        if (rule.id().equals(provider)) {
          for (String fallback : rule.fallback()) {
            Optional<ModelPrice> found = lookup(fallback, name, false);
            if (found.isPresent()) {
              return found;
            }
          }
        }
      }
      return Optional.empty();
    }
    for (CatalogFile.ProviderRule rule : providerRules) {
      if (rule.modelMatch() != null && rule.modelMatch().matches(name)) {
        Optional<ModelPrice> found = lookup(rule.id(), name, false);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Models matching a query, cheapest first for the workload (or by input plus output price when
   * the query has none). Entries priced at zero are left out.
   */
  public List<Ranked> search(CatalogQuery query) {
    List<Ranked> out = new ArrayList<>();
    String text = query.text() == null ? null : query.text().toLowerCase(Locale.ROOT);
    String provider = query.provider() == null ? null : canonicalProvider(query.provider());
    for (ModelPrice m : all) {
      Capabilities c = m.capabilities();
      Prices p = m.prices();
      // Entries listed at zero (previews, free tiers, placeholders) say nothing about what a workload would cost.
      boolean free = (p.input() == null || p.input().signum() == 0) && (p.output() == null || p.output().signum() == 0);
      if (free || (query.mode() != null && !query.mode().equals(c.mode()))
          || (!query.includeDeprecated() && m.deprecated())
          || (provider != null && !provider.equals(m.provider()))
          || (text != null && !(m.provider() + "/" + m.model()).toLowerCase(Locale.ROOT).contains(text))
          || (query.minContext() > 0 && (m.contextWindow() == null || m.contextWindow() < query.minContext()))
          || (query.tools() && !c.tools())
          || (query.vision() && !c.vision())
          || (query.reasoning() && !c.reasoning())
          || (query.maxInputPrice() != null && (p.input() == null || p.input().compareTo(query.maxInputPrice()) > 0))
          || (query.maxOutputPrice() != null && (p.output() == null || p.output().compareTo(query.maxOutputPrice()) > 0))) {
        continue;
      }
      BigDecimal cost = query.workload() == null ? null : m.cost(query.workload());
      out.add(new Ranked(m, cost));
    }
    Comparator<Ranked> order = query.workload() != null
        ? Comparator.comparing(Ranked::workloadCostUsd)
        : Comparator.comparing((Ranked r) -> nz(r.model().prices().input()).add(nz(r.model().prices().output())));
    out.sort(order.thenComparing(r -> r.model().key()));
    return out.size() > query.limit() ? List.copyOf(out.subList(0, query.limit())) : List.copyOf(out);
  }

  private static BigDecimal nz(BigDecimal b) {
    return b == null ? BigDecimal.ZERO : b;
  }

  /** A search result: the model and, when the query had a workload, what that workload would cost on it. */
  public record Ranked(ModelPrice model, BigDecimal workloadCostUsd) {}
}
