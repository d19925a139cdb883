package dev.maestro.engine.knowledge;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Locale;

/**
 * How a knowledge search ranks: {@code hybrid} fuses BM25 and approximate vector search by
 * reciprocal rank; {@code keyword} is BM25 alone, {@code vector} the approximate (HNSW) nearest
 * neighbours alone, {@code exact} brute-force nearest neighbours (the reference for recall).
 */
public enum SearchMode {
  HYBRID,
  KEYWORD,
  VECTOR,
  EXACT;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static SearchMode parse(String value) {
    if (value != null) {
      for (SearchMode m : values()) {
        if (m.wire().equalsIgnoreCase(value.strip())) {
          return m;
        }
      }
    }
    throw new InvalidInputException("search mode '" + value + "' is not known; use hybrid, keyword, vector or exact");
  }
}
