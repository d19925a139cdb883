package dev.maestro.engine.tool.builtin;

import java.nio.charset.StandardCharsets;

/** Turning bytes the model will read into text. */
final class Text {
  /** How far to look for NUL bytes when deciding whether content is binary (git looks at 8000 bytes). */
  static final int BINARY_PROBE_BYTES = 8 * 1024;

  private Text() {}

  static boolean looksBinary(byte[] bytes, int length) {
    int end = Math.min(length, BINARY_PROBE_BYTES);
    for (int i = 0; i < end; i++) {
      if (bytes[i] == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The largest prefix of {@code bytes[0, length)} that does not end inside a UTF-8 sequence, for
   * content that was cut at a byte limit.
   */
  static int utf8Boundary(byte[] bytes, int length) {
    int i = length - 1;
    // Walk back over at most 3 continuation bytes (10xxxxxx) to the lead byte of the last character.
    while (i >= 0 && length - i <= 4 && (bytes[i] & 0xC0) == 0x80) {
      i--;
    }
    if (i < 0 || length - i > 4) {
      return length; // not UTF-8 at the end; nothing sensible to keep whole
    }
    int lead = bytes[i] & 0xFF;
    int needed = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return i + needed <= length ? length : i;
  }

  /** UTF-8 text of the first {@code length} bytes, without a character split at the end. */
  static String utf8Prefix(byte[] bytes, int length) {
    return new String(bytes, 0, utf8Boundary(bytes, length), StandardCharsets.UTF_8);
  }
}
