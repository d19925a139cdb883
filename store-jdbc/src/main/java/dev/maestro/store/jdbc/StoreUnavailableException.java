package dev.maestro.store.jdbc;

import dev.maestro.engine.MaestroException;

/** The database could not be reached or failed to do its part; trying again later may succeed. */
final class StoreUnavailableException extends MaestroException {
  private static final long serialVersionUID = 1L;

  StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
