package dev.maestro.engine.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolArguments;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tools that let an agent use its own memory: {@code remember} (store a fact, a lesson or an
 * event) and {@code recall} (search what it remembers). Both act on the memory of the agent whose
 * run calls them; called outside a run (over the API) they need an {@code agent_id} argument.
 */
public final class MemoryTools {
  private MemoryTools() {}

  public static List<Tool> of(Memories memories) {
    return List.of(new Remember(memories), new RecallTool(memories));
  }

  static String agentId(JsonNode args, ToolContext context, String tool) {
    if (context.agentId() != null) {
      return context.agentId();
    }
    JsonNode v = args.get("agent_id");
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ToolException(tool + " was called outside a run; give the argument 'agent_id' to say whose memory to use");
    }
    return v.asText();
  }


  static final class Remember implements Tool {
    private final Memories memories;
    private final ToolSpec spec = new ToolSpec("remember",
        "Stores something in your long-term memory so that later runs can recall it: a fact (semantic), how to do something or a"
            + " lesson (procedural), or something that happened (episodic). Keep it to one short, self-contained statement.",
        Json.tree("""
            {"type":"object",
             "properties":{
               "content":{"type":"string","description":"what to remember, as one self-contained statement"},
               "type":{"type":"string","enum":["semantic","procedural","episodic"],"description":"the kind of memory (default semantic)"},
               "importance":{"type":"number","minimum":0,"maximum":1,"description":"0 trivial to 1 crucial (default 0.5)"}},
             "required":["content"]}"""),
        RiskLevel.LOW, false, Duration.ofSeconds(30));

    Remember(Memories memories) {
      this.memories = memories;
    }

    @Override
    public ToolSpec spec() {
      return spec;
    }

    @Override
    public String call(JsonNode args, ToolContext context) {
      String agent = agentId(args, context, "remember");
      String content = ToolArguments.required(args, "remember", "content");
      JsonNode t = args.get("type");
      JsonNode imp = args.get("importance");
      try {
        MemoryType type = t == null || t.isNull() ? MemoryType.SEMANTIC : MemoryType.parse(t.asText());
        double importance = imp == null || imp.isNull() ? 0.5 : imp.isNumber() ? imp.asDouble() : Double.NaN;
        Memory m = memories.remember(new NewMemory(agent, type, content, importance, context.runId(), Map.of("source", "tool")));
        return "remembered (" + m.type().wire() + ", id " + m.id() + ")";
      } catch (MaestroException e) {
        throw new ToolException("remember: " + e.getMessage());
      }
    }
  }

  static final class RecallTool implements Tool {
    private final Memories memories;
    private final ToolSpec spec = new ToolSpec("recall",
        "Searches your long-term memory (facts, lessons, what happened in earlier runs) and returns the most relevant memories,"
            + " ranked by relevance, importance and recency.",
        Json.tree("""
            {"type":"object",
             "properties":{
               "query":{"type":"string","description":"what you want to remember"},
               "type":{"type":"string","enum":["semantic","procedural","episodic"],"description":"only memories of this kind"},
               "limit":{"type":"integer","minimum":1,"maximum":20,"description":"how many memories (default 5)"}},
             "required":["query"]}"""),
        RiskLevel.LOW, true, Duration.ofSeconds(30));

    RecallTool(Memories memories) {
      this.memories = memories;
    }

    @Override
    public ToolSpec spec() {
      return spec;
    }

    @Override
    public String call(JsonNode args, ToolContext context) {
      String agent = agentId(args, context, "recall");
      String query = ToolArguments.required(args, "recall", "query");
      JsonNode t = args.get("type");
      JsonNode l = args.get("limit");
      try {
        Set<MemoryType> types = t == null || t.isNull() ? Set.of() : Set.of(MemoryType.parse(t.asText()));
        int limit = l == null || l.isNull() ? 5 : l.canConvertToInt() ? Math.min(20, l.asInt()) : -1;
        List<Recalled> found = memories.recall(new Recall(agent, query, types, limit));
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Recalled r : found) {
          ObjectNode o = out.addObject();
          o.put("type", r.memory().type().wire());
          o.put("content", r.memory().content());
          o.put("importance", r.memory().importance());
          o.put("remembered_at", r.memory().createdAt().toString());
          o.put("score", Math.round(r.score() * 1000) / 1000.0);
        }
        return found.isEmpty() ? "no memories match '" + query.toLowerCase(Locale.ROOT) + "'" : Json.write(out);
      } catch (MaestroException e) {
        throw new ToolException("recall: " + e.getMessage());
      }
    }
  }
}
