package dev.maestro.engine.workflow;

import dev.maestro.engine.MaestroException;

/** Thrown by a workflow to fail its run with a message a person can act on. */
public final class WorkflowException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public WorkflowException(String message) {
    super(message);
  }
}
