package dev.maestro.engine;

/**
 * The request does not fit the current state: cancelling a finished run, or appending to a run log
 * that another writer has moved on. Reload and decide again.
 */
public class ConflictException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }
}
