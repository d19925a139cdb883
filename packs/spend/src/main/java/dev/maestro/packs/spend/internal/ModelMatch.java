package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A rule saying which model (or provider) names an entry of the genai-prices catalog covers, in
 * that catalog's own JSON shape ({@code {"or": [{"starts_with": "claude-3-5-sonnet"}, ...]}}).
 * Matching ignores case.
 */
public sealed interface ModelMatch {

  boolean matches(String lowerCaseName);

  record Equals(String value) implements ModelMatch {
    public boolean matches(String name) {
      return name.equals(value);
    }
  }

  record StartsWith(String value) implements ModelMatch {
    public boolean matches(String name) {
      return name.startsWith(value);
    }
  }

  record EndsWith(String value) implements ModelMatch {
    public boolean matches(String name) {
      return name.endsWith(value);
    }
  }

  record Contains(String value) implements ModelMatch {
    public boolean matches(String name) {
      return name.contains(value);
    }
  }

  record Regex(Pattern pattern) implements ModelMatch {
    public boolean matches(String name) {
      return pattern.matcher(name).find();
    }
  }

  record Or(List<ModelMatch> any) implements ModelMatch {
    public boolean matches(String name) {
      for (ModelMatch m : any) {
        if (m.matches(name)) {
          return true;
        }
      }
      return false;
    }
  }

  record And(List<ModelMatch> all) implements ModelMatch {
    public boolean matches(String name) {
      for (ModelMatch m : all) {
        if (!m.matches(name)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Reads a clause; null for a missing node. */
  static ModelMatch parse(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (node.has("or") || node.has("and")) {
      List<ModelMatch> parts = new ArrayList<>();
      for (JsonNode part : node.has("or") ? node.get("or") : node.get("and")) {
        parts.add(parse(part));
      }
      return node.has("or") ? new Or(List.copyOf(parts)) : new And(List.copyOf(parts));
    }
    var field = node.properties().iterator().next();
    String value = field.getValue().asText();
    return switch (field.getKey()) {
      case "equals" -> new Equals(lower(value));
      case "starts_with" -> new StartsWith(lower(value));
      case "ends_with" -> new EndsWith(lower(value));
      case "contains" -> new Contains(lower(value));
      case "regex" -> new Regex(Pattern.compile(value, Pattern.CASE_INSENSITIVE));
      default -> throw new IllegalArgumentException("unknown match clause '" + field.getKey() + "' in " + node);
    };
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
