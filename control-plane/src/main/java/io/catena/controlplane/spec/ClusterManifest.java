package io.catena.controlplane.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The file form of a cluster's desired state, shaped like a Kubernetes resource so that the
 * operator's {@code CatenaCluster} reuses it: {@code apiVersion}, {@code kind}, {@code metadata}
 * and the {@link ClusterSpec} under {@code spec}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterManifest(
    String apiVersion, String kind, ClusterMetadata metadata, ClusterSpec spec) {

  public static final String API_VERSION = "catena.io/v1alpha1";
  public static final String KIND = "CatenaCluster";

  /** The cluster's name. */
  public String name() {
    return metadata == null ? null : metadata.name();
  }

  /** The spec's generation: 1 unless the file says otherwise (Kubernetes sets it itself). */
  public long generation() {
    return metadata == null || metadata.generation() == null ? 1 : metadata.generation();
  }

  /** Name and generation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ClusterMetadata(String name, Long generation) {}
}
