package dev.maestro.store.jdbc;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import dev.maestro.engine.auth.ApiToken;
import dev.maestro.engine.auth.IssuedToken;
import dev.maestro.engine.auth.Principal;
import dev.maestro.engine.auth.Role;
import dev.maestro.engine.auth.TokenSecrets;
import dev.maestro.engine.auth.TokenStore;
import dev.maestro.engine.auth.Workspace;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * API tokens of every workspace, one row each in {@code api_tokens} with the SHA-256 of the secret,
 * never the secret. Authentication is one read by that hash; a token's last use is written at most
 * once a minute, and not forced to disk on H2 (a last-use time lost in a crash is harmless).
 */
final class JdbcTokenStore implements TokenStore {
  private static final String COLUMNS = "id, workspace_id, name, role, created_at, created_by, last_used_at, revoked_at";
  private static final RowMapper<ApiToken> TOKEN = (rs, ctx) -> new ApiToken(rs.getString("id"), rs.getString("workspace_id"),
      rs.getString("name"), Role.parse(rs.getString("role")), Sql.instant(rs, "created_at"), rs.getString("created_by"),
      Sql.instant(rs, "last_used_at"), Sql.instant(rs, "revoked_at"));

  private final Jdbi jdbi;
  private final Dialect dialect;
  private final Clock clock;
  private final SecureRandom random;
  private final UnaryOperator<String> workspaces;

  /** @param workspaces makes sure a workspace exists and returns its id */
  JdbcTokenStore(Jdbi jdbi, Dialect dialect, Clock clock, SecureRandom random, UnaryOperator<String> workspaces) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.clock = clock;
    this.random = random;
    this.workspaces = workspaces;
  }

  @Override
  public IssuedToken create(String workspaceId, String name, Role role, String createdBy) {
    var token = new ApiToken(TokenSecrets.newId(random), workspaceId, name, role, now(), createdBy, null, null);
    workspaces.apply(workspaceId);
    String secret = TokenSecrets.newSecret(random);
    for (int attempt = 1; ; attempt++) {
      try {
        ApiToken t = token;
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO api_tokens (" + COLUMNS + ", secret_sha256)"
                + " VALUES (:id, :workspace_id, :name, :role, :created_at, :created_by, NULL, NULL, :secret_sha256)")
            .bind("id", t.id())
            .bind("workspace_id", t.workspaceId())
            .bind("name", t.name())
            .bind("role", t.role().wire())
            .bind("created_at", t.createdAt())
            .bind("created_by", t.createdBy())
            .bind("secret_sha256", TokenSecrets.hash(secret))
            .execute());
        break;
      } catch (JdbiException e) {
        if (!Sql.isDuplicateKey(e) || attempt == 3) { // else a 48-bit id clashed: draw another
          throw Sql.failed("create a token in workspace '" + workspaceId + "'", e);
        }
        token = new ApiToken(TokenSecrets.newId(random), workspaceId, name, role, token.createdAt(), createdBy, null, null);
      }
    }
    writeThrough("create a token");
    return new IssuedToken(token, secret);
  }

  @Override
  public Optional<Principal> authenticate(String secret) {
    if (!TokenSecrets.wellFormed(secret)) {
      return Optional.empty();
    }
    String hash = TokenSecrets.hash(secret);
    Optional<ApiToken> found = Sql.call("authenticate a token", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE secret_sha256 = :hash")
            .bind("hash", hash)
            .map(TOKEN)
            .findOne()));
    if (found.isEmpty() || !found.get().live()) {
      return Optional.empty();
    }
    ApiToken token = found.get();
    Instant now = now();
    if (token.lastUsedAt() == null || !token.lastUsedAt().plus(LAST_USED_PRECISION).isAfter(now)) {
      // The condition makes concurrent requests (or processes) write it once.
      Sql.call("note the use of token '" + token.id() + "'", () -> jdbi.withHandle(h ->
          h.createUpdate("UPDATE api_tokens SET last_used_at = :now WHERE id = :id"
                  + " AND (last_used_at IS NULL OR last_used_at <= :threshold)")
              .bind("now", now)
              .bind("id", token.id())
              .bind("threshold", now.minus(LAST_USED_PRECISION))
              .execute()));
    }
    return Optional.of(new Principal(token.workspaceId(), token.id(), token.name(), token.role()));
  }

  @Override
  public List<ApiToken> list(String workspaceId) {
    Workspace.checkId(workspaceId);
    return Sql.call("list the tokens of workspace '" + workspaceId + "'", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE workspace_id = :workspace_id ORDER BY workspace_id, created_at, id")
            .bind("workspace_id", workspaceId)
            .map(TOKEN)
            .list()));
  }

  @Override
  public ApiToken revoke(String workspaceId, String tokenId) {
    Workspace.checkId(workspaceId);
    Instant now = now();
    ApiToken token = Sql.call("revoke token '" + tokenId + "'", () -> jdbi.inTransaction(h -> {
      int changed = h.createUpdate("UPDATE api_tokens SET revoked_at = :now"
              + " WHERE workspace_id = :workspace_id AND id = :id AND revoked_at IS NULL")
          .bind("now", now)
          .bind("workspace_id", workspaceId)
          .bind("id", tokenId)
          .execute();
      ApiToken t = find(h, workspaceId, tokenId).orElseThrow(() -> new NotFoundException(
          "no token '" + tokenId + "' in this workspace; list the workspace's tokens to see their ids"));
      if (changed == 0) {
        throw new ConflictException("token '" + t.id() + "' (" + t.name() + ") was already revoked at " + t.revokedAt());
      }
      return t;
    }));
    writeThrough("revoke token '" + tokenId + "'");
    return token;
  }

  private static Optional<ApiToken> find(Handle h, String workspaceId, String tokenId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE workspace_id = :workspace_id AND id = :id")
        .bind("workspace_id", workspaceId)
        .bind("id", tokenId)
        .map(TOKEN)
        .findOne();
  }

  @Override
  public boolean any(String workspaceId) {
    return Sql.call("look for an admin token", () -> jdbi.withHandle(h ->
        h.createQuery("SELECT 1 FROM api_tokens WHERE workspace_id = :workspace_id AND role = :admin AND revoked_at IS NULL LIMIT 1")
            .bind("workspace_id", workspaceId)
            .bind("admin", Role.ADMIN.wire())
            .mapTo(Integer.class)
            .findOne()
            .isPresent()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(Sql.TIME_PRECISION);
  }

  private void writeThrough(String what) {
    Sql.call(what, () -> {
      dialect.writeThrough(jdbi);
      return null;
    });
  }
}
