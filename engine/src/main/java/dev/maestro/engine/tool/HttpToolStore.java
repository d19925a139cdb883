package dev.maestro.engine.tool;

import dev.maestro.engine.ConflictException;
import java.util.List;

/** Where the HTTP tools registered in a workspace are kept. */
public interface HttpToolStore {

  /**
   * Stores a new definition.
   *
   * @throws ConflictException if a tool with its name is already stored
   */
  void add(HttpToolDefinition tool);

  /** Every stored definition, by name. */
  List<HttpToolDefinition> list();
}
