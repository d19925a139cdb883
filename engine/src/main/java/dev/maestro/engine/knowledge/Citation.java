package dev.maestro.engine.knowledge;

/**
 * Where a passage comes from.
 *
 * @param document the file path or URL it was ingested from
 * @param location where in it: {@code lines 12-40}, {@code page 3}, a heading path, a declaration
 */
public record Citation(String document, String location) {
  @Override
  public String toString() {
    return location == null || location.isBlank() ? document : document + " (" + location + ")";
  }
}
