package dev.maestro.server;

import dev.maestro.engine.MaestroException;
import dev.maestro.engine.auth.Permission;
import dev.maestro.engine.auth.Principal;
import dev.maestro.engine.run.ApprovalQuery;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /maestro}: pages rendered on the server from jte templates (compiled
 * to Java at build time, from {@code src/main/jte}), htmx for actions and partial refreshes, and
 * server-sent events for the live parts. Every page and action is a {@link Route} behind {@link
 * Auth#guard} like the API's, signed in by the console's cookie: it enforces the same permissions,
 * audits the same changes, and calls the same services the API calls (never the API over HTTP).
 *
 * <p>Changes are POSTs that must carry htmx's {@code HX-Request} header. The cookie is already
 * SameSite=Strict; the header is a second defence against cross-site requests, since a form on
 * another site cannot set it and a script there cannot send it without a CORS preflight we never
 * grant.
 */
final class Console {
  private static final Logger LOG = LoggerFactory.getLogger(Console.class);
  static final String PREFIX = "/maestro";
  static final String TAG = "console";

  /** The navigation, in order; a page names its entry by section. New pages add a line here. */
  static final List<Nav> NAV = List.of(
      new Nav("dashboard", "Dashboard", "/maestro"),
      new Nav("agents", "Agents", "/maestro/agents"),
      new Nav("runs", "Runs", "/maestro/runs"),
      new Nav("hitl", "Approvals", "/maestro/hitl"),
      new Nav("observability", "Observability", "/maestro/observability"),
      new Nav("governance", "Governance", "/maestro/governance"),
      new Nav("knowledge", "Knowledge", "/maestro/knowledge"),
      new Nav("integrations", "Integrations", "/maestro/integrations"),
      new Nav("spark", "Spark", "/maestro/packs/spark", ConsoleSpark.PROBE));

  /**
   * One entry of the navigation.
   *
   * @param tool for a pack's page, the tool whose presence shows it (the pack is installed); null for the console's own pages
   */
  record Nav(String section, String label, String href, String tool) {
    Nav(String section, String label, String href) {
      this(section, label, href, null);
    }
  }

  /** The front-end files every page links: versions come from the WebJars on the class path. */
  record Assets(String htmx, String sse, String css) {
    static Assets load() {
      return new Assets("/webjars/htmx.org/" + webjar("htmx.org") + "/dist/htmx.min.js",
          "/webjars/htmx-ext-sse/" + webjar("htmx-ext-sse") + "/sse.js",
          PREFIX + "/static/console.css?v=" + MaestroServer.VERSION);
    }

    private static String webjar(String artifact) {
      String resource = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
      try (InputStream in = Console.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the console needs the WebJar org.webjars.npm:" + artifact + " on the class path; " + resource
              + " is missing: rebuild Maestro with Maven");
        }
        var props = new Properties();
        props.load(in);
        return props.getProperty("version");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * What every page's frame shows: the title, the navigation with the current section, who is
   * signed in and what their role lets them do, and the count of requests waiting for approval.
   */
  record Chrome(String title, String section, Principal principal, int pendingApprovals, Assets assets, List<Nav> nav) {
    static final int PENDING_SHOWN = 100;

    boolean canOperate() {
      return principal.can(Permission.OPERATE);
    }

    boolean canApprove() {
      return principal.can(Permission.APPROVE);
    }

    boolean canAdminister() {
      return principal.can(Permission.ADMINISTER);
    }

    String pendingBadge() {
      return pendingApprovals >= PENDING_SHOWN ? PENDING_SHOWN + "+" : Integer.toString(pendingApprovals);
    }
  }

  /** The frame of an error page shown to someone who is not (or no longer) signed in. */
  record ErrorPage(Chrome chrome, int status, String title, String detail) {}

  private final TemplateEngine templates =
      TemplateEngine.createPrecompiled(null, ContentType.Html, Console.class.getClassLoader(), "dev.maestro.server");
  final Assets assets = Assets.load();
  final Clock clock;
  private final Workspaces workspaces;
  private final Auth auth;
  /** Background ingestions, shared with the API. */
  final Ingestions ingestions;

  Console(Workspaces workspaces, Auth auth, Clock clock, Ingestions ingestions) {
    this.workspaces = workspaces;
    this.auth = auth;
    this.clock = clock;
    this.ingestions = ingestions;
  }

  static String noPage(Context ctx) {
    return "there is no console page " + ctx.path() + "; start from the dashboard";
  }

  /** Every page and action of the console. */
  List<Route> routes() {
    var routes = new ArrayList<Route>();
    routes.addAll(new ConsoleDashboard(this).routes());
    routes.addAll(new ConsoleAgents(this).routes());
    routes.addAll(new ConsoleMemory(this).routes());
    routes.addAll(new ConsoleRuns(this).routes());
    routes.addAll(new ConsoleApprovals(this).routes());
    routes.addAll(new ConsoleObservability(this).routes());
    routes.addAll(new ConsoleGovernance(this, workspaces).routes());
    routes.addAll(new ConsoleKnowledge(this).routes());
    routes.addAll(new ConsoleIntegrations(this).routes());
    routes.addAll(new ConsoleSpark(this).routes());
    return routes;
  }

  /** A page anyone with a token of the workspace may read. */
  static Route page(String path, String summary, Handler handler) {
    return new Route(HandlerType.GET, path, TAG, summary, null, "text/html", 200, List.of(), handler, Permission.READ);
  }

  /** A page that needs more than reading (a form to change something). */
  static Route page(String path, String summary, Permission permission, Handler handler) {
    return page(path, summary, handler).requires(permission);
  }

  /** A change made from the console: a POST from htmx, allowed to roles with the permission, audited when it changes something. */
  static Route action(String path, String summary, Permission permission, Handler handler) {
    Handler checked = ctx -> {
      requireConsoleRequest(ctx);
      handler.handle(ctx);
    };
    return new Route(HandlerType.POST, path, TAG, summary, null, "text/html", 200, List.of(), checked, permission);
  }

  /**
   * Refuses a change that did not come from the console's own pages: htmx sends {@code HX-Request:
   * true}, which a cross-site form cannot.
   */
  static void requireConsoleRequest(Context ctx) {
    if (!"true".equals(ctx.header("HX-Request"))) {
      throw new Auth.Forbidden("console changes are accepted only from the console's pages (the HX-Request header is missing);"
          + " use the API under /api/apa with a bearer token from scripts");
    }
  }

  static boolean htmx(Context ctx) {
    return "true".equals(ctx.header("HX-Request"));
  }

  /** Whether the request is for a console page (errors are then shown as HTML, not as problem documents). */
  static boolean handles(Context ctx) {
    String path = ctx.path();
    return (path.equals(PREFIX) || path.startsWith(PREFIX + "/")) && !path.startsWith(PREFIX + "/static/");
  }

  Chrome chrome(Context ctx, String section, String title) {
    Services services = Auth.services(ctx);
    int pending = services.runs().approvals(ApprovalQuery.pending(Chrome.PENDING_SHOWN)).size();
    List<Nav> nav = NAV.stream().filter(n -> n.tool() == null || services.tools().find(n.tool()).isPresent()).toList();
    return new Chrome(title, section, Auth.principal(ctx), pending, assets, nav);
  }

  void render(Context ctx, String template, Object page) {
    render(ctx, 200, template, page);
  }

  void render(Context ctx, int status, String template, Object page) {
    var out = new Utf8ByteOutput();
    templates.render(template, page, out);
    ctx.status(status).contentType("text/html; charset=utf-8");
    ctx.header("Cache-Control", "no-store");
    try {
      out.writeTo(ctx.outputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The template rendered to text: for fragments sent as server-sent events. */
  String text(String template, Object page) {
    var out = new gg.jte.output.StringOutput();
    templates.render(template, page, out);
    return out.toString();
  }

  /** Sends the browser to another console page: with htmx's header for htmx requests, else a 303. */
  static void redirect(Context ctx, String location) {
    if (htmx(ctx)) {
      ctx.header("HX-Redirect", location).status(200).result("");
    } else {
      ctx.redirect(location, HttpStatus.SEE_OTHER);
    }
  }

  /**
   * Shows an error where the console's user will see it: for an htmx action, a message in the page's
   * flash area; for a page, a page that says what went wrong and what to do. Never a stack trace.
   */
  void error(Context ctx, Exception e) {
    int status;
    String detail;
    if (e instanceof MaestroException m) {
      status = Problems.status(m);
      detail = m.getMessage();
    } else if (e instanceof io.javalin.http.HttpResponseException h) {
      status = h.getStatus();
      detail = h.getMessage();
    } else {
      LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
      status = 500;
      detail = "the console failed to show this (" + e.getClass().getSimpleName() + "); this is a bug in Maestro: the server log has the details";
    }
    error(ctx, status, detail);
  }

  void error(Context ctx, int status, String detail) {
    if (status == 401) {
      if (htmx(ctx)) {
        ctx.header("HX-Redirect", PREFIX + "/login");
        ctx.status(401).result("");
      } else if (ctx.method() == HandlerType.GET) {
        ctx.redirect(PREFIX + "/login", HttpStatus.SEE_OTHER);
      } else {
        ctx.status(401).contentType("text/html; charset=utf-8").result("<p>Sign in again: <a href=/maestro/login>/maestro/login</a></p>");
      }
      return;
    }
    var problem = new ErrorPage(null, status, Problems.title(status), detail);
    try {
      if (htmx(ctx)) {
        // htmx swaps error responses only where the page says (see the htmx-config meta tag): the flash area.
        ctx.header("HX-Retarget", "#flash");
        ctx.header("HX-Reswap", "innerHTML");
        render(ctx, status, "problem.jte", problem);
        return;
      }
      Chrome chrome = null;
      try {
        auth.identify(ctx);
        chrome = chrome(ctx, "", Problems.title(status));
      } catch (RuntimeException notSignedIn) {
        // the page is shown without the navigation
      }
      render(ctx, status, "error.jte", new ErrorPage(chrome, status, Problems.title(status), detail));
    } catch (RuntimeException renderFailed) {
      LOG.error("could not render the error page for {} {}", ctx.method(), ctx.path(), renderFailed);
      ctx.status(status).contentType("text/plain; charset=utf-8").result(status + " " + Problems.title(status) + ": " + detail);
    }
  }
}
