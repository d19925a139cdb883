package dev.maestro.engine.safety;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maestro.engine.tool.RiskLevel;
import dev.maestro.engine.tool.Tool;
import dev.maestro.engine.tool.builtin.RegisteredHttpTool;
import dev.maestro.engine.tool.builtin.SqlWords;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in rules that raise a call's risk from its arguments: SQL that writes or changes the
 * schema, HTTP that changes state or leaves the allowed hosts, file writes outside the working
 * directory, mail to other domains, and personal data sent outside.
 */
final class ArgumentRules {
  /** One rule's verdict: a risk, sometimes a forced action, and why. */
  record Finding(RiskLevel risk, Action forced, String reason) {}

  private static final Set<String> SQL_WRITES = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE", "COPY");
  private static final Set<String> SQL_SCHEMA = Set.of("DROP", "TRUNCATE", "ALTER", "GRANT", "REVOKE", "CREATE");

  private ArgumentRules() {}

  static List<Finding> apply(Tool tool, JsonNode args, Path workdir, SafetySettings settings) {
    var findings = new ArrayList<Finding>();
    String name = tool.spec().name();
    if (!args.isObject()) {
      return findings;
    }
    String query = text(args, "query", "sql", "statement");
    if (query != null && (name.contains("sql") || name.contains("query"))) {
      sql(query, findings);
    }
    String destination = null;
    if (name.equals("http_request")) {
      String method = text(args, "method");
      method = method == null ? "GET" : method.strip().toUpperCase(Locale.ROOT);
      destination = host(text(args, "url"));
      if (!method.equals("GET") && !method.equals("HEAD")) {
        findings.add(new Finding(RiskLevel.MEDIUM, null, method + " may change state at " + (destination == null ? "the server" : destination)));
      }
    } else if (tool instanceof RegisteredHttpTool http) {
      destination = host(http.url());
      findings.add(new Finding(RiskLevel.MEDIUM, null, "sends its arguments to " + destination));
    }
    if (destination != null && !settings.allowedHosts().isEmpty() && !settings.allowsHost(destination)) {
      findings.add(new Finding(RiskLevel.HIGH, null, "host " + destination + " is outside the allowed hosts " + settings.allowedHosts()));
    }
    boolean external = destination != null && !settings.allowsHost(destination);
    if (name.equals("send_email")) {
      List<String> outside = externalRecipients(args, settings);
      if (!outside.isEmpty()) {
        findings.add(new Finding(RiskLevel.HIGH, null, "mail to recipients outside " + settings.internalEmailDomains() + ": " + outside));
        external = true;
      }
    }
    if (external) {
      List<String> pii = Pii.find(args.toString());
      if (!pii.isEmpty()) {
        findings.add(new Finding(RiskLevel.HIGH, null, "arguments sent outside contain personal data: " + String.join(", ", pii)));
      }
    }
    if (name.equals("write_file") || name.equals("file_write")) {
      String path = text(args, "path");
      if (path != null && workdir != null && !workdir.resolve(path).normalize().startsWith(workdir.normalize())) {
        findings.add(new Finding(RiskLevel.CRITICAL, Action.BLOCK, "writes " + path + ", outside the working directory " + workdir));
      }
    }
    return findings;
  }

  private static void sql(String query, List<Finding> findings) {
    String upper = query.toUpperCase(Locale.ROOT);
    if (SQL_WRITES.stream().noneMatch(upper::contains) && SQL_SCHEMA.stream().noneMatch(upper::contains)) {
      return; // no such word anywhere in the text, so none outside its strings and comments either
    }
    Set<String> words = SqlWords.of(query);
    List<String> schema = words.stream().filter(SQL_SCHEMA::contains).toList();
    List<String> writes = words.stream().filter(SQL_WRITES::contains).toList();
    if (!schema.isEmpty()) {
      findings.add(new Finding(RiskLevel.CRITICAL, null, "SQL changes the schema or permissions (" + String.join(", ", schema) + ")"));
    } else if (!writes.isEmpty()) {
      findings.add(new Finding(RiskLevel.HIGH, null, "SQL writes data (" + String.join(", ", writes) + ")"));
    }
  }

  private static List<String> externalRecipients(JsonNode args, SafetySettings settings) {
    var outside = new ArrayList<String>();
    for (String field : List.of("to", "cc", "bcc")) {
      JsonNode v = args.get(field);
      List<String> addresses = new ArrayList<>();
      if (v != null && v.isArray()) {
        v.forEach(a -> addresses.add(a.asText()));
      } else if (v != null && v.isTextual()) {
        addresses.addAll(List.of(v.asText().split("[,;]")));
      }
      for (String a : addresses) {
        String address = a.strip();
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1).replace(">", "").toLowerCase(Locale.ROOT);
        if (!address.isEmpty() && !settings.internalEmailDomains().contains(domain)) {
          outside.add(address);
        }
      }
    }
    return outside;
  }

  private static String text(JsonNode args, String... fields) {
    for (String f : fields) {
      JsonNode v = args.get(f);
      if (v != null && v.isTextual()) {
        return v.asText();
      }
    }
    return null;
  }

  private static String host(String url) {
    if (url == null) {
      return null;
    }
    try {
      String host = URI.create(url.strip()).getHost();
      return host == null ? null : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
