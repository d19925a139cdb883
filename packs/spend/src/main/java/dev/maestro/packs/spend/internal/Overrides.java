package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import dev.maestro.packs.spend.Capabilities;
import dev.maestro.packs.spend.ModelPrice;
import dev.maestro.packs.spend.Prices;
import dev.maestro.packs.spend.SelfHostedDeployment;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The user's own prices, from a YAML file:
 *
 * <pre>
 * models:
 *   - provider: openai          # a negotiated price, USD per million tokens
 *     model: gpt-4o
 *     input: 2.0
 *     output: 8.0
 *     cache_read: 1.0
 *   - provider: self-hosted     # a model on one's own GPUs, priced per GPU-hour
 *     model: llama-3.1-70b-instruct
 *     gpu_hour: 2.50
 *     gpus: 2
 *     tokens_per_second: 2400   # sustained throughput of the deployment, input and output
 *     context_window: 131072
 *     gpu_memory_gib: 80        # per GPU; with the architecture, sizes the KV cache
 *     layers: 80
 *     kv_heads: 8
 *     head_dim: 128
 *     kv_bytes: 2               # 2 for fp16/bf16 KV cache, 1 for fp8
 * </pre>
 */
public final class Overrides {

  private static final Set<String> FIELDS = Set.of("provider", "model", "input", "output", "cache_read", "cache_write", "batch_input",
      "batch_output", "context_window", "tools", "vision", "reasoning", "gpu_hour", "gpus", "tokens_per_second", "gpu_memory_gib", "layers",
      "kv_heads", "head_dim", "kv_bytes", "max_batch");

  private Overrides() {}

  public static List<CatalogFile.Entry> read(Path yaml) {
    List<CatalogFile.Entry> entries = new ArrayList<>();
    int i = 0;
    for (JsonNode m : models(yaml)) {
      String where = yaml + ": models[" + i++ + "]";
      entries.add(entry(m, where));
    }
    return entries;
  }

  public static List<SelfHostedDeployment> deployments(Path yaml) {
    List<SelfHostedDeployment> out = new ArrayList<>();
    int i = 0;
    for (JsonNode m : models(yaml)) {
      String where = yaml + ": models[" + i++ + "]";
      if (m.has("gpu_hour")) {
        out.add(new SelfHostedDeployment(text(m, "provider", where), text(m, "model", where), decimal(m, "gpu_hour", where), (int) count(m, "gpus", 1, where),
            count(m, "context_window", 0, where), integer(m, "gpu_memory_gib", where), integer(m, "layers", where), integer(m, "kv_heads", where),
            integer(m, "head_dim", where), integer(m, "kv_bytes", where)));
      }
    }
    return out;
  }

  private static JsonNode models(Path yaml) {
    JsonNode root;
    try {
      root = Json.YAML.readTree(Files.readString(yaml));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException("price overrides file " + yaml + " does not exist; give the path of a YAML file with a 'models:' list");
    } catch (IOException e) {
      throw new InvalidInputException("price overrides file " + yaml + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.path("models").isArray()) {
      throw new InvalidInputException("price overrides file " + yaml + " has no 'models:' list; see the example in the spend pack's README");
    }
    return root.get("models");
  }

  private static CatalogFile.Entry entry(JsonNode m, String where) {
    m.fieldNames().forEachRemaining(f -> {
      if (!FIELDS.contains(f)) {
        throw new InvalidInputException(where + ": unknown field '" + f + "'; known fields are " + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    });
    String provider = text(m, "provider", where).toLowerCase(Locale.ROOT);
    String model = text(m, "model", where);
    BigDecimal input;
    BigDecimal output;
    if (m.has("gpu_hour")) {
      if (m.has("input") || m.has("output")) {
        throw new InvalidInputException(where + ": give either per-token prices (input, output) or gpu_hour with tokens_per_second, not both");
      }
      BigDecimal perHour = decimal(m, "gpu_hour", where).multiply(BigDecimal.valueOf(count(m, "gpus", 1, where)));
      long tps = count(m, "tokens_per_second", -1, where);
      if (tps <= 0) {
        throw new InvalidInputException(where + ": a model priced per GPU-hour needs 'tokens_per_second', the deployment's sustained throughput");
      }
      // Every token, input or output, costs its share of GPU time at the sustained throughput.
      input = perHour.multiply(BigDecimal.valueOf(1_000_000)).divide(BigDecimal.valueOf(tps * 3600), 6, RoundingMode.HALF_UP);
      output = input;
    } else {
      input = decimal(m, "input", where);
      output = decimal(m, "output", where);
    }
    Prices prices = new Prices(input, output, optional(m, "cache_read", where), optional(m, "cache_write", where), null,
        optional(m, "batch_input", where), optional(m, "batch_output", where), List.of());
    try {
      Rates.of(prices);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(where + ": " + e.getMessage());
    }
    long context = count(m, "context_window", 0, where);
    Capabilities caps = new Capabilities("chat", m.path("tools").asBoolean(false), m.path("vision").asBoolean(false), m.path("reasoning").asBoolean(false),
        m.has("cache_read"), false);
    ModelPrice price = new ModelPrice(provider, model, "override", context > 0 ? context : null, null, caps, false,
        List.of(new ModelPrice.Period(null, prices)));
    return new CatalogFile.Entry(price, new ModelMatch.Equals(model.toLowerCase(Locale.ROOT)));
  }

  private static String text(JsonNode m, String field, String where) {
    JsonNode v = m.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new InvalidInputException(where + ": '" + field + "' is missing; every entry names its provider and model");
    }
    return v.asText().trim();
  }

  private static BigDecimal decimal(JsonNode m, String field, String where) {
    BigDecimal v = optional(m, field, where);
    if (v == null) {
      throw new InvalidInputException(where + ": '" + field + "' is missing (USD per million tokens, e.g. 2.5)");
    }
    return v;
  }

  private static BigDecimal optional(JsonNode m, String field, String where) {
    JsonNode v = m.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || v.decimalValue().signum() < 0) {
      throw new InvalidInputException(where + ": '" + field + "' is '" + v.asText() + "'; give a non-negative number");
    }
    return new BigDecimal(v.asText());
  }

  private static long count(JsonNode m, String field, long absent, String where) {
    JsonNode v = m.get(field);
    if (v == null || v.isNull()) {
      return absent;
    }
    if (!v.canConvertToLong() || v.asLong() < 0) {
      throw new InvalidInputException(where + ": '" + field + "' is '" + v.asText() + "'; give a whole non-negative number");
    }
    return v.asLong();
  }

  private static Integer integer(JsonNode m, String field, String where) {
    return m.has(field) ? (int) count(m, field, 0, where) : null;
  }
}
