package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/**
 * One row of LiteLLM's {@code LiteLLM_SpendLogs} table. LiteLLM reports every provider in the
 * OpenAI convention: {@code prompt_tokens} includes cached tokens (it adds Anthropic's cache reads
 * and writes to them), and the cache counts are in {@code metadata.usage_object}.
 */
final class LiteLlmRows {
  private LiteLlmRows() {}

  interface Fields {
    String get(String column);
  }

  static void map(String file, long line, String where, Fields f, Consumer<UsageRow> sink, Problems problems) {
    try {
      String model = Values.blankToNull(f.get("model"));
      if (model == null) {
        model = Values.blankToNull(f.get("model_group"));
      }
      if (model == null) {
        throw new Values.BadValue("model is empty");
      }
      long input = Values.tokens("prompt_tokens", f.get("prompt_tokens"));
      long output = Values.tokens("completion_tokens", f.get("completion_tokens"));
      JsonNode metadata = CsvUsageReader.json(f.get("metadata"));
      JsonNode usage = metadata == null ? null : metadata.path("usage_object");
      long read = 0;
      long write = 0;
      if (usage != null && usage.isObject()) {
        read = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        if (read == 0) {
          read = usage.path("cache_read_input_tokens").asLong(0);
        }
        write = usage.path("cache_creation_input_tokens").asLong(0);
      }
      Values.checkCache(input, read, write, "prompt_tokens");
      long start = Values.micros("startTime", f.get("startTime"));
      String end = f.get("endTime");
      long latency = end == null || end.isBlank() ? -1 : Math.max(0, (Values.micros("endTime", end) - start) / 1000);
      boolean cacheHit = "true".equalsIgnoreCase(f.get("cache_hit"));
      if (cacheHit) {
        // served from LiteLLM's own response cache: no provider tokens were paid for
        input = output = read = write = 0;
      }
      String status = f.get("status");
      JsonNode tags = CsvUsageReader.json(f.get("request_tags"));
      String tag = tags != null && tags.isArray() && !tags.isEmpty() ? tags.get(0).asText() : null;
      String user = Values.blankToNull(f.get("end_user"));
      if (user == null) {
        user = Values.blankToNull(f.get("user"));
      }
      String messages = f.get("messages");
      if (messages != null && (messages.isBlank() || messages.equals("{}") || messages.equals("[]"))) {
        messages = null;
      }
      String provider = Values.blankToNull(f.get("custom_llm_provider"));
      sink.accept(new UsageRow(file, line, start, provider, model, 1, input, output, read, write, 0, input, latency,
          status != null && (status.equalsIgnoreCase("failure") || Values.error(status)), false, user, Values.blankToNull(f.get("team_id")), tag,
          Values.blankToNull(f.get("session_id")), Hashes.whole(messages), Hashes.prefix(messages)));
    } catch (Values.BadValue e) {
      problems.bad(file, line, where, e.getMessage());
    }
  }
}
