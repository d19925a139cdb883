package dev.maestro.packs.spend.internal;

/** Prompt fingerprints: 64-bit FNV-1a, enough to tell repeated prompts apart at millions of rows. */
public final class Hashes {
  /**
   * Prompt caching starts at 1,024 tokens (OpenAI and Anthropic); at about four characters per
   * token (OpenAI's rule of thumb) that is 4,096 characters.
   */
  public static final int PREFIX_CHARS = 4_096;

  private Hashes() {}

  public static long of(CharSequence text) {
    return of(text, text.length());
  }

  public static long of(CharSequence text, int length) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < length; i++) {
      h ^= text.charAt(i);
      h *= 0x100000001b3L;
    }
    return h == 0 ? 1 : h;
  }

  /** Hash of the prompt's cacheable prefix, 0 when the prompt is too short to be cached. */
  public static long prefix(CharSequence prompt) {
    return prompt == null || prompt.length() < PREFIX_CHARS ? 0 : of(prompt, PREFIX_CHARS);
  }

  public static long whole(CharSequence prompt) {
    return prompt == null || prompt.isEmpty() ? 0 : of(prompt);
  }
}
