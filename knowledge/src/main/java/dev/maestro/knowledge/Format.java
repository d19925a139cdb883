package dev.maestro.knowledge;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The document formats ingestion understands, by file extension or media type. */
enum Format {
  MARKDOWN("markdown"),
  HTML("html"),
  TEXT("text"),
  PDF("pdf"),
  JAVA("java"),
  PYTHON("python"),
  JAVASCRIPT("javascript"),
  TYPESCRIPT("typescript"),
  GO("go"),
  SCALA("scala");

  static final String SUPPORTED = "Markdown (.md), HTML (.html), text (.txt, .rst, .adoc, .csv, .log, no extension), PDF (.pdf) and source code"
      + " (.java, .py, .js/.mjs/.jsx, .ts/.tsx, .go, .scala)";

  private static final Map<String, Format> EXTENSIONS = Map.ofEntries(
      Map.entry("md", MARKDOWN), Map.entry("markdown", MARKDOWN), Map.entry("mdx", MARKDOWN),
      Map.entry("html", HTML), Map.entry("htm", HTML), Map.entry("xhtml", HTML),
      Map.entry("txt", TEXT), Map.entry("text", TEXT), Map.entry("rst", TEXT), Map.entry("adoc", TEXT), Map.entry("csv", TEXT),
      Map.entry("log", TEXT), Map.entry("", TEXT),
      Map.entry("pdf", PDF),
      Map.entry("java", JAVA),
      Map.entry("py", PYTHON),
      Map.entry("js", JAVASCRIPT), Map.entry("mjs", JAVASCRIPT), Map.entry("cjs", JAVASCRIPT), Map.entry("jsx", JAVASCRIPT),
      Map.entry("ts", TYPESCRIPT), Map.entry("tsx", TYPESCRIPT), Map.entry("mts", TYPESCRIPT),
      Map.entry("go", GO),
      Map.entry("scala", SCALA), Map.entry("sc", SCALA));

  final String wire;

  Format(String wire) {
    this.wire = wire;
  }

  boolean code() {
    return ordinal() >= JAVA.ordinal();
  }

  static String extension(String name) {
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    String base = name.substring(slash + 1);
    int dot = base.lastIndexOf('.');
    return dot <= 0 ? "" : base.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  static Optional<Format> ofName(String name) {
    return Optional.ofNullable(EXTENSIONS.get(extension(name)));
  }

  /** By media type first (for URLs), then by the path's extension. */
  static Optional<Format> ofMediaType(String contentType, String path) {
    String type = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "text/html", "application/xhtml+xml" -> Optional.of(HTML);
      case "text/markdown", "text/x-markdown" -> Optional.of(MARKDOWN);
      case "application/pdf" -> Optional.of(PDF);
      case "text/plain" -> ofName(path).filter(f -> f != PDF && f != HTML).or(() -> Optional.of(TEXT));
      default -> ofName(path).filter(f -> !Format.extension(path).isEmpty());
    };
  }
}
