package dev.maestro.packs.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Spark pack's settings ({@code packs: spark:} in the configuration file).
 *
 * @param instanceType the instance type executors run on, priced from {@code instanceTypes}
 * @param instanceTypes the price catalog: built-in on-demand prices, overridden or extended by
 *     {@code instance_types: {name: {vcpus: 8, memory_gb: 32, price_per_hour: 0.384}}}
 * @param currency the currency of the prices
 */
public record SparkSettings(String instanceType, Map<String, InstanceType> instanceTypes, String currency, List<Path> logDirs) {

  /** Settings with no log directories: the tools read logs under the run's working directory only. */
  public SparkSettings(String instanceType, Map<String, InstanceType> instanceTypes, String currency) {
    this(instanceType, instanceTypes, currency, List.of());
  }

  /** One machine type: its cores, memory and on-demand price per hour. */
  public record InstanceType(int vcpus, double memoryGb, double pricePerHour) {
    public InstanceType {
      if (vcpus < 1 || memoryGb <= 0 || pricePerHour < 0) {
        throw new InvalidInputException("instance type needs vcpus >= 1, memory_gb > 0 and price_per_hour >= 0; got vcpus=" + vcpus
            + ", memory_gb=" + memoryGb + ", price_per_hour=" + pricePerHour);
      }
    }
  }

  /**
   * Public on-demand Linux prices in USD per hour (AWS us-east-1, GCP us-central1, Azure East US),
   * as listed by the providers in 2025; override them in the settings for your region or discount.
   */
  public static final Map<String, InstanceType> CATALOG = catalog();

  private static Map<String, InstanceType> catalog() {
    Map<String, InstanceType> c = new LinkedHashMap<>();
    c.put("m5.xlarge", new InstanceType(4, 16, 0.192));
    c.put("m5.2xlarge", new InstanceType(8, 32, 0.384));
    c.put("m5.4xlarge", new InstanceType(16, 64, 0.768));
    c.put("r5.2xlarge", new InstanceType(8, 64, 0.504));
    c.put("r5.4xlarge", new InstanceType(16, 128, 1.008));
    c.put("c5.2xlarge", new InstanceType(8, 16, 0.34));
    c.put("n2-standard-8", new InstanceType(8, 32, 0.3885));
    c.put("n2-highmem-8", new InstanceType(8, 64, 0.5241));
    c.put("Standard_D8s_v5", new InstanceType(8, 32, 0.384));
    c.put("Standard_E8s_v5", new InstanceType(8, 64, 0.504));
    return Map.copyOf(c);
  }

  public static final SparkSettings DEFAULTS = new SparkSettings("m5.2xlarge", CATALOG, "USD");

  public SparkSettings {
    instanceTypes = Map.copyOf(instanceTypes);
    if (!instanceTypes.containsKey(instanceType)) {
      throw new InvalidInputException("instance type '" + instanceType + "' is not in the price catalog; use one of "
          + new java.util.TreeSet<>(instanceTypes.keySet()) + " or add it under packs.spark.instance_types");
    }
  }

  /** The instance executors are priced as. */
  public InstanceType instance() {
    return instanceTypes.get(instanceType);
  }

  /**
   * Reads the pack's section of the configuration: {@code instance_type}, {@code instance_types},
   * {@code currency}, {@code log_dirs} (directories the tools may read logs from besides the run's
   * working directory); anything missing keeps its default.
   *
   * @throws InvalidInputException naming the bad field
   */
  public static SparkSettings from(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return DEFAULTS;
    }
    List<Path> logDirs = new ArrayList<>();
    JsonNode dirs = node.path("log_dirs");
    if (!dirs.isMissingNode()) {
      if (!dirs.isArray()) {
        throw new InvalidInputException("packs.spark.log_dirs must be a list of directories, such as [/var/log/spark-events]");
      }
      for (JsonNode d : dirs) {
        if (!d.isTextual() || d.asText().isBlank()) {
          throw new InvalidInputException("packs.spark.log_dirs holds " + d + "; give directory paths");
        }
        logDirs.add(Path.of(d.asText()).toAbsolutePath().normalize());
      }
    }
    if (!node.isObject()) {
      throw new InvalidInputException("packs.spark settings must be a mapping (instance_type, instance_types, currency), got " + node.getNodeType());
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
      String f = it.next();
      if (!f.equals("instance_type") && !f.equals("instance_types") && !f.equals("currency") && !f.equals("log_dirs")) {
        throw new InvalidInputException("unknown setting packs.spark." + f + "; known: instance_type, instance_types, currency, log_dirs");
      }
    }
    Map<String, InstanceType> types = new LinkedHashMap<>(CATALOG);
    JsonNode extra = node.path("instance_types");
    if (!extra.isMissingNode()) {
      if (!extra.isObject()) {
        throw new InvalidInputException("packs.spark.instance_types must map names to {vcpus, memory_gb, price_per_hour}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = extra.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode t = e.getValue();
        for (String required : new String[] {"vcpus", "memory_gb", "price_per_hour"}) {
          if (!t.path(required).isNumber()) {
            throw new InvalidInputException("packs.spark.instance_types." + e.getKey() + "." + required + " is missing or not a number");
          }
        }
        types.put(e.getKey(), new InstanceType(t.path("vcpus").asInt(), t.path("memory_gb").asDouble(), t.path("price_per_hour").asDouble()));
      }
    }
    return new SparkSettings(node.path("instance_type").asText(DEFAULTS.instanceType()), types, node.path("currency").asText("USD"),
        List.copyOf(logDirs));
  }
}
