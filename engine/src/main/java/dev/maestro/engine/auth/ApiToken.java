package dev.maestro.engine.auth;

import dev.maestro.engine.InvalidInputException;
import java.time.Instant;
import java.util.Objects;

/**
 * A bearer token as stored: everything but its secret, of which only a hash is kept.
 *
 * @param id {@code tok_} and 12 hexadecimal digits; safe to show and log
 * @param name what the token is for, 1-100 characters ({@code alice's laptop}, {@code ci})
 * @param createdBy who created it (an audit actor such as {@code token:tok_... (alice)}, or {@code first-start})
 * @param lastUsedAt when it last authenticated a request, to within a minute; null if never
 * @param revokedAt when it was revoked; null while it is live
 */
public record ApiToken(String id, String workspaceId, String name, Role role, Instant createdAt, String createdBy,
    Instant lastUsedAt, Instant revokedAt) {
  static final int MAX_NAME = 100;
  static final int MAX_CREATED_BY = 200;

  public ApiToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    Workspace.checkId(workspaceId);
    if (name == null || name.isBlank() || name.length() > MAX_NAME || name.indexOf('\0') >= 0) {
      throw new InvalidInputException("token name '" + name + "' is not valid; give 1-" + MAX_NAME + " characters saying what the token is for");
    }
    if (role == null) {
      throw new InvalidInputException("a token needs a role: one of admin, operator, approver, viewer");
    }
    if (createdBy == null || createdBy.isBlank() || createdBy.length() > MAX_CREATED_BY || createdBy.indexOf('\0') >= 0) {
      throw new InvalidInputException("token creator '" + createdBy + "' is not valid; name who creates the token in 1-" + MAX_CREATED_BY + " characters");
    }
  }

  /** Whether the token still authenticates requests. */
  public boolean live() {
    return revokedAt == null;
  }

  /** This token with its last use noted. */
  public ApiToken withLastUsedAt(Instant at) {
    return new ApiToken(id, workspaceId, name, role, createdAt, createdBy, at, revokedAt);
  }

  /** This token revoked. */
  public ApiToken withRevokedAt(Instant at) {
    return new ApiToken(id, workspaceId, name, role, createdAt, createdBy, lastUsedAt, at);
  }
}
