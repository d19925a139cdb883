package dev.maestro.engine.tool;

import dev.maestro.engine.MaestroException;

/**
 * A tool call was refused or failed. The message is shown to the model as the observation, so it
 * says what was wrong and what the model could do instead.
 */
public class ToolException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public ToolException(String message) {
    super(message);
  }

  public ToolException(String message, Throwable cause) {
    super(message, cause);
  }
}
