package dev.maestro.engine;

/** The caller's input was wrong; the message names the value and what would be accepted. */
public class InvalidInputException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
