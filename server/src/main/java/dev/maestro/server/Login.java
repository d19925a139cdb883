package dev.maestro.server;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signing a browser in: a one-time login URL (printed by {@code maestro serve}) or a token pasted on
 * the sign-in page sets an HTTP-only cookie holding the token, which the console and its event
 * streams then send. A login code works once, within {@link #CODE_LIFETIME}.
 */
final class Login {
  static final Duration CODE_LIFETIME = Duration.ofMinutes(15);
  private record Pending(String secret, Instant expires) {}

  private final Auth auth;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Pending> codes = new ConcurrentHashMap<>();

  Login(Auth auth, Clock clock) {
    this.auth = auth;
    this.clock = clock;
  }

  /** A new one-time code that signs a browser in with this token; the path to open is {@code /maestro/login?code=CODE}. */
  String code(String secret) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String code = HexFormat.of().formatHex(bytes);
    codes.put(code, new Pending(secret, clock.instant().plus(CODE_LIFETIME)));
    return code;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/maestro/login", "console", "Sign a browser in: ?code= from a one-time login URL, or a form to paste a token", "text/html",
            this::login).requires(null),
        Route.post("/maestro/login", "console", "Sign a browser in with a pasted token (form field 'token')", null, "text/html", 303,
            this::submit).requires(null),
        Route.post("/maestro/logout", "console", "Sign the browser out (forgets the console's cookie)", null, "text/html", 200,
            this::logout).requires(null));
  }

  private void login(Context ctx) {
    String code = Params.text(ctx, "code");
    if (code == null) {
      page(ctx, 200, "<p class=muted>Open the sign-in link <code>maestro serve</code> printed, or paste an API token.</p>"
          + "<form method=post action=/maestro/login><label for=token>API token</label><input id=token name=token type=password autofocus>"
          + "<div class=form-actions><button class=primary>Sign in</button></div></form>");
      return;
    }
    Pending pending = codes.remove(code);
    if (pending == null || clock.instant().isAfter(pending.expires())) {
      page(ctx, 401, "<p>This login link was already used or has expired. Restarting <code>maestro serve</code> prints a new one;"
          + " or <a href=/maestro/login>paste a token</a> (<code>maestro tokens create NAME --role ROLE</code> makes one).</p>");
      return;
    }
    signIn(ctx, pending.secret());
  }

  private void submit(Context ctx) {
    String token = ctx.formParam("token");
    try {
      auth.authenticate(token);
    } catch (Auth.Unauthorized e) {
      page(ctx, 401, "<p>" + escape(e.getMessage()) + "</p><p><a href=/maestro/login>Try again</a></p>");
      return;
    }
    signIn(ctx, token.strip());
  }

  private void signIn(Context ctx, String secret) {
    var cookie = new Cookie(Auth.COOKIE, secret);
    cookie.setHttpOnly(true);
    cookie.setPath("/");
    cookie.setSameSite(SameSite.STRICT);
    cookie.setMaxAge((int) Duration.ofDays(30).toSeconds());
    ctx.cookie(cookie);
    ctx.redirect("/maestro", io.javalin.http.HttpStatus.SEE_OTHER);
  }

  /** Forgets the cookie. Only from the console's own pages (htmx's header), like every console change. */
  private void logout(Context ctx) {
    Console.requireConsoleRequest(ctx);
    var cookie = new Cookie(Auth.COOKIE, "");
    cookie.setHttpOnly(true);
    cookie.setPath("/");
    cookie.setSameSite(SameSite.STRICT);
    cookie.setMaxAge(0);
    ctx.cookie(cookie);
    ctx.header("HX-Redirect", "/maestro/login").result("");
  }

  private static void page(Context ctx, int status, String body) {
    ctx.status(status).contentType("text/html; charset=utf-8").result("<!doctype html><html lang=en><head><meta charset=utf-8>"
        + "<meta name=viewport content=\"width=device-width, initial-scale=1\"><title>Sign in · Maestro</title>"
        + "<link rel=stylesheet href=/maestro/static/console.css></head><body><main class=signin><div class=panel><h1>Maestro</h1>" + body
        + "</div></main></body></html>");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
