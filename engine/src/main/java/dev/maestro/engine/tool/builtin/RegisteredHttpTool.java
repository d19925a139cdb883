package dev.maestro.engine.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maestro.engine.InvalidInputException;
import dev.maestro.engine.internal.Json;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.ToolContext;
import dev.maestro.engine.tool.ToolException;
import dev.maestro.engine.tool.ToolSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A tool registered at run time: its arguments are POSTed as JSON to a URL, and the response is the
 * observation. Requests go through {@link HttpRequestTool}, so the same rules apply: public
 * addresses only unless allow-listed, every redirect re-checked, size and time capped.
 */
public final class RegisteredHttpTool implements Tool {
  private final ToolSpec spec;
  private final URI url;
  private final HttpRequestTool transport;

  /**
   * @throws InvalidInputException if the URL is not an absolute http(s) URL
   */
  public RegisteredHttpTool(ToolSpec spec, String url, HttpRequestTool transport) {
    this.spec = spec;
    this.url = parse(url, spec.name());
    this.transport = transport;
  }

  public String url() {
    return url.toString();
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public String call(JsonNode arguments, ToolContext context) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("method", "POST");
    request.put("url", url.toString());
    request.putObject("headers").put("Content-Type", "application/json").put("Accept", "application/json, text/plain;q=0.9, */*;q=0.5");
    request.put("body", Json.write(arguments));
    JsonNode response = Json.tree(transport.call(request, context));
    int status = response.path("status").asInt();
    String body = response.path("body").asText();
    if (status >= 400) {
      throw new ToolException(spec.name() + " answered HTTP " + status + ": " + body);
    }
    return body;
  }

  private static URI parse(String url, String tool) {
    if (url == null || url.isBlank()) {
      throw new InvalidInputException("tool '" + tool + "' needs a 'url' that receives its arguments as JSON");
    }
    try {
      URI uri = new URI(url.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new InvalidInputException("tool '" + tool + "' url '" + url + "' is not an absolute http(s) URL; give one such as https://tools.example.com/lookup");
  }
}
