package io.catena.controlplane.security;

/** How the control plane's links are protected. */
public enum WireSecurity {
  /** Mutual TLS with the cluster CA: the production default. */
  TLS,
  /** Plain text: loopback only, and only when asked for ({@code --plaintext}). */
  PLAINTEXT
}
