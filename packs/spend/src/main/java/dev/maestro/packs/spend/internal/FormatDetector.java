package dev.maestro.packs.spend.internal;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.packs.spend.UsageFormat;

/** Tells a usage export's format from its first bytes. */
public final class FormatDetector {
  private FormatDetector() {}

  public static UsageFormat detect(String file, String head) {
    String h = head.startsWith("\uFEFF") ? head.substring(1) : head;
    String t = h.stripLeading();
    if (t.isEmpty()) {
      throw new InvalidInputException(file + " is empty; give a usage export (" + UsageFormat.ids() + ")");
    }
    if (t.charAt(0) == '{' || t.charAt(0) == '[') {
      if (t.contains("\"resourceSpans\"")) {
        return UsageFormat.OTEL;
      }
      if (t.contains("\"uncached_input_tokens\"")) {
        return UsageFormat.ANTHROPIC_USAGE;
      }
      if (t.contains("\"num_model_requests\"") || t.contains("organization.usage.completions")) {
        return UsageFormat.OPENAI_USAGE;
      }
      if (t.contains("\"usageDetails\"") || t.contains("\"GENERATION\"")) {
        return UsageFormat.LANGFUSE;
      }
      if (t.contains("\"request_id\"") && (t.contains("\"spend\"") || t.contains("\"prompt_tokens\""))) {
        return UsageFormat.LITELLM;
      }
      throw new InvalidInputException(file + " is JSON but not a usage export this pack knows (" + firstLine(t)
          + "); expected OpenAI or Anthropic usage reports, LiteLLM spend logs, Langfuse observations or OTLP spans; name it with --format");
    }
    String header = firstLine(t);
    if (header.startsWith("timestamp,provider,model,input_tokens,output_tokens")) {
      return UsageFormat.CSV;
    }
    if (header.contains("request_id") && (header.contains("spend") || header.contains("prompt_tokens"))) {
      return UsageFormat.LITELLM;
    }
    throw new InvalidInputException(file + ": cannot tell the format from its first line '" + Values.shorten(header)
        + "'; a usage CSV starts with 'timestamp,provider,model,input_tokens,output_tokens'; or name the format with --format ("
        + UsageFormat.ids() + ")");
  }

  private static String firstLine(String t) {
    int nl = t.indexOf('\n');
    return (nl < 0 ? t : t.substring(0, nl)).strip();
  }
}
