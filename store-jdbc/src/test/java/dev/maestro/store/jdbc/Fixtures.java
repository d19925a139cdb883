package dev.maestro.store.jdbc;

import dev.maestro.engine.agent.AgentKind;
import dev.maestro.engine.agent.AgentSpec;
import dev.maestro.engine.run.RunEvent.RunCreated;

/** Events for the tests of this module that are not store contract tests. */
final class Fixtures {
  private Fixtures() {}

  static RunCreated created() {
    var spec = new AgentSpec("agent-a", null, null, AgentKind.REACT, "openai:gpt-4o-mini", null, null, null);
    return new RunCreated("agent-a", spec, "hello", "openai:gpt-4o-mini", null);
  }
}
