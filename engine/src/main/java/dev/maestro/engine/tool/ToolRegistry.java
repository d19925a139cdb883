package dev.maestro.engine.tool;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The tools available in a workspace, by name. Thread-safe; closing it closes the tools that hold resources. */
public final class ToolRegistry implements AutoCloseable {
  private final Map<String, Tool> tools = new TreeMap<>();

  public ToolRegistry() {}

  public ToolRegistry(Collection<? extends Tool> initial) {
    initial.forEach(this::register);
  }

  /**
   * Adds a tool.
   *
   * @throws ConflictException if a tool of that name is already registered
   */
  public synchronized ToolRegistry register(Tool tool) {
    String name = tool.spec().name();
    if (tools.containsKey(name)) {
      throw new ConflictException("a tool named '" + name + "' is already registered");
    }
    tools.put(name, tool);
    return this;
  }

  public synchronized Optional<Tool> find(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** All tools, ordered by name. */
  public synchronized List<Tool> all() {
    return List.copyOf(tools.values());
  }

  /**
   * The tools with these names, in the given order.
   *
   * @throws InvalidInputException naming every unknown tool and listing the known ones
   */
  public synchronized List<Tool> select(List<String> names) {
    var selected = new ArrayList<Tool>();
    var unknown = new ArrayList<String>();
    for (String name : names) {
      Tool t = tools.get(name);
      if (t == null) {
        unknown.add(name);
      } else {
        selected.add(t);
      }
    }
    if (!unknown.isEmpty()) {
      throw new InvalidInputException("unknown tool(s) " + unknown + "; available tools are " + tools.keySet());
    }
    return selected;
  }

  /** Closes every tool that is {@link AutoCloseable} (an HTTP client, say); failures are logged. */
  @Override
  public synchronized void close() {
    for (Tool tool : tools.values()) {
      if (tool instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          org.slf4j.LoggerFactory.getLogger(ToolRegistry.class).warn("closing tool {} failed", tool.spec().name(), e);
        }
      }
    }
  }
}
