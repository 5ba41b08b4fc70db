package io.catena.meta;

/** A newly issued token; {@code token} is the secret, shown once and never stored. */
public record IssuedToken(long tokenId, long tenantId, String token) {}
