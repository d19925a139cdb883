package dev.maestro.engine.tool;

import dev.maestro.engine.ConflictException;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/** HTTP tool definitions kept in memory: for tests and embedding without a database. */
public final class InMemoryHttpToolStore implements HttpToolStore {
  private final ConcurrentSkipListMap<String, HttpToolDefinition> tools = new ConcurrentSkipListMap<>();

  @Override
  public void add(HttpToolDefinition tool) {
    if (tools.putIfAbsent(tool.name(), tool) != null) {
      throw new ConflictException("a tool named '" + tool.name() + "' is already registered");
    }
  }

  @Override
  public List<HttpToolDefinition> list() {
    return List.copyOf(tools.values());
  }
}
