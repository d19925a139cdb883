package dev.maestro.packs.spend.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: fields separated by commas, quoted with {@code "} when they hold commas, quotes or
 * line breaks. Knows the line each record starts on, for reporting bad rows. Unquoted fields,
 * nearly all of a usage export, are cut straight out of the read buffer.
 */
final class Csv {
  private static final int EOF = -1;

  private final Reader in;
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int len;
  private long line = 1;
  private long recordLine;
  private int expected = 16;
  private final StringBuilder field = new StringBuilder();

  Csv(Reader in) {
    this.in = in;
  }

  /** Line on which the last record returned by {@link #next()} starts. */
  long line() {
    return recordLine;
  }

  private boolean fill() throws IOException {
    if (pos < len) {
      return true;
    }
    len = in.read(buf, 0, buf.length);
    pos = 0;
    if (len <= 0) {
      len = 0;
      return false;
    }
    return true;
  }

  /** The next record's fields, or null at the end; blank lines are skipped. */
  List<String> next() throws IOException {
    // skip blank lines
    while (true) {
      if (!fill()) {
        return null;
      }
      char c = buf[pos];
      if (c == '\n') {
        pos++;
        line++;
      } else if (c == '\r') {
        pos++;
      } else {
        break;
      }
    }
    recordLine = line;
    List<String> fields = new ArrayList<>(expected);
    while (true) {
      int end = fill() && buf[pos] == '"' ? quoted(fields) : unquoted(fields);
      if (end == ',') {
        if (!fill()) {
          fields.add(""); // a trailing comma at the end of the file
          break;
        }
        continue;
      }
      break; // end of line or of file
    }
    expected = Math.max(expected, fields.size());
    return fields;
  }

  /** Reads an unquoted field; returns the character that ended it (',' or '\n') or EOF. */
  private int unquoted(List<String> fields) throws IOException {
    field.setLength(0);
    boolean partial = false;
    while (true) {
      if (!fill()) {
        fields.add(partial ? field.toString() : "");
        return EOF;
      }
      int start = pos;
      int i = pos;
      int n = len;
      char[] b = buf;
      while (i < n) {
        char c = b[i];
        if (c == ',' || c == '\n' || c == '\r') {
          String value;
          if (partial) {
            field.append(b, start, i - start);
            value = field.toString();
          } else {
            value = i == start ? "" : new String(b, start, i - start);
          }
          fields.add(value);
          pos = i + 1;
          if (c == '\r') {
            if (fill() && buf[pos] == '\n') {
              pos++;
            }
            line++;
            return '\n';
          }
          if (c == '\n') {
            line++;
          }
          return c;
        }
        i++;
      }
      field.append(b, start, n - start);
      partial = true;
      pos = n;
    }
  }

  /** Reads a quoted field; returns the character that ended it (',' or '\n') or EOF. */
  private int quoted(List<String> fields) throws IOException {
    field.setLength(0);
    pos++; // the opening quote
    while (true) {
      if (!fill()) {
        fields.add(field.toString()); // unterminated quote: the rest of the file
        return EOF;
      }
      char c = buf[pos++];
      if (c == '"') {
        if (fill() && buf[pos] == '"') {
          pos++;
          field.append('"');
          continue;
        }
        // closing quote: skip to the delimiter (characters after it are kept, as lenient readers do)
        while (fill()) {
          char d = buf[pos++];
          if (d == ',') {
            fields.add(field.toString());
            return ',';
          }
          if (d == '\n') {
            line++;
            fields.add(field.toString());
            return '\n';
          }
          if (d != '\r') {
            field.append(d);
          }
        }
        fields.add(field.toString());
        return EOF;
      }
      if (c == '\n') {
        line++;
      }
      field.append(c);
    }
  }
}
