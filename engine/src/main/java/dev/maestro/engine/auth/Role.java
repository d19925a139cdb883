package dev.maestro.engine.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.maestro.engine.InvalidInputException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the holder of a token may do in its workspace: viewers read, operators also run agents and
 * manage agents and tools, approvers also approve, admins do everything.
 */
public enum Role {
  ADMIN(EnumSet.allOf(Permission.class)),
  OPERATOR(EnumSet.of(Permission.READ, Permission.OPERATE)),
  APPROVER(EnumSet.of(Permission.READ, Permission.APPROVE)),
  VIEWER(EnumSet.of(Permission.READ));

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  /** Whether this role grants the permission. */
  public boolean allows(Permission permission) {
    return permissions.contains(permission);
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a role by name, in any case.
   *
   * @throws InvalidInputException naming the roles that exist when the text is none of them
   */
  @JsonCreator
  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.wire().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return r;
      }
    }
    throw new InvalidInputException("role '" + text + "' is not one of " + Arrays.stream(values()).map(Role::wire).toList());
  }
}
