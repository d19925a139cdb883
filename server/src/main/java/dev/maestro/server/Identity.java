package dev.maestro.server;

import dev.maestro.engine.InvalidInputException;
import io.javalin.http.Context;

/** Who is making a request: the person an approval or rejection is recorded under. */
final class Identity {
  /** The request attribute under which authentication leaves the caller's name. */
  static final String NAME = "maestro.caller";

  private Identity() {}

  /**
   * The caller's name: the authenticated token's, else the body's {@code approver} field.
   *
   * @throws InvalidInputException if neither says who it is
   */
  static String who(Context ctx, Body body) {
    String name = ctx.attribute(NAME);
    if (name != null) {
      return name;
    }
    String approver = body.optional("approver");
    if (approver == null || approver.isBlank()) {
      throw new InvalidInputException("say who approves or rejects in the field 'approver'; it is recorded with the decision");
    }
    return approver.strip();
  }
}
