package dev.maestro.engine.auth;

import dev.maestro.engine.ConflictException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Workspaces kept in memory: for tests and embedding without a database. */
public final class InMemoryWorkspaceStore implements WorkspaceStore {
  private final Clock clock;
  private final ConcurrentSkipListMap<String, Workspace> workspaces = new ConcurrentSkipListMap<>();

  public InMemoryWorkspaceStore() {
    this(Clock.systemUTC());
  }

  public InMemoryWorkspaceStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Workspace create(String id, String name) {
    var workspace = new Workspace(id, name, clock.instant().truncatedTo(ChronoUnit.MICROS));
    if (workspaces.putIfAbsent(id, workspace) != null) {
      throw exists(id);
    }
    return workspace;
  }

  @Override
  public Optional<Workspace> find(String id) {
    return Optional.ofNullable(id == null ? null : workspaces.get(id));
  }

  @Override
  public List<Workspace> list() {
    return List.copyOf(workspaces.values());
  }

  static ConflictException exists(String id) {
    return new ConflictException("a workspace with id '" + id + "' already exists; choose another id");
  }
}
