package dev.maestro.packs.spend;

/**
 * What a model can do, as the catalogs state it; false when a catalog does not say.
 *
 * @param mode {@code chat}, {@code completion}, {@code embedding}, ...
 */
public record Capabilities(String mode, boolean tools, boolean vision, boolean reasoning, boolean promptCaching, boolean responseSchema) {
  public static final Capabilities UNKNOWN = new Capabilities("chat", false, false, false, false, false);

  public Capabilities {
    mode = mode == null || mode.isBlank() ? "chat" : mode;
  }
}
