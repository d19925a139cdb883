package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The two CSV formats: the generic usage CSV, and LiteLLM spend logs exported as CSV. */
final class CsvUsageReader {
  static final List<String> GENERIC_REQUIRED = List.of("timestamp", "provider", "model", "input_tokens", "output_tokens");

  private CsvUsageReader() {}

  static void readGeneric(String file, Reader reader, Consumer<UsageRow> sink, Problems problems) throws IOException {
    Csv csv = new Csv(reader);
    List<String> header = csv.next();
    if (header == null) {
      problems.warn(file + " is empty");
      return;
    }
    Map<String, Integer> col = columns(header);
    for (String required : GENERIC_REQUIRED) {
      if (!col.containsKey(required)) {
        throw new dev.maestro.engine.InvalidInputException(file + ": the header has no '" + required + "' column; the generic CSV starts with "
            + String.join(",", GENERIC_REQUIRED));
      }
    }
    int ts = col.get("timestamp"), pr = col.get("provider"), mo = col.get("model"), in = col.get("input_tokens"), out = col.get("output_tokens");
    int cr = col.getOrDefault("cache_read_tokens", -1), cw = col.getOrDefault("cache_write_tokens", -1), lat = col.getOrDefault("latency_ms", -1);
    int st = col.getOrDefault("status", -1), us = col.getOrDefault("user", -1), pj = col.getOrDefault("project", -1), tg = col.getOrDefault("tag", -1);
    int ph = col.getOrDefault("prompt_hash", -1), pt = col.getOrDefault("prompt", -1), se = col.getOrDefault("session", -1);
    int ba = col.getOrDefault("batch", -1);
    List<String> f;
    while ((f = csv.next()) != null) {
      long line = csv.line();
      if (f.size() < header.size() && f.size() < 5) {
        problems.bad(file, line, null, "has " + f.size() + " fields; expected at least timestamp,provider,model,input_tokens,output_tokens");
        continue;
      }
      try {
        String model = Values.blankToNull(get(f, mo));
        if (model == null) {
          throw new Values.BadValue("model is empty");
        }
        long input = Values.requiredTokens("input_tokens", get(f, in));
        long read = Values.tokens("cache_read_tokens", get(f, cr));
        long write = Values.tokens("cache_write_tokens", get(f, cw));
        Values.checkCache(input, read, write, "input_tokens");
        String latency = get(f, lat);
        String prompt = get(f, pt);
        String hash = Values.blankToNull(get(f, ph));
        long promptHash = hash != null ? Hashes.whole(hash) : Hashes.whole(prompt);
        sink.accept(new UsageRow(file, line, Values.micros("timestamp", get(f, ts)), Values.blankToNull(get(f, pr)), model, 1, input,
            Values.requiredTokens("output_tokens", get(f, out)), read, write, 0, input, latency == null || latency.isBlank() ? -1 : Values.tokens("latency_ms", latency),
            Values.error(get(f, st)), "true".equalsIgnoreCase(get(f, ba)), Values.blankToNull(get(f, us)), Values.blankToNull(get(f, pj)),
            Values.blankToNull(get(f, tg)), Values.blankToNull(get(f, se)), promptHash, Hashes.prefix(prompt)));
      } catch (Values.BadValue e) {
        problems.bad(file, line, null, e.getMessage());
      }
    }
  }

  static void readLiteLlm(String file, Reader reader, Consumer<UsageRow> sink, Problems problems) throws IOException {
    Csv csv = new Csv(reader);
    List<String> header = csv.next();
    if (header == null) {
      problems.warn(file + " is empty");
      return;
    }
    Map<String, Integer> col = columns(header);
    List<String> f;
    while ((f = csv.next()) != null) {
      List<String> fields = f;
      long line = csv.line();
      LiteLlmRows.Fields row = name -> {
        Integer i = col.get(name);
        return i == null ? null : get(fields, i);
      };
      LiteLlmRows.map(file, line, null, row, sink, problems);
    }
  }

  private static Map<String, Integer> columns(List<String> header) {
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i).trim();
      if (i == 0 && name.startsWith("\uFEFF")) {
        name = name.substring(1);
      }
      col.putIfAbsent(name, i);
      col.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), i);
    }
    return col;
  }

  private static String get(List<String> f, int i) {
    return i < 0 || i >= f.size() ? null : f.get(i);
  }

  /** Reads a JSON value that a CSV export holds as text; null when empty or not JSON. */
  static JsonNode json(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return CatalogBuilder.MAPPER.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }
}
