package dev.maestro.engine.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The format of token secrets and ids, shared by every {@link TokenStore}: a secret is {@code mae_}
 * followed by the base64url form (no padding) of 32 bytes from {@link SecureRandom}; a store keeps
 * only its SHA-256 in hexadecimal and finds the token by that hash. The fixed prefix lets secret
 * scanners recognise a leaked token.
 */
public final class TokenSecrets {
  /** What every secret starts with. */
  public static final String PREFIX = "mae_";

  private static final Pattern SECRET = Pattern.compile("mae_[A-Za-z0-9_-]{43}");
  private static final Pattern ID = Pattern.compile("tok_[0-9a-f]{12}");
  private static final HexFormat HEX = HexFormat.of();

  private TokenSecrets() {}

  /** A new secret: {@code mae_} and 43 base64url characters. */
  public static String newSecret(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A new token id: {@code tok_} and 12 hexadecimal digits (48 random bits; stores retry on the rare clash). */
  public static String newId(SecureRandom random) {
    byte[] bytes = new byte[6];
    random.nextBytes(bytes);
    return "tok_" + HEX.formatHex(bytes);
  }

  /** Whether the text has the shape of a secret; anything else is refused without a lookup. */
  public static boolean wellFormed(String secret) {
    return secret != null && SECRET.matcher(secret).matches();
  }

  /** Whether the text has the shape of a token id. */
  public static boolean wellFormedId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The SHA-256 of the secret's UTF-8 bytes, 64 lower-case hexadecimal digits: what a store keeps. */
  public static String hash(String secret) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
