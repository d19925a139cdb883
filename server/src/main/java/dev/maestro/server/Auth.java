package dev.maestro.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.MaestroException;
import dev.maestro.engine.audit.AuditRecord;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.auth.Principal;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.safety.Decision;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what: every API request carries a bearer token (or, for browsers' event streams, an
 * {@code access_token} parameter or the console's cookie), which names a workspace and a role.
 * The request then sees only that workspace's {@link Services}; a route refuses roles that lack
 * its permission. Every request that changes something is appended to the workspace's audit
 * trail, done or refused.
 */
final class Auth {
  private static final Logger LOG = LoggerFactory.getLogger(Auth.class);
  static final String COOKIE = "maestro_token";
  private static final String SERVICES = "maestro.services";
  private static final String PRINCIPAL = "maestro.principal";
  private static final String DECISION = "maestro.decision";

  /** No token, or one that is unknown or revoked: 401. */
  static final class Unauthorized extends MaestroException {
    private static final long serialVersionUID = 1L;

    Unauthorized(String message) {
      super(message);
    }
  }

  /** A valid token whose role does not allow this, or a call the safety engine refuses: 403. */
  static final class Forbidden extends MaestroException {
    private static final long serialVersionUID = 1L;

    Forbidden(String message) {
      super(message);
    }
  }

  /**
   * How long a token's authentication is reused without asking the token store again: a request
   * then costs no database read. Revoking through this server takes effect at once; a revocation
   * made by another process within this time.
   */
  static final Duration REMEMBER = Duration.ofSeconds(10);
  private static final int REMEMBERED_MAX = 10_000;

  private record Remembered(Principal principal, long until) {}

  private final Workspaces workspaces;
  private final Consumer<Services> onFirstUse;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  /** Authentications by the SHA-256 of the secret (the secret itself is never kept). */
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

  /** @param onFirstUse told of each workspace's services the first time a request uses them (metrics attach to their events) */
  Auth(Workspaces workspaces, Consumer<Services> onFirstUse) {
    this.workspaces = workspaces;
    this.onFirstUse = onFirstUse;
  }

  /** The route's handler, behind authentication, its permission check, and the audit trail. */
  Handler guard(Route route) {
    if (route.permission() == null) {
      return route.handler();
    }
    // Searches are POSTs that change nothing: only what may change something goes on the audit trail.
    boolean changes = route.method() != HandlerType.GET && route.permission() != Permission.READ;
    return ctx -> {
      Principal principal = authenticate(token(ctx));
      Services services = services(principal);
      ctx.attribute(PRINCIPAL, principal);
      ctx.attribute(SERVICES, services);
      if (!principal.can(route.permission())) {
        var refused = new Forbidden("the " + principal.role().wire() + " role may not " + route.method() + " " + route.path()
            + "; it needs the " + route.permission().name().toLowerCase() + " permission: ask an admin for a token with a role that has it");
        if (changes) {
          audit(ctx, route, principal, services, refused);
        }
        throw refused;
      }
      if (!changes) {
        route.handler().handle(ctx);
        return;
      }
      try {
        route.handler().handle(ctx);
      } catch (Exception e) {
        audit(ctx, route, principal, services, e);
        throw e;
      }
      audit(ctx, route, principal, services, null);
    };
  }

  /**
   * Who holds this token.
   *
   * @throws Unauthorized if there is none, or it is unknown or revoked
   */
  Principal authenticate(String token) {
    if (token == null || token.isBlank()) {
      throw new Unauthorized("this request needs an API token: send 'Authorization: Bearer <token>'. 'maestro serve' saved the"
          + " first admin token in its data directory; create more with 'maestro tokens create'");
    }
    String secret = token.strip();
    String key = sha256(secret);
    long now = System.nanoTime();
    Remembered known = remembered.get(key);
    if (known != null && now - known.until() < 0) {
      return known.principal();
    }
    Principal principal = workspaces.tokens().authenticate(secret)
        .orElseThrow(() -> new Unauthorized("the API token is unknown or revoked; ask an admin for a valid one ('maestro tokens list')"));
    if (remembered.size() >= REMEMBERED_MAX) {
      remembered.clear();
    }
    remembered.put(key, new Remembered(principal, now + REMEMBER.toNanos()));
    return principal;
  }

  /** Forgets the authentications of a token, which was just revoked. */
  void forget(String tokenId) {
    remembered.values().removeIf(r -> r.principal().tokenId().equals(tokenId));
  }

  private static String sha256(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** The services of the principal's workspace. */
  Services services(Principal principal) {
    Services services = workspaces.open(principal.workspaceId());
    if (seen.add(principal.workspaceId())) {
      onFirstUse.accept(services);
    }
    return services;
  }

  /** The request's token: the Authorization header, else the {@code access_token} parameter, else the console's cookie. */
  static String token(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7);
    }
    String param = ctx.queryParam("access_token");
    if (param != null && !param.isBlank()) {
      return param;
    }
    return ctx.cookie(COOKIE);
  }

  /**
   * For a request no route's guard handled (a console page that does not exist): its principal and
   * services from its token, when it has a valid one, so that the error page can show the navigation.
   *
   * @throws Unauthorized if it has no valid token
   */
  void identify(Context ctx) {
    if (ctx.attribute(PRINCIPAL) == null) {
      Principal principal = authenticate(token(ctx));
      ctx.attribute(PRINCIPAL, principal);
      ctx.attribute(SERVICES, services(principal));
    }
  }

  /** The services of the workspace the request's token belongs to. */
  static Services services(Context ctx) {
    Services services = ctx.attribute(SERVICES);
    if (services == null) {
      throw new IllegalStateException("no workspace for " + ctx.path() + ": the route is not behind Auth.guard");
    }
    return services;
  }

  /** Who made the request. */
  static Principal principal(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    if (principal == null) {
      throw new IllegalStateException("no principal for " + ctx.path() + ": the route is not behind Auth.guard");
    }
    return principal;
  }

  /** Records the safety engine's verdict on what the request does, for its audit entry. */
  static void note(Context ctx, Decision decision) {
    ctx.attribute(DECISION, decision);
  }

  private static void audit(Context ctx, Route route, Principal principal, Services services, Exception failure) {
    ObjectNode details = Json.MAPPER.createObjectNode();
    details.put("method", route.method().name());
    details.put("path", ctx.path());
    int status = failure == null ? ctx.statusCode() : failure instanceof MaestroException m ? Problems.status(m) : 500;
    details.put("status", status);
    if (failure != null) {
      details.put("error", String.valueOf(failure.getMessage()));
    }
    String location = ctx.res().getHeader("Location");
    if (location != null) {
      details.put("created", location);
    }
    Decision decision = ctx.attribute(DECISION);
    String policy = null;
    if (decision != null) {
      ObjectNode safety = details.putObject("safety");
      safety.put("risk", decision.risk().wire());
      safety.put("action", decision.action().wire());
      safety.put("reason", decision.reason());
      policy = decision.policy();
    }
    try {
      services.audit().append(new AuditRecord(principal.actor(), route.action(), ctx.path(), failure == null ? "ok" : "refused",
          policy == null || policy.equals("default") || policy.equals("builtin") ? null : policy, details));
    } catch (RuntimeException e) {
      LOG.error("could not append {} {} by {} to the audit trail of workspace {}", route.method(), ctx.path(), principal.actor(),
          principal.workspaceId(), e);
    }
  }
}
