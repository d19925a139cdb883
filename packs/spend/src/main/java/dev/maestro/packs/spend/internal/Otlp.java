package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** OTLP JSON attribute lists ({@code [{"key": ..., "value": {"intValue": "12"}}]}) as plain text values. */
final class Otlp {
  private Otlp() {}

  static Map<String, String> attributes(JsonNode list) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode kv : list) {
      JsonNode v = kv.path("value");
      String text = null;
      for (String type : new String[] {"stringValue", "intValue", "doubleValue", "boolValue"}) {
        if (v.has(type)) {
          text = v.get(type).asText();
        }
      }
      if (text == null && v.has("arrayValue")) {
        text = v.get("arrayValue").toString();
      }
      if (text != null) {
        out.put(kv.path("key").asText(), text);
      }
    }
    return out;
  }
}
