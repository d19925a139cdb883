package dev.maestro.engine.model;

import dev.maestro.engine.MaestroException;

/**
 * The model cannot be used: its provider is not configured (a key is missing) or cannot be reached.
 * The message names what to set or check.
 */
public class ModelUnavailableException extends MaestroException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public ModelUnavailableException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public ModelUnavailableException(String message) {
    this(message, false, null);
  }

  @Override
  public boolean retryable() {
    return retryable;
  }
}
