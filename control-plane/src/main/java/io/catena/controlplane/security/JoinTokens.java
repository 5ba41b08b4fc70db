package io.catena.controlplane.security;

import io.catena.protocol.security.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The token a new agent joins with, in {@code join.token} (mode 0600 from creation): the secret on
 * the first line, {@code expires=INSTANT} on the second. It is re-read on every join, so {@link
 * #rotate} (or {@code catena join-token rotate}) revokes the old token at once, also for a running
 * control plane. An agent that already holds a node certificate re-joins with the certificate and
 * needs no token.
 */
public final class JoinTokens {

  /** How long a new join token is valid unless told otherwise. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  private static final String EXPIRES = "expires=";

  private final Path file;
  private final Clock clock;

  public JoinTokens(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** A token and when it stops being accepted. */
  public record JoinToken(String secret, Instant expires) {}

  /** The current token, made (valid for {@code ttl}) when there is none. */
  public JoinToken current(Duration ttl) {
    return read().orElseGet(() -> create(ttl));
  }

  /** A new token replacing (and so revoking) the current one. */
  public JoinToken rotate(Duration ttl) {
    JoinToken token = new JoinToken(newSecret(), clock.instant().plus(ttl));
    try {
      SecretFiles.writeSecret(file, format(token));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return token;
  }

  /** Why {@code presented} is not accepted now, or empty when it is. */
  public Optional<String> refusal(String presented) {
    Optional<JoinToken> token = read();
    if (token.isEmpty()) {
      return Optional.of("this control plane has no join token");
    }
    if (!MessageDigest.isEqual(
        token.get().secret().getBytes(StandardCharsets.UTF_8),
        presented.getBytes(StandardCharsets.UTF_8))) {
      return Optional.of("the join token is not this control plane's (or was rotated)");
    }
    if (!clock.instant().isBefore(token.get().expires())) {
      return Optional.of(
          "the join token expired at "
              + token.get().expires()
              + "; make a new one with `catena join-token rotate`");
    }
    return Optional.empty();
  }

  private JoinToken create(Duration ttl) {
    JoinToken token = new JoinToken(newSecret(), clock.instant().plus(ttl));
    try {
      if (SecretFiles.createSecret(file, format(token))) {
        return token;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file + ": " + e.getMessage(), e);
    }
    return read().orElseThrow();
  }

  private Optional<JoinToken> read() {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (lines.isEmpty() || lines.getFirst().isBlank()) {
      return Optional.empty();
    }
    Instant expires = Instant.MAX;
    for (String line : lines.subList(1, lines.size())) {
      if (line.startsWith(EXPIRES)) {
        try {
          expires = Instant.parse(line.substring(EXPIRES.length()).strip());
        } catch (DateTimeParseException e) {
          // An expiry that cannot be read accepts nothing, rather than everything.
          expires = Instant.EPOCH;
        }
      }
    }
    return Optional.of(new JoinToken(lines.getFirst().strip(), expires));
  }

  private static String format(JoinToken token) {
    return token.secret() + "\n" + EXPIRES + token.expires() + "\n";
  }

  private static String newSecret() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
