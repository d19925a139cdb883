package dev.maestro.engine.knowledge;

import dev.maestro.engine.InvalidInputException;
import java.util.Map;

/**
 * A search of one collection.
 *
 * @param filters metadata every passage must match exactly: {@code format} ({@code markdown},
 *     {@code html}, {@code text}, {@code pdf}, {@code java}, {@code python}, ...), {@code document}
 *     (its path or URL)
 * @param limit how many passages (1 to 100)
 */
public record KnowledgeQuery(String collection, String text, int limit, Map<String, String> filters, SearchMode mode) {
  public static final java.util.Set<String> FILTERS = java.util.Set.of("format", "document");

  public KnowledgeQuery {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("the search query is empty; say what to look for");
    }
    if (limit < 1 || limit > 100) {
      throw new InvalidInputException("limit " + limit + " is out of range; ask for 1 to 100 passages");
    }
    filters = filters == null ? Map.of() : Map.copyOf(filters);
    for (String key : filters.keySet()) {
      if (!FILTERS.contains(key)) {
        throw new InvalidInputException("unknown filter '" + key + "'; filter on " + new java.util.TreeSet<>(FILTERS));
      }
    }
    mode = mode == null ? SearchMode.HYBRID : mode;
  }

  public static KnowledgeQuery of(String collection, String text, int limit) {
    return new KnowledgeQuery(collection, text, limit, Map.of(), SearchMode.HYBRID);
  }
}
