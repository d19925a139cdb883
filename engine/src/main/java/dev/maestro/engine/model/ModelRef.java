package dev.maestro.engine.model;

import dev.maestro.engine.InvalidInputException;

/**
 * A reference to a language model, written {@code provider:model}: {@code openai:gpt-4o-mini},
 * {@code anthropic:claude-sonnet-4-5}, {@code ollama:llama3.1}, {@code replay:path/to/transcript.jsonl}.
 */
public record ModelRef(String provider, String name) {

  public static final String REPLAY = "replay";

  public ModelRef {
    if (provider == null || provider.isBlank() || name == null || name.isBlank()) {
      throw new InvalidInputException(
          "model reference '" + provider + ":" + name + "' is incomplete; write it as provider:model, e.g. openai:gpt-4o-mini");
    }
  }

  /** Parses {@code provider:model}; the model part may itself contain ':' (ollama tags, Windows paths). */
  public static ModelRef parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new InvalidInputException(
          "model reference '" + text + "' is not provider:model; use e.g. openai:gpt-4o-mini, anthropic:claude-sonnet-4-5, ollama:llama3.1 or replay:transcript.jsonl");
    }
    return new ModelRef(text.substring(0, colon).trim(), text.substring(colon + 1).trim());
  }

  public static ModelRef replay(String path) {
    return new ModelRef(REPLAY, path);
  }

  public boolean isReplay() {
    return REPLAY.equals(provider);
  }

  @Override
  public String toString() {
    return provider + ":" + name;
  }
}
