package dev.maestro.engine.knowledge;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code knowledge_search}: finds passages in the workspace's knowledge collections and returns them
 * with their citations (document and location), for the model to quote and cite.
 */
public final class KnowledgeSearchTool implements Tool {
  private final KnowledgeBase knowledge;
  private final ToolSpec spec = new ToolSpec("knowledge_search",
      "Searches the knowledge collections (ingested documentation, code and documents) and returns the most relevant passages,"
          + " each with its citation (document and location). Cite the documents you use.",
      Json.tree("""
          {"type":"object",
           "properties":{
             "query":{"type":"string","description":"what to look for, in words or exact terms"},
             "collection":{"type":"string","description":"the collection to search; all of them when absent"},
             "limit":{"type":"integer","minimum":1,"maximum":20,"description":"how many passages (default 5)"}},
           "required":["query"]}"""),
      RiskLevel.LOW, true, Duration.ofSeconds(30));

  public KnowledgeSearchTool(KnowledgeBase knowledge) {
    this.knowledge = knowledge;
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public String call(JsonNode args, ToolContext context) {
    String query = ToolArguments.required(args, "knowledge_search", "query");
    JsonNode c = args.get("collection");
    JsonNode l = args.get("limit");
    int limit = l == null || l.isNull() ? 5 : Math.max(1, Math.min(20, l.asInt(5)));
    try {
      List<String> names = c == null || c.isNull() || c.asText().isBlank()
          ? knowledge.collections().stream().map(KnowledgeCollection::name).toList()
          : List.of(c.asText());
      if (names.isEmpty()) {
        return "there are no knowledge collections yet; nothing to search";
      }
      var found = new ArrayList<Passage>();
      for (String name : names) {
        found.addAll(knowledge.search(KnowledgeQuery.of(name, query, limit)));
      }
      found.sort(Comparator.comparingDouble(Passage::score).reversed());
      ArrayNode out = Json.MAPPER.createArrayNode();
      for (Passage p : found.subList(0, Math.min(limit, found.size()))) {
        ObjectNode o = out.addObject();
        o.put("citation", p.citation().toString());
        o.put("collection", p.collection());
        o.put("text", p.text());
      }
      return out.isEmpty() ? "no passages match '" + query + "' in " + names : Json.write(out);
    } catch (MaestroException e) {
      throw new ToolException("knowledge_search: " + e.getMessage());
    }
  }
}
