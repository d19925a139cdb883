package dev.maestro.engine.auth;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.NotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The API tokens of every workspace. It spans workspaces because a bearer token is all a request
 * brings, and it must be resolved to its workspace; every other operation names the workspace and
 * sees only that workspace's tokens. Secrets are never stored, only their SHA-256 (see {@link TokenSecrets}).
 * Implementations: {@link InMemoryTokenStore}, and the JDBC store for H2 and PostgreSQL.
 */
public interface TokenStore {
  /** How stale {@link ApiToken#lastUsedAt()} may be: a token's use is written at most this often. */
  Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

  /**
   * Creates a token. The secret in the answer is shown once and cannot be read again.
   *
   * @param createdBy who asks, as the audit trail names them
   * @throws InvalidInputException if the workspace id, name or creator is not acceptable
   */
  IssuedToken create(String workspaceId, String name, Role role, String createdBy);

  /**
   * Who holds this secret: empty when it is malformed, unknown or revoked. Notes the token's use (at
   * most once a minute per token, so that authentication stays one indexed read).
   */
  Optional<Principal> authenticate(String secret);

  /** The workspace's tokens, revoked ones included, oldest first. */
  List<ApiToken> list(String workspaceId);

  /**
   * Revokes a token of the workspace: it stops authenticating at once.
   *
   * @throws NotFoundException if the workspace has no token with this id (another workspace's ids included, with the same message)
   * @throws ConflictException if it is already revoked
   */
  ApiToken revoke(String workspaceId, String tokenId);

  /** Whether the workspace has at least one live admin token; on first start, none means one must be made. */
  boolean any(String workspaceId);
}
