package dev.maestro.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.tool.ToolContext;
import java.util.Optional;

/** The steps a {@link Workflow} may take; each is recorded in the run's log. */
public interface WorkflowContext {

  /**
   * Calls a tool of the registry as a recorded step. On resume, a step already completed returns
   * its recorded observation without calling the tool again.
   *
   * @return the tool's observation
   * @throws dev.maestro.engine.tool.ToolException if the tool refused or failed (also recorded)
   */
  String call(String tool, JsonNode arguments);

  /** Records a note in the trace (shown as a thought), e.g. what the next step is for. */
  void note(String text);

  /**
   * Asks the run's language model, as a recorded model call, when the agent has a usable model.
   *
   * @return the answer, or empty when the run has no model (the workflow then goes on without)
   */
  Optional<String> ask(String prompt);

  /** Where the run works: its id, agent and working directory. */
  ToolContext toolContext();
}
