package dev.maestro.engine.safety;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the built-in rules take as inside: hosts calls may reach without raising the risk (when
 * empty, every host is outside, but no call is raised for leaving the allow-list) and the e-mail
 * domains that are the organisation's own.
 */
public record SafetySettings(Set<String> allowedHosts, Set<String> internalEmailDomains) {
  public static final SafetySettings DEFAULT = new SafetySettings(Set.of(), Set.of());

  public SafetySettings {
    allowedHosts = lower(allowedHosts);
    internalEmailDomains = lower(internalEmailDomains);
  }

  /** Whether the host or a parent domain of it is allowed ({@code api.example.com} by {@code example.com}). */
  boolean allowsHost(String host) {
    for (String h = host; h != null; h = h.contains(".") ? h.substring(h.indexOf('.') + 1) : null) {
      if (allowedHosts.contains(h)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> lower(Set<String> values) {
    return values == null ? Set.of() : values.stream().map(v -> v.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }
}
