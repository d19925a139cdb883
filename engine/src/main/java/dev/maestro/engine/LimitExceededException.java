package dev.maestro.engine;

/**
 * A quota or rate limit refuses the request for now: too many concurrent runs of an agent, its
 * tokens or cost for the day used up. Retrying later may succeed; the message says which limit.
 */
public class LimitExceededException extends MaestroException {
  private static final long serialVersionUID = 1L;

  public LimitExceededException(String message) {
    super(message);
  }
}
