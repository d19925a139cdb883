package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.InvalidInputException;
import java.nio.file.Path;

/**
 * The pack's section of the configuration file:
 *
 * <pre>
 * packs:
 *   spend:
 *     price_overrides: ~/prices.yaml   # negotiated and self-hosted prices
 * </pre>
 */
public record SpendSettings(Path priceOverrides) {
  public static final SpendSettings NONE = new SpendSettings(null);

  public static SpendSettings from(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return NONE;
    }
    if (!node.isObject()) {
      throw new InvalidInputException("packs.spend must be a map, such as 'price_overrides: prices.yaml'");
    }
    node.fieldNames().forEachRemaining(f -> {
      if (!f.equals("price_overrides")) {
        throw new InvalidInputException("packs.spend." + f + " is not a setting of the spend pack; it knows 'price_overrides'");
      }
    });
    JsonNode p = node.get("price_overrides");
    if (p == null || p.isNull()) {
      return NONE;
    }
    String text = p.asText().strip();
    if (text.startsWith("~/")) {
      text = System.getProperty("user.home") + text.substring(1);
    }
    return new SpendSettings(Path.of(text));
  }
}
