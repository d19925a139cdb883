package dev.maestro.engine;

/** Something named by id does not exist (in the caller's workspace). */
public class NotFoundException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
