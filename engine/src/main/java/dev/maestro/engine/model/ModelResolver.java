package dev.maestro.engine.model;

/**
 * Turns a model reference into a ready model. The engine knows no provider; the application
 * (the CLI) installs one resolver that knows the configured providers.
 */
@FunctionalInterface
public interface ModelResolver {

  /**
   * @throws ModelUnavailableException if the provider is unknown or not configured (the message names
   *     the environment variable to set)
   */
  ResolvedModel resolve(ModelRef ref);
}
