package dev.maestro.engine.auth;

import dev.maestro.engine.InvalidInputException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A workspace: every agent, run, token, policy and audit entry belongs to exactly one, and nobody
 * sees another workspace's data.
 *
 * @param id 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit
 * @param name for people, 1-200 characters
 */
public record Workspace(String id, String name, Instant createdAt) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  static final int MAX_NAME = 200;

  public Workspace {
    checkId(id);
    if (name == null || name.isBlank() || name.length() > MAX_NAME || name.indexOf('\0') >= 0) {
      throw new InvalidInputException("workspace name '" + name + "' is not valid; give 1-" + MAX_NAME + " characters");
    }
  }

  /**
   * Returns the id if it is a valid workspace id.
   *
   * @throws InvalidInputException saying what a workspace id may be
   */
  public static String checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidInputException("workspace id '" + id + "' is not valid; use 1-64 letters, digits, '.', '-' or '_'");
    }
    return id;
  }
}
