package dev.maestro.engine;

/**
 * Root of every exception Maestro throws on purpose. Subclasses say what the caller can do:
 * fix its input ({@link InvalidInputException}), look elsewhere ({@link NotFoundException}),
 * retry or reload ({@link ConflictException}), or retry later ({@link #retryable()}).
 * Messages say what was wrong, with the offending value, and what to do.
 */
public class MaestroException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MaestroException(String message) {
    super(message);
  }

  public MaestroException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether the same call may succeed if tried again later (a provider was unreachable, say). */
  public boolean retryable() {
    return false;
  }
}
