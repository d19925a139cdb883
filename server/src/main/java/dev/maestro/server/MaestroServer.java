package dev.maestro.server;

import dev.maestro.engine.MaestroException;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Maestro's HTTP server: the REST API under {@code /api/apa/...}, live event streams (server-sent
 * events and a WebSocket at {@code /ws}), {@code /health}, {@code /metrics}, {@code
 * /api/openapi.json}, and the web console under {@code /maestro}. Handlers run on virtual threads;
 * a streaming client holds one.
 */
public final class MaestroServer implements AutoCloseable {
  /** Request bodies beyond this are refused with 413: agent specs and tool arguments are far smaller. */
  public static final long MAX_REQUEST_BYTES = 1024 * 1024;
  static final String VERSION = "0.1.0";

  private final Javalin app;
  private final String host;
  private final Login login;

  private MaestroServer(Javalin app, String host, Login login) {
    this.app = app;
    this.host = host;
    this.login = login;
  }

  /** A URL that signs a browser in with this token, once, within 15 minutes. */
  public URI oneTimeLoginUrl(String tokenSecret) {
    return url().resolve("/maestro/login?code=" + login.code(tokenSecret));
  }

  /**
   * Starts serving on the host and port (0 picks a free port).
   *
   * @throws MaestroException if the port cannot be bound
   */
  public static MaestroServer start(Workspaces workspaces, String host, int port) {
    var metrics = new Metrics();
    var auth = new Auth(workspaces, services -> metrics.watch(services.events()));
    metrics.watch(workspaces.open(Workspaces.DEFAULT).events());
    var streams = new StreamRoutes(workspaces, auth, metrics);
    List<Route> routes = new ArrayList<>();
    routes.addAll(new RunRoutes().routes());
    routes.addAll(new AgentRoutes().routes());
    routes.addAll(new ToolRoutes().routes());
    routes.addAll(new ApprovalRoutes().routes());
    routes.addAll(new OutboxRoutes().routes());
    routes.addAll(new GovernanceRoutes(workspaces, auth).routes());
    routes.addAll(new MemoryRoutes().routes());
    var ingestions = new Ingestions(java.time.Clock.systemUTC());
    routes.addAll(new KnowledgeRoutes(ingestions).routes());
    routes.addAll(new LearningRoutes().routes());
    routes.addAll(streams.routes());
    var login = new Login(auth, java.time.Clock.systemUTC());
    routes.addAll(login.routes());
    String openapi = OpenApi.document(routes, VERSION);
    // The console's pages are routes like the API's (same guard, permissions and audit) but not part of the API's document.
    var console = new Console(workspaces, auth, java.time.Clock.systemUTC(), ingestions);
    routes.addAll(console.routes());
    Javalin app = Javalin.create(config -> {
      config.jetty.host = host;
      config.jetty.port = port;
      config.concurrency.useVirtualThreads = true;
      config.http.maxRequestSize = MAX_REQUEST_BYTES;
      config.startup.showJavalinBanner = false;
      for (Route r : routes) {
        config.routes.addHttpHandler(r.method(), r.path(), auth.guard(r));
      }
      config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
      // The console's front end: htmx and its SSE extension from their WebJars, and its one stylesheet.
      config.staticFiles.enableWebjars();
      config.staticFiles.add(files -> {
        files.hostedPath = Console.PREFIX + "/static";
        files.directory = "/dev/maestro/server/console";
        files.location = Location.CLASSPATH;
        files.headers = java.util.Map.of("Cache-Control", "max-age=3600");
      });
      config.routes.ws("/ws", streams::websocket);
      config.routes.exception(MaestroException.class, (e, ctx) -> {
        if (Console.handles(ctx)) {
          console.error(ctx, e);
        } else {
          Problems.maestro(e, ctx);
        }
      });
      config.routes.exception(HttpResponseException.class, (e, ctx) -> {
        String detail = switch (e.getStatus()) {
          case 404 -> Console.handles(ctx) ? Console.noPage(ctx) : noEndpoint(ctx);
          case 413 -> "the request body is larger than " + MAX_REQUEST_BYTES / 1024 + " KiB; send less";
          default -> e.getMessage();
        };
        if (Console.handles(ctx)) {
          console.error(ctx, e.getStatus(), detail);
        } else {
          Problems.send(ctx, e.getStatus(), detail);
        }
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        if (Console.handles(ctx)) {
          console.error(ctx, e);
        } else {
          Problems.unexpected(e, ctx);
        }
      });
      config.routes.error(404, ctx -> {
        String type = ctx.res().getContentType();
        if (Console.handles(ctx)) {
          if (type == null || !type.startsWith("text/html")) {
            console.error(ctx, 404, Console.noPage(ctx));
          }
        } else if (!Problems.CONTENT_TYPE.equals(type)) {
          Problems.send(ctx, 404, noEndpoint(ctx));
        }
      });
      config.routes.error(405, ctx -> Problems.send(ctx, 405, ctx.method() + " is not allowed on " + ctx.path() + "; see /api/openapi.json"));
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      throw new MaestroException("cannot serve on " + host + ":" + port + ": " + rootMessage(e)
          + "; is another server using the port? choose another with --port", e);
    }
    return new MaestroServer(app, host, login);
  }

  private static String noEndpoint(io.javalin.http.Context ctx) {
    return "there is no endpoint " + ctx.method() + " " + ctx.path() + "; the API is described at /api/openapi.json";
  }

  public int port() {
    return app.port();
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : h) + ":" + port());
  }

  /** Stops accepting requests and closes open streams. Runs are not touched: the engine's owner decides. */
  @Override
  public void close() {
    app.stop();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
