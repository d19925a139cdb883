package dev.maestro.packs.spend.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.util.Map;
import java.util.function.Consumer;

/** The JSON exports: OpenAI and Anthropic usage reports, LiteLLM spend logs, Langfuse observations, OTLP spans. */
final class JsonUsageReaders {
  private JsonUsageReaders() {}

  /**
   * OpenAI Usage API, completions: buckets of {@code results}; {@code input_tokens} already
   * includes {@code input_cached_tokens} ("including cached tokens", per the API reference).
   */
  static void readOpenAi(String file, Reader reader, Consumer<UsageRow> sink, Problems problems) throws IOException {
    JsonElements.read(reader, "data", (bucket, line, b) -> {
      JsonNode results = bucket.path("results");
      for (int i = 0; i < results.size(); i++) {
        JsonNode r = results.get(i);
        String where = "data[" + b + "].results[" + i + "]";
        try {
          String model = text(r, "model");
          if (model == null) {
            throw new Values.BadValue("result has no model; fetch the usage with group_by=model so that it can be priced");
          }
          long input = r.path("input_tokens").asLong(0);
          long cached = r.path("input_cached_tokens").asLong(0);
          Values.checkCache(input, cached, 0, "input_tokens");
          long requests = r.path("num_model_requests").asLong(0);
          if (r.path("input_audio_tokens").asLong(0) > 0 || r.path("output_audio_tokens").asLong(0) > 0) {
            problems.warn("OpenAI audio tokens are not priced: the catalog's audio prices are not used yet");
          }
          sink.accept(new UsageRow(file, line, Values.micros("start_time", bucket.path("start_time").asText()), "openai", model, requests, input,
              r.path("output_tokens").asLong(0), cached, 0, 0, requests > 0 ? input / requests : input, -1, false, r.path("batch").asBoolean(false),
              text(r, "user_id") != null ? text(r, "user_id") : text(r, "api_key_id"), text(r, "project_id"), null, null, 0, 0));
        } catch (Values.BadValue e) {
          problems.bad(file, line, where, e.getMessage());
        }
      }
    });
  }

  /**
   * Anthropic usage report: {@code uncached_input_tokens} excludes cache reads and writes, so the
   * input is their sum. It has no request counts; its {@code context_window} bucket says whether
   * the long-context tier applied.
   */
  static void readAnthropic(String file, Reader reader, Consumer<UsageRow> sink, Problems problems) throws IOException {
    JsonElements.read(reader, "data", (bucket, line, b) -> {
      JsonNode results = bucket.path("results");
      for (int i = 0; i < results.size(); i++) {
        JsonNode r = results.get(i);
        String where = "data[" + b + "].results[" + i + "]";
        try {
          String model = text(r, "model");
          if (model == null) {
            throw new Values.BadValue("result has no model; fetch the report with group_by[]=model so that it can be priced");
          }
          long uncached = r.path("uncached_input_tokens").asLong(0);
          long read = r.path("cache_read_input_tokens").asLong(0);
          long write5m = r.path("cache_creation").path("ephemeral_5m_input_tokens").asLong(0);
          long write1h = r.path("cache_creation").path("ephemeral_1h_input_tokens").asLong(0);
          long input = uncached + read + write5m + write1h;
          String window = r.path("context_window").asText("");
          long tierInput = window.startsWith("200k") ? 200_001 : 0;
          problems.warn("Anthropic usage reports carry no request counts: their rows count 0 requests");
          sink.accept(new UsageRow(file, line, Values.micros("starting_at", bucket.path("starting_at").asText()), "anthropic", model, 0, input,
              r.path("output_tokens").asLong(0), read, write5m + write1h, write1h, tierInput, -1, false, "batch".equals(r.path("service_tier").asText()),
              text(r, "api_key_id"), text(r, "workspace_id"), null, null, 0, 0));
        } catch (Values.BadValue e) {
          problems.bad(file, line, where, e.getMessage());
        }
      }
    });
  }

  static void readLiteLlm(String file, Reader reader, Consumer<UsageRow> sink, Problems problems) throws IOException {
    JsonElements.read(reader, "data", (row, line, i) -> LiteLlmRows.map(file, line, null, column -> {
      JsonNode v = row.get(column);
      return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }, sink, problems));
  }

  /**
   * Langfuse observations: only GENERATION observations are model calls. Its {@code usageDetails}
   * keys are disjoint parts that add up to the total ({@code input} is the uncached input when
   * {@code input_cached_tokens} or {@code cache_read_input_tokens} is present), so every key
   * starting with "input" or naming a cache adds to the input.
   */
  static void readLangfuse(String file, Reader reader, Consumer<UsageRow> sink, Problems problems) throws IOException {
    JsonElements.read(reader, "data", (o, line, i) -> {
      if (!"GENERATION".equals(o.path("type").asText())) {
        return;
      }
      try {
        String model = text(o, "model");
        if (model == null) {
          throw new Values.BadValue("generation has no model");
        }
        JsonNode usage = o.has("usageDetails") ? o.get("usageDetails") : o.path("usage");
        long input = 0, output = 0, read = 0, write = 0;
        for (Map.Entry<String, JsonNode> e : usage.properties()) {
          String key = e.getKey().toLowerCase(java.util.Locale.ROOT);
          long v = e.getValue().asLong(0);
          if (key.equals("total") || key.equals("unit") || !e.getValue().isNumber()) {
            continue;
          }
          if (key.contains("cache_read") || key.contains("cached")) {
            read += v;
            input += v;
          } else if (key.contains("cache_creation") || key.contains("cache_write")) {
            write += v;
            input += v;
          } else if (key.startsWith("input") || key.startsWith("prompt")) {
            input += v;
          } else if (key.startsWith("output") || key.startsWith("completion")) {
            output += v;
          }
        }
        long start = Values.micros("startTime", o.path("startTime").asText());
        long latency = o.hasNonNull("endTime") ? Math.max(0, (Values.micros("endTime", o.get("endTime").asText()) - start) / 1000) : -1;
        String prompt = o.hasNonNull("input") ? o.get("input").isTextual() ? o.get("input").asText() : o.get("input").toString() : null;
        JsonNode meta = o.path("metadata");
        sink.accept(new UsageRow(file, line, start, text(meta, "provider"), model, 1, input, output, read, write, 0, input, latency,
            "ERROR".equals(o.path("level").asText()), false, text(o, "userId"), text(o, "projectId"), text(o, "name"), text(o, "traceId"),
            Hashes.whole(prompt), Hashes.prefix(prompt)));
      } catch (Values.BadValue e) {
        problems.bad(file, line, "observation " + o.path("id").asText(""), e.getMessage());
      }
    });
  }

  /**
   * OpenTelemetry GenAI spans (OTLP JSON). Per the semantic conventions {@code
   * gen_ai.usage.input_tokens} includes cached tokens; spans without a model or token usage (tool
   * calls, agent spans) are not model calls and are skipped.
   */
  static void readOtel(String file, Reader reader, Consumer<UsageRow> sink, Problems problems) throws IOException {
    JsonElements.read(reader, "resourceSpans", (resourceSpans, line, r) -> {
      Map<String, String> resource = Otlp.attributes(resourceSpans.path("resource").path("attributes"));
      JsonNode scopes = resourceSpans.path("scopeSpans");
      for (int s = 0; s < scopes.size(); s++) {
        JsonNode spans = scopes.get(s).path("spans");
        for (int i = 0; i < spans.size(); i++) {
          JsonNode span = spans.get(i);
          Map<String, String> a = Otlp.attributes(span.path("attributes"));
          String model = a.getOrDefault("gen_ai.response.model", a.get("gen_ai.request.model"));
          if (model == null || !a.containsKey("gen_ai.usage.input_tokens") && !a.containsKey("gen_ai.usage.output_tokens")) {
            continue;
          }
          String where = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "] " + span.path("name").asText("");
          try {
            long input = Values.tokens("gen_ai.usage.input_tokens", a.get("gen_ai.usage.input_tokens"));
            long read = Values.tokens("gen_ai.usage.cache_read.input_tokens", a.get("gen_ai.usage.cache_read.input_tokens"));
            long write = Values.tokens("gen_ai.usage.cache_creation.input_tokens", a.get("gen_ai.usage.cache_creation.input_tokens"));
            Values.checkCache(input, read, write, "gen_ai.usage.input_tokens");
            long start = Values.micros("startTimeUnixNano", span.path("startTimeUnixNano").asText());
            long end = span.hasNonNull("endTimeUnixNano") ? Values.micros("endTimeUnixNano", span.get("endTimeUnixNano").asText()) : start;
            String provider = a.getOrDefault("gen_ai.provider.name", a.get("gen_ai.system"));
            String user = a.getOrDefault("user.id", a.get("enduser.id"));
            String prompt = a.get("gen_ai.input.messages");
            sink.accept(new UsageRow(file, line, start, provider, model, 1, input, Values.tokens("gen_ai.usage.output_tokens", a.get("gen_ai.usage.output_tokens")),
                read, write, 0, input, Math.max(0, (end - start) / 1000), span.path("status").path("code").asInt(0) == 2
                    || "STATUS_CODE_ERROR".equals(span.path("status").path("code").asText()), false, user, resource.get("service.name"),
                a.get("gen_ai.operation.name"), a.getOrDefault("gen_ai.conversation.id", span.path("traceId").asText(null)), Hashes.whole(prompt),
                Hashes.prefix(prompt)));
          } catch (Values.BadValue e) {
            problems.bad(file, line, where, e.getMessage());
          }
        }
      }
    });
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }
}
