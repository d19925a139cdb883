package dev.maestro.packs.spend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Builds generic usage CSV files for tests, one request per row. */
final class UsageCsv {
  static final String HEADER = "timestamp,provider,model,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,latency_ms,status,user,project,tag,prompt_hash,prompt,session";
  private final StringBuilder text = new StringBuilder(HEADER).append('\n');
  private Instant at = Instant.parse("2026-01-05T09:00:00Z");

  /** Rows after this one start at this time, one second apart. */
  UsageCsv at(String instant) {
    at = Instant.parse(instant);
    return this;
  }

  UsageCsv row(String provider, String model, long in, long out, long cacheRead, String status, String tag, String promptHash, String prompt, String session,
      long latencyMs) {
    text.append(at).append(',').append(provider).append(',').append(model).append(',').append(in).append(',').append(out).append(',').append(cacheRead)
        .append(",0,").append(latencyMs < 0 ? "" : latencyMs).append(',').append(status).append(",user1,proj1,").append(tag == null ? "" : tag).append(',')
        .append(promptHash == null ? "" : promptHash).append(',').append(prompt == null ? "" : '"' + prompt.replace("\"", "\"\"") + '"').append(',')
        .append(session == null ? "" : session).append('\n');
    at = at.plusSeconds(1);
    return this;
  }

  UsageCsv rows(int n, String provider, String model, long in, long out, String tag) {
    for (int i = 0; i < n; i++) {
      row(provider, model, in, out, 0, "ok", tag, "distinct-" + text.length(), null, null, 800);
    }
    return this;
  }

  Path write(Path dir, String name) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
