package io.catena.controlplane.driver;

import java.util.Locale;

/** The daemons a cluster runs. */
public enum DaemonKind {
  MGMTD,
  META,
  STORAGE,
  GATEWAY;

  /** The lower-case name used in commands ({@code catena daemon mgmtd}) and daemon names. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code id} ({@code mgmtd}, ...). */
  public static DaemonKind fromId(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
