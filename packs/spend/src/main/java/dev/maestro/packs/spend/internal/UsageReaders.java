package dev.maestro.packs.spend.internal;

import dev.maestro.engine.InvalidInputException;
import dev.maestro.packs.spend.UsageFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** Reads a usage export of any known format into normalised rows. */
public final class UsageReaders {
  private UsageReaders() {}

  /**
   * Reads a stream (gzip-compressed or not), detecting its format unless one is given.
   *
   * @return the format read
   */
  public static UsageFormat read(String file, InputStream raw, UsageFormat format, Consumer<UsageRow> sink, Problems problems) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(4);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    InputStream body = b1 == 0x1f && b2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    body.mark(1 << 16);
    byte[] head = body.readNBytes(1 << 15);
    body.reset();
    if (head.length > 0 && head[0] == 'P' && head.length > 1 && head[1] == 'K') {
      throw new InvalidInputException(file + " is a zip archive; extract it and give the files inside");
    }
    UsageFormat f = format != null ? format : FormatDetector.detect(file, new String(head, StandardCharsets.UTF_8));
    Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8);
    try {
      switch (f) {
        case CSV -> CsvUsageReader.readGeneric(file, reader, sink, problems);
        case LITELLM -> {
          String t = new String(head, StandardCharsets.UTF_8).stripLeading();
          if (t.startsWith("{") || t.startsWith("[")) {
            JsonUsageReaders.readLiteLlm(file, reader, sink, problems);
          } else {
            CsvUsageReader.readLiteLlm(file, reader, sink, problems);
          }
        }
        case OPENAI_USAGE -> JsonUsageReaders.readOpenAi(file, reader, sink, problems);
        case ANTHROPIC_USAGE -> JsonUsageReaders.readAnthropic(file, reader, sink, problems);
        case LANGFUSE -> JsonUsageReaders.readLangfuse(file, reader, sink, problems);
        case OTEL -> JsonUsageReaders.readOtel(file, reader, sink, problems);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidInputException(file + ": not valid JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage()
          + "; fix the file there or leave it out");
    } catch (Values.BadValue e) {
      throw new InvalidInputException(file + ": " + e.getMessage());
    }
    return f;
  }
}
