package dev.maestro.packs.spark.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding them: the JSON parser reads the bytes in place.
 * A read error from a decompressor (a truncated or corrupt stream) ends the input; the caller
 * learns of it through {@link #failure()} and keeps what was read before.
 */
final class LineReader {
  private static final int READ_CHUNK = 32 * 1024;
  /** Longer lines are skipped: no Spark event comes near it, and a binary file without newlines must not fill the heap. */
  static final int MAX_LINE = 64 << 20;
  private boolean discarding;
  private boolean overlong;
  private final InputStream in;
  private byte[] buf;
  private int start;
  private int end;
  private boolean eof;
  private IOException failure;
  private long bytes;
  private boolean unterminated;

  // the current line
  int lineStart;
  int lineLength;

  private final int maxLine;

  LineReader(InputStream in) {
    this(in, MAX_LINE);
  }

  LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
    this.buf = new byte[Math.min(256 * 1024, maxLine)];
  }

  byte[] buffer() {
    return buf;
  }

  /** Advances to the next line; false at the end of the input. A last line without newline counts. */
  boolean next() {
    overlong = false;
    while (true) {
      int i = newline(buf, start, end);
      if (i >= 0 && discarding) {
        discarding = false;
        overlong = true;
        start = i + 1;
        lineStart = start;
        lineLength = 0;
        return true;
      }
      if (i >= 0) {
        lineStart = start;
        lineLength = i - start;
        if (lineLength > 0 && buf[i - 1] == '\r') {
          lineLength--;
        }
        start = i + 1;
        return true;
      }
      if (eof) {
        if (discarding) {
          discarding = false;
          overlong = true;
          unterminated = true;
          start = end;
          lineStart = end;
          lineLength = 0;
          return true;
        }
        if (start < end) {
          lineStart = start;
          lineLength = end - start;
          start = end;
          unterminated = true;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  /** Whether the line just returned was longer than {@link #MAX_LINE} and skipped (its content is empty). */
  boolean overlong() {
    return overlong;
  }

  /** Whether the line just returned ended without a newline (the input stopped in it). */
  boolean unterminated() {
    return unterminated;
  }

  private void fill() {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buf.length) {
      if (buf.length >= maxLine) {
        discarding = true;
        start = 0;
        end = 0;
      } else {
        buf = Arrays.copyOf(buf, Math.min(maxLine, buf.length * 2));
      }
    }
    try {
      // small reads: a decompressor that fails mid-read loses what it wrote in that read
      int n = in.read(buf, end, Math.min(READ_CHUNK, buf.length - end));
      if (n < 0) {
        eof = true;
      } else {
        end += n;
        bytes += n;
      }
    } catch (IOException | RuntimeException e) {
      // zstd-jni, snappy and lz4 report corrupt or truncated input as IOException or as a
      // RuntimeException of their own; both end the input here.
      failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
      eof = true;
    }
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long LOW_BITS = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** The index of the first '\n' in {@code b[from, to)}, or -1: 32 bytes at a time, then eight. */
  static int newline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 32 <= to; i += 32) {
      long x0 = (long) LONGS.get(b, i) ^ NEWLINES;
      long x1 = (long) LONGS.get(b, i + 8) ^ NEWLINES;
      long x2 = (long) LONGS.get(b, i + 16) ^ NEWLINES;
      long x3 = (long) LONGS.get(b, i + 24) ^ NEWLINES;
      // a byte of 0 in x (a newline in b) sets its high bit; bytes above it may be set too
      long f0 = (x0 - LOW_BITS) & ~x0;
      long f1 = (x1 - LOW_BITS) & ~x1;
      long f2 = (x2 - LOW_BITS) & ~x2;
      long f3 = (x3 - LOW_BITS) & ~x3;
      if (((f0 | f1 | f2 | f3) & HIGH_BITS) != 0) {
        break; // in these 32 bytes: found by the loop below
      }
    }
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ NEWLINES;
      long found = (x - LOW_BITS) & ~x & HIGH_BITS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Decompressed bytes read so far. */
  long bytes() {
    return bytes;
  }

  IOException failure() {
    return failure;
  }
}
