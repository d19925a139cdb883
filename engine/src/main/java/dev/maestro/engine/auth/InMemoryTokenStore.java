package dev.maestro.engine.auth;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.NotFoundException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API tokens kept in memory: for tests and embedding without a database. Keeps only the secrets' hashes, like the JDBC store. */
public final class InMemoryTokenStore implements TokenStore {
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, ApiToken> byId = new ConcurrentHashMap<>();
  private final Map<String, String> idByHash = new ConcurrentHashMap<>();

  public InMemoryTokenStore() {
    this(Clock.systemUTC());
  }

  public InMemoryTokenStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public IssuedToken create(String workspaceId, String name, Role role, String createdBy) {
    String secret = TokenSecrets.newSecret(random);
    Instant now = now();
    while (true) {
      var token = new ApiToken(TokenSecrets.newId(random), workspaceId, name, role, now, createdBy, null, null);
      if (byId.putIfAbsent(token.id(), token) == null) {
        idByHash.put(TokenSecrets.hash(secret), token.id());
        return new IssuedToken(token, secret);
      }
    }
  }

  @Override
  public Optional<Principal> authenticate(String secret) {
    if (!TokenSecrets.wellFormed(secret)) {
      return Optional.empty();
    }
    String id = idByHash.get(TokenSecrets.hash(secret));
    if (id == null) {
      return Optional.empty();
    }
    Instant now = now();
    ApiToken token = byId.computeIfPresent(id, (k, t) -> t.live() && stale(t.lastUsedAt(), now) ? t.withLastUsedAt(now) : t);
    if (token == null || !token.live()) {
      return Optional.empty();
    }
    return Optional.of(new Principal(token.workspaceId(), token.id(), token.name(), token.role()));
  }

  private static boolean stale(Instant lastUsed, Instant now) {
    return lastUsed == null || !lastUsed.plus(LAST_USED_PRECISION).isAfter(now);
  }

  @Override
  public List<ApiToken> list(String workspaceId) {
    Workspace.checkId(workspaceId);
    return byId.values().stream()
        .filter(t -> t.workspaceId().equals(workspaceId))
        .sorted(Comparator.comparing(ApiToken::createdAt).thenComparing(ApiToken::id))
        .toList();
  }

  @Override
  public ApiToken revoke(String workspaceId, String tokenId) {
    Workspace.checkId(workspaceId);
    Instant now = now();
    var outcome = new Object() {
      boolean found;
      boolean wasRevoked;
    };
    ApiToken result = byId.computeIfPresent(tokenId == null ? "" : tokenId, (k, t) -> {
      if (!t.workspaceId().equals(workspaceId)) {
        return t;
      }
      outcome.found = true;
      outcome.wasRevoked = !t.live();
      return t.live() ? t.withRevokedAt(now) : t;
    });
    if (!outcome.found) {
      throw notFound(tokenId);
    }
    if (outcome.wasRevoked) {
      throw alreadyRevoked(result);
    }
    return result;
  }

  @Override
  public boolean any(String workspaceId) {
    return byId.values().stream().anyMatch(t -> t.workspaceId().equals(workspaceId) && t.live() && t.role() == Role.ADMIN);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static NotFoundException notFound(String tokenId) {
    return new NotFoundException("no token '" + tokenId + "' in this workspace; list the workspace's tokens to see their ids");
  }

  static ConflictException alreadyRevoked(ApiToken token) {
    return new ConflictException("token '" + token.id() + "' (" + token.name() + ") was already revoked at " + token.revokedAt());
  }
}
