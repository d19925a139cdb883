package dev.maestro.packs.spend;

import dev.maestro.engine.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The usage exports the spend pack reads; {@code --format} takes their ids. */
public enum UsageFormat {
  /** OpenAI Usage API, completions buckets ({@code input_tokens} includes {@code input_cached_tokens}). */
  OPENAI_USAGE("openai-usage"),
  /** Anthropic usage report ({@code uncached_input_tokens}, cache reads and writes counted apart). */
  ANTHROPIC_USAGE("anthropic-usage"),
  /** LiteLLM proxy spend logs ({@code LiteLLM_SpendLogs}), CSV or JSON. */
  LITELLM("litellm"),
  /** Langfuse observations export (GENERATION observations with {@code usageDetails}). */
  LANGFUSE("langfuse"),
  /** OpenTelemetry GenAI spans as OTLP JSON (one document, or one per line). */
  OTEL("otel"),
  /** {@code timestamp,provider,model,input_tokens,output_tokens,...} CSV. */
  CSV("csv");

  private final String id;

  UsageFormat(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  public static UsageFormat parse(String text) {
    for (UsageFormat f : values()) {
      if (f.id.equals(text.toLowerCase(Locale.ROOT)) || f.name().equalsIgnoreCase(text)) {
        return f;
      }
    }
    throw new InvalidInputException("format '" + text + "' is not known; use one of " + ids());
  }

  public static String ids() {
    return Arrays.stream(values()).map(UsageFormat::id).collect(Collectors.joining(", "));
  }
}
