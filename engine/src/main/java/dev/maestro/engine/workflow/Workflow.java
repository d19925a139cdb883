package dev.maestro.engine.workflow;

/**
 * A deterministic program over tools, run durably as a normal run. Every step it takes through
 * its {@link WorkflowContext} is appended to the run's log; when a run is resumed after a crash the
 * program is executed again from the start and steps already in the log return their recorded
 * results instead of running again. A workflow must therefore take the same steps, in the same
 * order, given the same input and the same step results: no clocks, no randomness, no I/O except
 * through the context.
 */
public interface Workflow {

  /** The id {@code kind: workflow} agents name in their {@code workflow} field. */
  String id();

  /** One sentence for listings. */
  String description();

  /**
   * Runs the workflow.
   *
   * @return the run's final answer
   * @throws WorkflowException to fail the run with a message a person can act on
   */
  String run(String input, WorkflowContext context);
}
