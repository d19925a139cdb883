package dev.maestro.engine.auth;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import java.util.List;
import java.util.Optional;

/**
 * The workspaces. Stores of other things may create a workspace on first use with its id as its
 * name; this is where workspaces are created on purpose, named, and listed.
 */
public interface WorkspaceStore {

  /**
   * Creates a workspace.
   *
   * @throws InvalidInputException if the id or name is not acceptable
   * @throws ConflictException if a workspace with this id exists
   */
  Workspace create(String id, String name);

  Optional<Workspace> find(String id);

  /** Every workspace, by id. */
  List<Workspace> list();
}
