package dev.maestro.packs.spark.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * JSON tokens read from bytes in place, for {@link TaskEndScanner}: strict (what RFC 8259 allows and
 * no more, with limits below Jackson's), so that anything read here Jackson reads the same way.
 * Each method returns the index after what it read, or -1 when the bytes are not that token.
 */
final class JsonBytes {
  /** Longs read from a byte array, little-endian: eight bytes at a time. */
  static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  // Deeper nesting and longer tokens are refused, to be read by Jackson (its limits, Jackson 2.22's
  // StreamReadConstraints: nesting 1,000, names of 50,000 characters, numbers of 1,000, strings of
  // 20 million)
  static final int MAX_DEPTH = 62;
  static final int MAX_NAME = 1024;
  private static final int MAX_NUMBER = 100;
  private static final int MAX_STRING = 1 << 20;

  /** How each byte may go on inside a string: 0 plain ASCII, 1 quote, 2 backslash, 3 control, 4 non-ASCII. */
  private static final byte[] IN_STRING = new byte[256];

  static {
    for (int c = 0; c < 0x20; c++) {
      IN_STRING[c] = 3;
    }
    IN_STRING['"'] = 1;
    IN_STRING['\\'] = 2;
    for (int c = 0x80; c < 0x100; c++) {
      IN_STRING[c] = 4;
    }
  }

  private JsonBytes() {}

  /** The index of the first byte from {@code i} that is not JSON whitespace. Spark writes none: one comparison then. */
  static int ws(byte[] buf, int i, int end) {
    while (i < end) {
      byte c = buf[i];
      if (c > ' ' || (c != ' ' && c != '\t' && c != '\n' && c != '\r')) {
        return i;
      }
      i++;
    }
    return i;
  }

  /** A field name at {@code buf[i]}, plain ASCII without escapes (Spark writes no other), and its colon: the index of the value, or -1. */
  static int name(byte[] buf, int i, int end) {
    int close = plainString(buf, i, end);
    return close < 0 || close - i > MAX_NAME ? -1 : afterColon(buf, close, end);
  }

  /** The index of the value after the colon that follows the name closed by the quote at {@code buf[close]}, or -1. */
  static int afterColon(byte[] buf, int close, int end) {
    int i = close + 1;
    if (i + 1 < end && buf[i] == ':' && buf[i + 1] > ' ') {
      return i + 1; // as Spark writes it
    }
    i = ws(buf, i, end);
    if (i >= end || buf[i] != ':') {
      return -1;
    }
    return ws(buf, i + 1, end);
  }

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * The bytes of {@code x} that end plain ASCII inside a string (quote, backslash, control
   * character, non-ASCII byte), as their high bits. Only the lowest one is exact (a borrow can
   * mark bytes above it), which is the only one used.
   */
  private static long specials(long x) {
    long quote = x ^ 0x2222222222222222L;
    long backslash = x ^ 0x5c5c5c5c5c5c5c5cL;
    return ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (x - 0x2020202020202020L) & ~x | x) & HIGH_BITS;
  }

  /** The index of the first byte in {@code buf[k, end)} that is not plain ASCII inside a string; {@code end} if none. Eight bytes at a time. */
  private static int plainUntil(byte[] buf, int k, int end) {
    for (; k + 8 <= end; k += 8) {
      long special = specials((long) LONGS.get(buf, k));
      if (special != 0) {
        return k + (Long.numberOfTrailingZeros(special) >>> 3);
      }
    }
    while (k < end && IN_STRING[buf[k] & 0xff] == 0) {
      k++;
    }
    return k;
  }

  /** The index of the closing quote of the string at {@code buf[i]} if it is printable ASCII without escapes; else -1. */
  static int plainString(byte[] buf, int i, int end) {
    if (i >= end || buf[i] != '"') {
      return -1;
    }
    int k = plainUntil(buf, i + 1, end);
    return k < end && buf[k] == '"' ? k : -1;
  }

  /** The index of the closing quote of the valid JSON string at {@code buf[i]}, at most {@link #MAX_STRING} bytes; or -1. */
  static int string(byte[] buf, int i, int end) {
    int k = i + 1;
    end = Math.min(end, k + MAX_STRING + 1);
    while (true) {
      k = plainUntil(buf, k, end);
      if (k >= end) {
        return -1;
      }
      switch (IN_STRING[buf[k] & 0xff]) {
        case 1 -> {
          return k;
        }
        case 2 -> k = escape(buf, k, end);
        case 4 -> k = utf8(buf, k, end);
        default -> k = -1; // an unescaped control character
      }
      if (k < 0) {
        return -1;
      }
    }
  }

  /** The index after the escape sequence at {@code buf[k]} (a backslash), or -1. */
  private static int escape(byte[] buf, int k, int end) {
    if (k + 1 >= end) {
      return -1;
    }
    switch (buf[k + 1]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        return k + 2;
      }
      case 'u' -> {
        if (k + 6 > end) {
          return -1;
        }
        for (int h = k + 2; h < k + 6; h++) {
          byte c = buf[h];
          if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
            return -1;
          }
        }
        return k + 6;
      }
      default -> {
        return -1;
      }
    }
  }

  /** The index after the UTF-8 sequence starting at {@code buf[k]} (a byte >= 0x80), or -1 if it is not well formed. */
  private static int utf8(byte[] buf, int k, int end) {
    int lead = buf[k] & 0xff;
    int more;
    if (lead >= 0xc2 && lead <= 0xdf) {
      more = 1;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      more = 2;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      more = 3;
    } else {
      return -1;
    }
    if (k + more >= end) {
      return -1;
    }
    for (int c = k + 1; c <= k + more; c++) {
      if ((buf[c] & 0xc0) != 0x80) {
        return -1;
      }
    }
    return k + more + 1;
  }

  static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  /** Whether {@code buf[i]} starts the literal, followed by the end of a value. */
  static boolean literal(byte[] buf, int i, int end, byte[] word) {
    int after = i + word.length;
    if (after > end || !Arrays.equals(buf, i, after, word, 0, word.length)) {
      return false;
    }
    if (after == end) {
      return true;
    }
    byte c = buf[after];
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  /** Any number JSON allows, at most {@link #MAX_NUMBER} characters; the index after it, or -1. */
  private static int anyNumber(byte[] buf, int i, int end) {
    int start = i;
    if (i < end && buf[i] == '-') {
      i++;
    }
    int digits = i;
    while (i < end && buf[i] >= '0' && buf[i] <= '9') {
      i++;
    }
    if (i == digits || (i - digits > 1 && buf[digits] == '0')) {
      return -1;
    }
    if (i < end && buf[i] == '.') {
      int fraction = ++i;
      while (i < end && buf[i] >= '0' && buf[i] <= '9') {
        i++;
      }
      if (i == fraction) {
        return -1;
      }
    }
    if (i < end && (buf[i] == 'e' || buf[i] == 'E')) {
      i++;
      if (i < end && (buf[i] == '+' || buf[i] == '-')) {
        i++;
      }
      int exponent = i;
      while (i < end && buf[i] >= '0' && buf[i] <= '9') {
        i++;
      }
      if (i == exponent) {
        return -1;
      }
    }
    return i - start > MAX_NUMBER ? -1 : i;
  }

  /**
   * Skips the value at {@code buf[i]}, checking that it is valid JSON; the index after it, or -1.
   * Iterative, with the kinds of the open containers as bits of one long.
   */
  static int skipValue(byte[] buf, int i, int end) {
    int depth = 0;
    long arrays = 0; // bit d: the container at depth d is an array
    while (true) {
      // a value starts at i
      if (i >= end) {
        return -1;
      }
      byte c = buf[i];
      boolean opened = false;
      switch (c) {
        case '{' -> {
          i = ws(buf, i + 1, end);
          if (i < end && buf[i] == '}') {
            i++;
          } else {
            if (++depth > MAX_DEPTH) {
              return -1;
            }
            arrays &= ~(1L << depth);
            i = name(buf, i, end);
            opened = true;
          }
        }
        case '[' -> {
          i = ws(buf, i + 1, end);
          if (i < end && buf[i] == ']') {
            i++;
          } else {
            if (++depth > MAX_DEPTH) {
              return -1;
            }
            arrays |= 1L << depth;
            opened = true;
          }
        }
        case '"' -> {
          i = string(buf, i, end);
          if (i >= 0) {
            i++;
          }
        }
        case 't' -> i = literal(buf, i, end, TRUE) ? i + 4 : -1;
        case 'f' -> i = literal(buf, i, end, FALSE) ? i + 5 : -1;
        case 'n' -> i = literal(buf, i, end, NULL) ? i + 4 : -1;
        default -> i = c == '-' || (c >= '0' && c <= '9') ? anyNumber(buf, i, end) : -1;
      }
      if (i < 0) {
        return -1;
      }
      if (opened) {
        continue; // i is at the container's first value
      }
      // after a value: close containers until one goes on with a comma
      while (true) {
        if (depth == 0) {
          return i;
        }
        i = ws(buf, i, end);
        if (i >= end) {
          return -1;
        }
        boolean inArray = (arrays & (1L << depth)) != 0;
        byte next = buf[i];
        if (next == ',') {
          i = ws(buf, i + 1, end);
          if (!inArray) {
            i = name(buf, i, end);
            if (i < 0) {
              return -1;
            }
          }
          break;
        }
        if (next != (inArray ? ']' : '}')) {
          return -1;
        }
        depth--;
        i++;
      }
    }
  }
}
