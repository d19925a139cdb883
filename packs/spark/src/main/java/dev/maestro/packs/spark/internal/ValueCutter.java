package dev.maestro.packs.spark.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Removes the value of one field from a JSON line by scanning bytes, before the line is parsed by
 * Jackson (task ends that {@link TaskEndScanner} refuses): a task end's "Accumulables" (a third of a
 * Spark 3 log) and "Task Executor Metrics" are not needed, and finding where they end costs far less
 * than tokenizing them. The value is replaced by an empty
 * one of the same kind, so the line stays valid JSON. Any doubt (key not found, unbalanced
 * brackets) leaves the line as it is.
 */
final class ValueCutter {
  private final byte[] key;
  private final byte open;
  private final byte close;
  private byte[] out = new byte[64 * 1024];
  int length;

  /** @param key the field name; its value must be an array ({@code '['}) or an object ({@code '{'}) */
  ValueCutter(String key, char open) {
    this.key = ("\"" + key + "\":" + open).getBytes(StandardCharsets.UTF_8);
    this.open = (byte) open;
    this.close = (byte) (open == '[' ? ']' : '}');
  }

  byte[] buffer() {
    return out;
  }

  /** Cuts the value out of {@code buf[off, off + len)} into {@link #buffer()}; false if it was left alone. */
  boolean cut(byte[] buf, int off, int len) {
    int end = off + len;
    int at = indexOf(buf, off, end);
    if (at < 0) {
      return false;
    }
    int valueStart = at + key.length - 1; // the opening bracket
    int valueEnd = matching(buf, valueStart, end);
    if (valueEnd < 0) {
      return false;
    }
    int head = valueStart + 1 - off;
    int tail = end - valueEnd;
    int n = head + tail;
    if (out.length < n) {
      out = Arrays.copyOf(out, Math.max(n, out.length * 2));
    }
    System.arraycopy(buf, off, out, 0, head);
    System.arraycopy(buf, valueEnd, out, head, tail);
    length = n;
    return true;
  }

  private int indexOf(byte[] buf, int from, int end) {
    byte first = key[0];
    int last = end - key.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (buf[i] != first || buf[i + 1] != key[1]) {
        continue;
      }
      for (int k = 2; k < key.length; k++) {
        if (buf[i + k] != key[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The index of the bracket closing the one at {@code start}, skipping strings; -1 if none. */
  private int matching(byte[] buf, int start, int end) {
    int depth = 0;
    for (int i = start; i < end; i++) {
      byte b = buf[i];
      if (b == '"') {
        for (i++; i < end; i++) {
          byte c = buf[i];
          if (c == '\\') {
            i++;
          } else if (c == '"') {
            break;
          }
        }
      } else if (b == '[' || b == '{') {
        depth++;
      } else if (b == ']' || b == '}') {
        depth--;
        if (depth == 0) {
          return b == close ? i : -1;
        }
      }
    }
    return -1;
  }
}
