package io.catena.storage.auth;

import java.util.Optional;

/** Resolves a token to its grant; empty when the token is unknown, revoked or expired. */
@FunctionalInterface
public interface TokenGrants {
  Optional<TokenGrant> grant(String token);
}
