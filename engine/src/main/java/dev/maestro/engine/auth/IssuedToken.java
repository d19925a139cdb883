package dev.maestro.engine.auth;

/**
 * A token just created, with its secret: the only time the secret exists outside its holder's
 * hands. Show it once and drop it; {@link #toString()} leaves it out so it cannot reach a log by accident.
 *
 * @param secret {@code mae_} followed by 43 base64url characters (32 random bytes)
 */
public record IssuedToken(ApiToken token, String secret) {

  @Override
  public String toString() {
    return "IssuedToken[token=" + token + ", secret=(hidden)]";
  }
}
