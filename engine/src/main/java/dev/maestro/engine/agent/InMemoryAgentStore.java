package dev.maestro.engine.agent;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Agents kept in memory: for tests, benchmarks and embedding Maestro without a database. */
public final class InMemoryAgentStore implements AgentStore {
  private final ConcurrentMap<String, Agent> agents = new ConcurrentHashMap<>();

  @Override
  public void save(Agent agent) {
    agents.put(agent.id(), agent);
  }

  @Override
  public Optional<Agent> find(String id) {
    return Optional.ofNullable(agents.get(id));
  }

  @Override
  public List<Agent> list() {
    return agents.values().stream()
        .filter(a -> a.status() != AgentStatus.DELETED)
        .sorted(Comparator.comparing(Agent::id))
        .toList();
  }
}
