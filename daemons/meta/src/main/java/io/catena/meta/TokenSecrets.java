package io.catena.meta;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The token format and its hashing. A token reads {@code ctn1.<token id>.<secret>}: the id finds
 * the stored record, the secret (32 random bytes, base64url) is checked against the record's
 * SHA-256 of salt + secret. A single fast hash suffices because the secret is random and long; a
 * slow password hash would only cost every call.
 */
final class TokenSecrets {

  static final String PREFIX = "ctn1.";
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenSecrets() {}

  record Parsed(long tokenId, byte[] secret) {}

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static String format(long tokenId, byte[] secret) {
    return PREFIX
        + Long.toUnsignedString(tokenId)
        + "."
        + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The parts of a well-formed token, or null. */
  static Parsed parse(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return null;
    }
    int dot = token.indexOf('.', PREFIX.length());
    if (dot < 0) {
      return null;
    }
    try {
      long id = Long.parseUnsignedLong(token.substring(PREFIX.length(), dot));
      byte[] secret = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      return secret.length == 32 ? new Parsed(id, secret) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static byte[] hash(byte[] salt, byte[] secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("catena-token-v1".getBytes(StandardCharsets.US_ASCII));
      sha.update(salt);
      sha.update(secret);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static boolean matches(TokenRecord record, byte[] secret) {
    return MessageDigest.isEqual(record.hash(), hash(record.salt(), secret));
  }
}
