package dev.maestro.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test tool that records every call; it echoes its 'text' argument, sleeps on request, or fails on 'fail'. */
final class CountingTool implements Tool {
  final List<JsonNode> calls = new CopyOnWriteArrayList<>();
  private final ToolSpec spec;

  CountingTool(String name, boolean idempotent, Duration timeout) {
    this(name, RiskLevel.LOW, idempotent, timeout);
  }

  CountingTool(String name, RiskLevel risk, boolean idempotent, Duration timeout) {
    this.spec = new ToolSpec(name, "Echoes its text argument.",
        Json.tree("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"},\"sleep_ms\":{\"type\":\"integer\"}},\"required\":[\"text\"]}"),
        risk, idempotent, timeout);
  }

  CountingTool(String name) {
    this(name, true, Duration.ofSeconds(5));
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public String call(JsonNode arguments, ToolContext context) {
    calls.add(arguments);
    long sleep = arguments.path("sleep_ms").asLong(0);
    if (sleep > 0) {
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ToolException("interrupted");
      }
    }
    String text = arguments.path("text").asText();
    if (text.equals("fail")) {
      throw new ToolException("asked to fail");
    }
    return "echo: " + text;
  }
}
