package dev.maestro.engine.auth;

/**
 * Who made a request: the workspace it acts in, the token it presented, that token's name and role.
 *
 * @param tokenId the token's id ({@code tok_...}), never its secret
 */
public record Principal(String workspaceId, String tokenId, String name, Role role) {

  /** Whether this principal's role grants the permission. */
  public boolean can(Permission permission) {
    return role.allows(permission);
  }

  /** How the audit trail names this principal: {@code token:tok_ab12cd34ef56 (alice)}. */
  public String actor() {
    return "token:" + tokenId + " (" + name + ")";
  }
}
