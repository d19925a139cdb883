package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.packs.spend.Capabilities;
import dev.maestro.packs.spend.ModelPrice;
import dev.maestro.packs.spend.PriceCatalog;
import dev.maestro.packs.spend.Prices;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the compact catalog written by {@link CatalogBuilder}. */
public record CatalogFile(List<PriceCatalog.Source> sources, List<ProviderRule> providers, List<Entry> entries) {

  public static final String RESOURCE = "/dev/maestro/packs/spend/catalog.json";

  /** A catalog entry: the model and the names it answers to. */
  public record Entry(ModelPrice price, ModelMatch match) {
    public boolean matches(String lowerCaseName) {
      return match.matches(lowerCaseName);
    }
  }

  /** How genai-prices recognises a provider's name and its models' names, and where else to look. */
  public record ProviderRule(String id, ModelMatch providerMatch, ModelMatch modelMatch, List<String> fallback) {}

  // Provider names used by OpenTelemetry (gen_ai.provider.name), LiteLLM and people, to catalog ids.
  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("azure.ai.openai", "azure"),
      Map.entry("azure.ai.inference", "azure"),
      Map.entry("azure_openai", "azure"),
      Map.entry("gcp.gemini", "google"),
      Map.entry("gcp.vertex_ai", "google"),
      Map.entry("gcp.gen_ai", "google"),
      Map.entry("x_ai", "x-ai"),
      Map.entry("mistral_ai", "mistral"),
      Map.entry("ibm.watsonx.ai", "watsonx"),
      Map.entry("aws.bedrock", "aws"),
      Map.entry("amazon-bedrock", "aws"));

  /** The catalog id for a provider name, or null when there is no alias. */
  public static String providerAlias(String lowerCaseProvider) {
    String alias = ALIASES.get(lowerCaseProvider);
    if (alias != null) {
      return alias;
    }
    String canonical = CatalogBuilder.canonicalProvider(lowerCaseProvider);
    return canonical.equals(lowerCaseProvider) ? null : canonical;
  }

  public static CatalogFile builtIn() {
    try (InputStream in = CatalogFile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the pricing catalog " + RESOURCE + " is missing from the spend pack's jar; rebuild the pack");
      }
      return read(CatalogBuilder.MAPPER.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pricing catalog " + RESOURCE, e);
    }
  }

  static CatalogFile read(JsonNode root) {
    List<PriceCatalog.Source> sources = new ArrayList<>();
    for (JsonNode s : root.get("sources")) {
      sources.add(new PriceCatalog.Source(s.get("name").asText(), s.get("url").asText(), s.get("revision").asText(), s.get("date").asText(),
          s.get("licence").asText()));
    }
    List<ProviderRule> providers = new ArrayList<>();
    for (JsonNode p : root.get("providers")) {
      List<String> fallback = new ArrayList<>();
      p.path("fallback").forEach(f -> fallback.add(f.asText()));
      providers.add(new ProviderRule(p.get("id").asText(), ModelMatch.parse(p.get("provider_match")), ModelMatch.parse(p.get("model_match")),
          List.copyOf(fallback)));
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode m : root.get("models")) {
      entries.add(entry(m));
    }
    return new CatalogFile(sources, providers, entries);
  }

  static Entry entry(JsonNode m) {
    List<ModelPrice.Period> periods = new ArrayList<>();
    for (JsonNode p : m.get("periods")) {
      String since = p.path("since").isTextual() ? p.get("since").asText() : null;
      periods.add(new ModelPrice.Period(since == null ? null : LocalDate.parse(since), prices(p)));
    }
    Capabilities caps = new Capabilities(m.path("mode").asText(null), m.path("tools").asBoolean(false), m.path("vision").asBoolean(false),
        m.path("reasoning").asBoolean(false), m.path("prompt_caching").asBoolean(false), m.path("response_schema").asBoolean(false));
    String model = m.get("model").asText();
    ModelPrice price = new ModelPrice(m.get("provider").asText(), model, m.get("source").asText(), longOrNull(m, "context_window"),
        longOrNull(m, "max_output_tokens"), caps, m.path("deprecated").asBoolean(false), periods);
    ModelMatch match = m.has("match") ? ModelMatch.parse(m.get("match")) : new ModelMatch.Equals(model.toLowerCase(Locale.ROOT));
    return new Entry(price, match);
  }

  private static Prices prices(JsonNode p) {
    List<Prices.Tier> tiers = new ArrayList<>();
    for (JsonNode t : p.path("tiers")) {
      tiers.add(new Prices.Tier(t.get("above").asLong(), dec(t, "input"), dec(t, "output"), dec(t, "cache_read"), dec(t, "cache_write")));
    }
    return new Prices(dec(p, "input"), dec(p, "output"), dec(p, "cache_read"), dec(p, "cache_write"), dec(p, "cache_write_1h"),
        dec(p, "batch_input"), dec(p, "batch_output"), tiers);
  }

  private static BigDecimal dec(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.decimalValue();
  }

  private static Long longOrNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isNumber() ? null : v.asLong();
  }
}
