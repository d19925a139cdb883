package dev.maestro.server;

import dev.maestro.engine.auth.TokenStore;

/**
 * The workspaces the server serves. Each request is authenticated with a bearer token, which
 * belongs to one workspace; the request then sees only that workspace's {@link Services}.
 */
public interface Workspaces {
  /** The workspace a fresh installation creates, and whose services answer {@code /health}. */
  String DEFAULT = "default";

  /** The services of a workspace, opened (and its stores created) on first use. */
  Services open(String workspaceId);

  /** The API tokens of all workspaces: who may call, in which workspace, with which role. */
  TokenStore tokens();
}
