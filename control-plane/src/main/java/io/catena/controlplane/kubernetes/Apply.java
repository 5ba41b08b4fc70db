package io.catena.controlplane.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Create-or-update without server-side apply: the desired object carries a hash of itself in an
 * annotation, and an existing object is replaced only when that hash differs, so a pass that
 * changes nothing writes nothing.
 */
final class Apply {
  static final String HASH = "catena.io/desired-hash";

  /** What {@link #ensure} did. */
  enum Result {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  private Apply() {}

  static <T extends HasMetadata> Result ensure(KubernetesClient client, T desired) {
    String hash = hash(desired);
    Map<String, String> annotations =
        desired.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(desired.getMetadata().getAnnotations());
    annotations.put(HASH, hash);
    desired.getMetadata().setAnnotations(annotations);
    T current = client.resource(desired).get();
    if (current == null) {
      client.resource(desired).create();
      return Result.CREATED;
    }
    Map<String, String> now = current.getMetadata().getAnnotations();
    if (now != null && hash.equals(now.get(HASH))) {
      return Result.UNCHANGED;
    }
    desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
    client.resource(desired).update();
    return Result.UPDATED;
  }

  static String hash(Object object) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(Serialization.asJson(object).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
