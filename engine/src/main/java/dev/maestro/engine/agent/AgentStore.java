package dev.maestro.engine.agent;

import java.util.List;
import java.util.Optional;

/**
 * Where agents are kept, within one workspace. Implementations: {@link InMemoryAgentStore}, and
 * the JDBC store for H2 and PostgreSQL.
 */
public interface AgentStore {

  /** Inserts or replaces the agent with this id (a deleted agent is brought back). */
  void save(Agent agent);

  /** The agent with this id, including a deleted one. */
  Optional<Agent> find(String id);

  /** Agents that are not deleted, ordered by id. */
  List<Agent> list();
}
