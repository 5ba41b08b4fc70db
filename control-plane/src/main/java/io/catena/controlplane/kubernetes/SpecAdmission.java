package io.catena.controlplane.kubernetes;

import io.catena.controlplane.spec.SpecProblem;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The validating webhook for CatenaCluster: rejects a create or update with every problem {@link
 * KubernetesSpecCheck} finds, as one message ({@code kubectl} prints it) and as status causes
 * naming each field.
 */
public final class SpecAdmission {
  private SpecAdmission() {}

  public static AdmissionResponse admit(AdmissionRequest request) {
    List<SpecProblem> problems = new ArrayList<>();
    try {
      CatenaCluster cluster = read(request.getObject());
      if (cluster.getMetadata().getNamespace() == null) {
        cluster.getMetadata().setNamespace(request.getNamespace());
      }
      problems.addAll(KubernetesSpecCheck.problems(cluster));
      if ("UPDATE".equals(request.getOperation()) && request.getOldObject() != null) {
        problems.addAll(
            KubernetesSpecCheck.changeProblems(
                read(request.getOldObject()).getSpec(), cluster.getSpec()));
      }
    } catch (RuntimeException e) {
      problems.add(new SpecProblem("(object)", "cannot read the CatenaCluster: " + e.getMessage()));
    }
    if (problems.isEmpty()) {
      return new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true).build();
    }
    return new AdmissionResponseBuilder()
        .withUid(request.getUid())
        .withAllowed(false)
        .withStatus(
            new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withCode(422)
                .withReason("Invalid")
                .withMessage(
                    "invalid CatenaCluster: "
                        + problems.stream()
                            .map(SpecProblem::toString)
                            .collect(Collectors.joining("; ")))
                .withNewDetails()
                .withKind("CatenaCluster")
                .withCauses(
                    problems.stream()
                        .map(
                            p ->
                                new StatusCauseBuilder()
                                    .withField(p.path())
                                    .withMessage(p.message())
                                    .withReason("FieldValueInvalid")
                                    .build())
                        .toList())
                .endDetails()
                .build())
        .build();
  }

  private static CatenaCluster read(Object object) {
    return Serialization.unmarshal(Serialization.asJson(object), CatenaCluster.class);
  }
}
