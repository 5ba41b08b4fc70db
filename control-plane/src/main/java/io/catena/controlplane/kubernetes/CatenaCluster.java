package io.catena.controlplane.kubernetes;

import io.catena.controlplane.spec.ClusterSpec;
import io.catena.controlplane.status.ClusterStatus;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The {@code CatenaCluster} resource: its spec is the control plane's {@link ClusterSpec} and its
 * status the {@link ClusterStatus} the reconciler writes. The CRD is
 * installer/k8s/catenaclusters.catena.io-v1.yml (CrdSchemaTest keeps it in step with these
 * records).
 */
@Group(CatenaCluster.GROUP)
@Version(CatenaCluster.VERSION)
@Kind("CatenaCluster")
@Plural("catenaclusters")
@Singular("catenacluster")
@ShortNames("cc")
public class CatenaCluster extends CustomResource<ClusterSpec, ClusterStatus>
    implements Namespaced {
  public static final String GROUP = "catena.io";
  public static final String VERSION = "v1alpha1";
}
