package dev.maestro.engine.agent;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import java.time.Clock;
import java.util.List;

/** The agent lifecycle: create, enable, pause, delete. Paused and deleted agents start no runs. */
public final class Agents {
  private final AgentStore store;
  private final Clock clock;

  public Agents(AgentStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Stores a new agent, or replaces the spec of an existing one (keeping its status, unless it
   * was deleted, in which case it is created anew).
   */
  public Agent create(AgentSpec spec) {
    var now = clock.instant();
    var existing = store.find(spec.id()).filter(a -> a.status() != AgentStatus.DELETED);
    Agent agent =
        existing
            .map(a -> new Agent(spec, a.status(), a.createdAt(), now))
            .orElseGet(() -> new Agent(spec, AgentStatus.CREATED, now, now));
    store.save(agent);
    return agent;
  }

  /**
   * Stores an agent a pack or example provides, unless an agent with its id exists or once existed:
   * what a user changed or deleted stays so.
   *
   * @return whether it was stored
   */
  public boolean install(AgentSpec spec) {
    if (store.find(spec.id()).isPresent()) {
      return false;
    }
    var now = clock.instant();
    store.save(new Agent(spec, AgentStatus.ENABLED, now, now));
    return true;
  }

  public Agent enable(String id) {
    return move(id, AgentStatus.ENABLED);
  }

  public Agent pause(String id) {
    return move(id, AgentStatus.PAUSED);
  }

  public Agent delete(String id) {
    return move(id, AgentStatus.DELETED);
  }

  /** The agent, unless it does not exist or was deleted. */
  public Agent get(String id) {
    return store.find(id)
        .filter(a -> a.status() != AgentStatus.DELETED)
        .orElseThrow(() -> new NotFoundException("no agent '" + id + "'; list agents with 'maestro agents list' or create one with 'maestro agents create -f agent.yaml'"));
  }

  public List<Agent> list() {
    return store.list();
  }

  /** The agent, if it may start a run now; otherwise a message saying why not and what to do. */
  public Agent runnable(String id) {
    Agent agent = get(id);
    if (agent.status() == AgentStatus.PAUSED) {
      throw new ConflictException("agent '" + id + "' is paused; enable it with 'maestro agents enable " + id + "'");
    }
    return agent;
  }

  private Agent move(String id, AgentStatus status) {
    Agent moved = get(id).with(status, clock.instant());
    store.save(moved);
    return moved;
  }
}
