package io.catena.controlplane.kubernetes;

import io.catena.controlplane.spec.ByteSize;
import java.util.Locale;

/**
 * Sizes in the Kubernetes section accept both Kubernetes quantities ({@code 100Gi}) and Catena
 * sizes ({@code 100GiB}); volume claims get the Kubernetes form.
 */
final class KubernetesQuantities {
  private KubernetesQuantities() {}

  static long bytes(String size) {
    return ByteSize.parse(toCatena(size));
  }

  /** {@code 100GiB} → {@code 100Gi}; a plain byte count stays as it is. */
  static String toQuantity(String size) {
    String s = size.strip();
    if (s.toLowerCase(Locale.ROOT).endsWith("ib")) {
      return s.substring(0, s.length() - 1);
    }
    return s;
  }

  private static String toCatena(String size) {
    String s = size.strip();
    if (s.endsWith("Ki") || s.endsWith("Mi") || s.endsWith("Gi") || s.endsWith("Ti")) {
      return s + "B";
    }
    return s;
  }
}
