package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts the two open pricing catalogs (pydantic/genai-prices {@code data.json} and LiteLLM's
 * {@code model_prices_and_context_window.json}) into the compact catalog the pack ships as
 * {@code dev/maestro/packs/spend/catalog.json}. Run when the sources are updated:
 *
 * <pre>java -cp ... dev.maestro.packs.spend.internal.CatalogBuilder GENAI.json LITELLM.json OUT.json</pre>
 *
 * genai-prices entries come first and keep their matching rules, tiers and dated prices (it is the
 * curated one); LiteLLM adds context windows, capabilities and batch prices to them, and the models
 * and providers genai-prices lacks. Prices are rounded to six decimals per million tokens (a
 * millionth of a cent per token), which removes the binary-float noise of LiteLLM's per-token
 * numbers ({@code 3.0000000000000004e-07}).
 */
public final class CatalogBuilder {

  public static final String GENAI = "genai-prices";
  public static final String LITELLM = "litellm";

  static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final Pattern ABOVE = Pattern.compile("(input|output|cache_read_input|cache_creation_input)_(?:cost_per_token|token_cost)_above_(\\d+)k_tokens");

  // Providers whose batch APIs bill half the standard price (OpenAI, Azure OpenAI, Anthropic Message
  // Batches, Vertex AI / Gemini batch, Bedrock batch inference, Mistral, Groq and Together batch
  // APIs, each per its pricing page); used when the catalogs give no explicit batch price.
  static final Set<String> HALF_PRICE_BATCH = Set.of("openai", "azure", "anthropic", "google", "aws", "mistral", "groq", "together");

  private record Source(String name, String url, String revision, String date, String licence, String file) {}

  private static final Source GENAI_SOURCE =
      new Source(GENAI, "https://github.com/pydantic/genai-prices", "47df840a", "2026-08-21", "MIT", "prices/data.json");
  private static final Source LITELLM_SOURCE = new Source(LITELLM, "https://github.com/BerriAI/litellm", "mirrored by RoCry/llm-api-price",
      "2026-07-24", "MIT", "model_prices_and_context_window.json");

  private CatalogBuilder() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: CatalogBuilder GENAI_PRICES_DATA.json LITELLM_MODEL_PRICES.json OUT.json");
      System.exit(2);
    }
    Files.writeString(Path.of(args[2]), build(Path.of(args[0]), Path.of(args[1])));
  }

  /** The compact catalog as JSON text, one model per line so that a change is a readable diff. */
  public static String build(Path genaiFile, Path litellmFile) throws IOException {
    JsonNode genai = MAPPER.readTree(genaiFile.toFile());
    JsonNode litellm = MAPPER.readTree(litellmFile.toFile());
    List<ObjectNode> models = new ArrayList<>();
    Map<String, List<Object[]>> genaiByProvider = new LinkedHashMap<>(); // provider -> [match, node]
    ArrayNode providers = F.arrayNode();
    for (JsonNode provider : genai) {
      String pid = provider.get("id").asText();
      ObjectNode p = providers.addObject().put("id", pid);
      if (provider.has("provider_match")) {
        p.set("provider_match", provider.get("provider_match"));
      }
      if (provider.has("model_match")) {
        p.set("model_match", provider.get("model_match"));
      }
      if (provider.has("fallback_model_providers")) {
        p.set("fallback", provider.get("fallback_model_providers"));
      }
      for (JsonNode model : provider.get("models")) {
        ObjectNode out = genaiModel(pid, model);
        if (out != null) {
          models.add(out);
          genaiByProvider.computeIfAbsent(pid, k -> new ArrayList<>()).add(new Object[] {ModelMatch.parse(model.get("match")), out});
        }
      }
    }
    LocalDate litellmDate = LocalDate.parse(LITELLM_SOURCE.date());
    TreeMap<String, ObjectNode> extra = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : litellm.properties()) {
      JsonNode v = e.getValue();
      if (e.getKey().equals("sample_spec") || !v.isObject() || !v.has("input_cost_per_token") || !v.has("litellm_provider")) {
        continue;
      }
      String lp = v.get("litellm_provider").asText();
      String provider = canonicalProvider(lp);
      String name = stripPrefix(e.getKey(), lp);
      ObjectNode entry = litellmModel(provider, name, v, litellmDate);
      if (entry == null) {
        continue;
      }
      ObjectNode target = null;
      for (Object[] candidate : genaiByProvider.getOrDefault(provider, List.of())) {
        if (((ModelMatch) candidate[0]).matches(ModelMatch.lower(name))) {
          target = (ObjectNode) candidate[1];
          break;
        }
      }
      if (target != null) {
        enrich(target, entry);
      } else {
        extra.putIfAbsent(provider + "\u0000" + ModelMatch.lower(name), entry);
      }
    }
    models.addAll(extra.values());
    for (ObjectNode m : models) {
      addDerivedBatch(m);
    }
    return render(providers, models);
  }

  private static ObjectNode genaiModel(String provider, JsonNode model) {
    ArrayNode periods = F.arrayNode();
    JsonNode prices = model.get("prices");
    if (prices.isArray()) {
      for (JsonNode conditional : prices) {
        JsonNode constraint = conditional.get("constraint");
        if (constraint != null && !constraint.has("start_date")) {
          continue; // time-of-day prices (DeepSeek off-peak) are not modelled: the standard price applies
        }
        ObjectNode period = genaiPrices(conditional.get("prices"));
        if (period != null) {
          period.put("since", constraint == null ? null : constraint.get("start_date").asText());
          periods.add(period);
        }
      }
    } else {
      ObjectNode period = genaiPrices(prices);
      if (period != null) {
        period.putNull("since");
        periods.add(period);
      }
    }
    if (periods.isEmpty()) {
      return null;
    }
    ObjectNode out = F.objectNode().put("provider", provider).put("model", model.get("id").asText()).put("source", GENAI);
    out.set("match", model.get("match"));
    if (model.has("context_window")) {
      out.put("context_window", model.get("context_window").asLong());
    }
    if (model.path("deprecated").asBoolean(false)) {
      out.put("deprecated", true);
    }
    out.set("periods", periods);
    return out;
  }

  private static ObjectNode genaiPrices(JsonNode p) {
    if (!p.has("input_mtok") && !p.has("output_mtok")) {
      return null; // priced per request or per audio token only
    }
    ObjectNode out = F.objectNode();
    TreeSet<Long> starts = new TreeSet<>();
    String[][] fields = {{"input_mtok", "input"}, {"output_mtok", "output"}, {"cache_read_mtok", "cache_read"}, {"cache_write_mtok", "cache_write"}};
    for (String[] f : fields) {
      JsonNode v = p.get(f[0]);
      if (v == null) {
        continue;
      }
      if (v.isObject()) {
        out.put(f[1], round(v.get("base").decimalValue()));
        for (JsonNode tier : v.get("tiers")) {
          starts.add(tier.get("start").asLong());
        }
      } else {
        out.put(f[1], round(v.decimalValue()));
      }
    }
    if (!starts.isEmpty()) {
      ArrayNode tiers = out.putArray("tiers");
      for (long start : starts) {
        ObjectNode t = tiers.addObject().put("above", start);
        for (String[] f : fields) {
          JsonNode v = p.get(f[0]);
          if (v == null) {
            continue;
          }
          BigDecimal price = v.isObject() ? tierPrice(v, start) : v.decimalValue();
          t.put(f[1], round(price));
        }
      }
    }
    return out;
  }

  private static BigDecimal tierPrice(JsonNode tiered, long start) {
    BigDecimal price = tiered.get("base").decimalValue();
    for (JsonNode tier : tiered.get("tiers")) {
      if (tier.get("start").asLong() <= start) {
        price = tier.get("price").decimalValue();
      }
    }
    return price;
  }

  private static ObjectNode litellmModel(String provider, String name, JsonNode v, LocalDate sourceDate) {
    ObjectNode period = F.objectNode();
    period.putNull("since");
    perToken(period, "input", v.get("input_cost_per_token"));
    perToken(period, "output", v.get("output_cost_per_token"));
    perToken(period, "cache_read", v.get("cache_read_input_token_cost"));
    perToken(period, "cache_write", v.get("cache_creation_input_token_cost"));
    perToken(period, "cache_write_1h", v.get("cache_creation_input_token_cost_above_1hr"));
    perToken(period, "batch_input", v.get("input_cost_per_token_batches"));
    perToken(period, "batch_output", v.get("output_cost_per_token_batches"));
    if (!period.has("input")) {
      return null;
    }
    TreeMap<Long, ObjectNode> tiers = new TreeMap<>();
    for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      Matcher m = ABOVE.matcher(key);
      if (m.matches()) {
        String field = switch (m.group(1)) {
          case "input" -> "input";
          case "output" -> "output";
          case "cache_read_input" -> "cache_read";
          default -> "cache_write";
        };
        ObjectNode tier = tiers.computeIfAbsent(Long.parseLong(m.group(2)) * 1000, k -> F.objectNode().put("above", k));
        perToken(tier, field, v.get(key));
      }
    }
    JsonNode ranges = v.get("tiered_pricing");
    if (ranges != null && ranges.isArray()) {
      for (JsonNode range : ranges) {
        long start = range.path("range").path(0).asLong();
        if (start > 0) {
          ObjectNode tier = tiers.computeIfAbsent(start, k -> F.objectNode().put("above", k));
          perToken(tier, "input", range.get("input_cost_per_token"));
          perToken(tier, "output", range.get("output_cost_per_token"));
          perToken(tier, "cache_read", range.get("cache_read_input_token_cost"));
        }
      }
    }
    if (!tiers.isEmpty()) {
      period.putArray("tiers").addAll(tiers.values());
    }
    ObjectNode out = F.objectNode().put("provider", provider).put("model", name).put("source", LITELLM);
    if (v.path("max_input_tokens").isNumber()) {
      out.put("context_window", v.get("max_input_tokens").asLong());
    }
    if (v.path("max_output_tokens").isNumber()) {
      out.put("max_output_tokens", v.get("max_output_tokens").asLong());
    }
    out.put("mode", v.path("mode").asText("chat"));
    flag(out, "tools", v, "supports_function_calling");
    flag(out, "vision", v, "supports_vision");
    flag(out, "reasoning", v, "supports_reasoning");
    flag(out, "prompt_caching", v, "supports_prompt_caching");
    flag(out, "response_schema", v, "supports_response_schema");
    String deprecation = v.path("deprecation_date").asText("");
    if (deprecation.matches("\\d{4}-\\d{2}-\\d{2}") && !LocalDate.parse(deprecation).isAfter(sourceDate)) {
      out.put("deprecated", true);
    }
    out.putArray("periods").add(period);
    return out;
  }

  private static void flag(ObjectNode out, String name, JsonNode v, String field) {
    if (v.path(field).asBoolean(false)) {
      out.put(name, true);
    }
  }

  private static void perToken(ObjectNode out, String field, JsonNode value) {
    if (value != null && value.isNumber()) {
      out.put(field, round(value.decimalValue().multiply(MILLION)));
    }
  }

  /** Adds what LiteLLM knows and genai-prices does not to a genai-prices entry. */
  private static void enrich(ObjectNode target, ObjectNode litellm) {
    for (String field : List.of("context_window", "max_output_tokens", "mode", "tools", "vision", "reasoning", "prompt_caching", "response_schema")) {
      if (!target.has(field) && litellm.has(field)) {
        target.set(field, litellm.get(field));
      }
    }
    JsonNode from = litellm.get("periods").get(0);
    for (JsonNode period : target.get("periods")) {
      ObjectNode p = (ObjectNode) period;
      for (String field : List.of("batch_input", "batch_output", "cache_write_1h")) {
        // LiteLLM's batch price is only trusted when its standard price agrees with genai-prices'.
        if (!p.has(field) && from.has(field) && sameStandardPrices(p, from)) {
          p.set(field, from.get(field));
        }
      }
    }
  }

  private static boolean sameStandardPrices(JsonNode a, JsonNode b) {
    return a.has("input") && b.has("input") && a.get("input").decimalValue().compareTo(b.get("input").decimalValue()) == 0;
  }

  private static void addDerivedBatch(ObjectNode model) {
    if (!HALF_PRICE_BATCH.contains(model.get("provider").asText())) {
      return;
    }
    for (JsonNode period : model.get("periods")) {
      ObjectNode p = (ObjectNode) period;
      if (!p.has("batch_input") && p.has("input")) {
        p.put("batch_input", round(p.get("input").decimalValue().divide(BigDecimal.TWO)));
      }
      if (!p.has("batch_output") && p.has("output")) {
        p.put("batch_output", round(p.get("output").decimalValue().divide(BigDecimal.TWO)));
      }
    }
  }

  static BigDecimal round(BigDecimal perMillion) {
    BigDecimal r = perMillion.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return r.scale() < 0 ? r.setScale(0) : r;
  }

  /** LiteLLM's provider names to genai-prices' provider ids, where both know the provider. */
  static String canonicalProvider(String litellmProvider) {
    String p = litellmProvider.toLowerCase(Locale.ROOT);
    if (p.startsWith("vertex_ai") || p.equals("gemini")) {
      return "google";
    }
    if (p.startsWith("bedrock")) {
      return "aws";
    }
    return switch (p) {
      case "text-completion-openai", "openai" -> "openai";
      case "azure", "azure_text" -> "azure";
      case "together_ai" -> "together";
      case "fireworks_ai", "fireworks_ai-embedding-models" -> "fireworks";
      case "xai" -> "x-ai";
      case "moonshot" -> "moonshotai";
      case "voyage" -> "voyageai";
      case "cohere_chat", "cohere" -> "cohere";
      case "zai" -> "zhipuai";
      default -> p.replace('_', '-');
    };
  }

  private static String stripPrefix(String key, String litellmProvider) {
    int slash = key.indexOf('/');
    if (slash > 0) {
      String first = key.substring(0, slash);
      if (first.equalsIgnoreCase(litellmProvider) || canonicalProvider(first).equals(canonicalProvider(litellmProvider))) {
        return key.substring(slash + 1);
      }
    }
    return key;
  }

  private static String render(ArrayNode providers, List<ObjectNode> models) throws IOException {
    StringBuilder out = new StringBuilder("{\n\"format\": 1,\n\"sources\": [\n");
    List<Source> sources = List.of(GENAI_SOURCE, LITELLM_SOURCE);
    for (int i = 0; i < sources.size(); i++) {
      Source s = sources.get(i);
      ObjectNode n = F.objectNode().put("name", s.name()).put("url", s.url()).put("revision", s.revision()).put("date", s.date())
          .put("licence", s.licence()).put("file", s.file());
      out.append(MAPPER.writeValueAsString(n)).append(i + 1 < sources.size() ? ",\n" : "\n");
    }
    out.append("],\n\"providers\": [\n");
    for (int i = 0; i < providers.size(); i++) {
      out.append(MAPPER.writeValueAsString(providers.get(i))).append(i + 1 < providers.size() ? ",\n" : "\n");
    }
    out.append("],\n\"models\": [\n");
    for (int i = 0; i < models.size(); i++) {
      out.append(MAPPER.writeValueAsString(models.get(i))).append(i + 1 < models.size() ? ",\n" : "\n");
    }
    return out.append("]\n}\n").toString();
  }
}
