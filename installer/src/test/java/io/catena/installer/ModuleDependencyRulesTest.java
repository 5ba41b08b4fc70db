package io.catena.installer;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency directions of docs/architecture.md (module table). Maven stops a module from using
 * one it does not declare; this also stops it from using what it only gets transitively (console-ui
 * reaching the client through the control plane, say).
 */
class ModuleDependencyRulesTest {

  private static JavaClasses catena;

  @BeforeAll
  static void importCatena() {
    catena =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.catena");
  }

  @Test
  void modulesDependOnlyInTheDirectionsOfTheModuleTable() {
    ArchRule rule =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .withOptionalLayers(true)
            .layer("topology")
            .definedBy("io.catena.topology..")
            .layer("protocol")
            .definedBy("io.catena.protocol..")
            .layer("kv")
            .definedBy("io.catena.kv..")
            .layer("mgmtd")
            .definedBy("io.catena.mgmtd..")
            .layer("meta")
            .definedBy("io.catena.meta..")
            .layer("storage")
            .definedBy("io.catena.storage..")
            .layer("client")
            .definedBy("io.catena.client..")
            .layer("agents")
            .definedBy("io.catena.agents..")
            .layer("control-plane")
            .definedBy("io.catena.controlplane..")
            .layer("console-ui")
            .definedBy("io.catena.console..")
            .layer("bench")
            .definedBy("io.catena.bench..")
            .layer("installer")
            .definedBy("io.catena.installer..")
            .whereLayer("topology")
            .mayNotAccessAnyLayer()
            .whereLayer("kv")
            .mayNotAccessAnyLayer()
            .whereLayer("protocol")
            .mayOnlyAccessLayers("topology")
            .whereLayer("mgmtd")
            .mayOnlyAccessLayers("topology", "protocol", "kv")
            .whereLayer("meta")
            .mayOnlyAccessLayers("topology", "protocol", "kv")
            .whereLayer("storage")
            .mayOnlyAccessLayers("topology", "protocol", "kv")
            .whereLayer("client")
            .mayOnlyAccessLayers("topology", "protocol")
            .whereLayer("agents")
            .mayOnlyAccessLayers("protocol")
            .whereLayer("control-plane")
            .mayOnlyAccessLayers("topology", "protocol", "client")
            .whereLayer("console-ui")
            .mayOnlyAccessLayers("control-plane", "topology", "protocol")
            .whereLayer("bench")
            .mayOnlyAccessLayers(
                "client", "mgmtd", "meta", "storage", "topology", "protocol", "kv");
    rule.check(catena);
  }

  /**
   * The console speaks only the control plane's gRPC API (in-process when embedded, over the
   * network when remote): of the protocol module it may use that API's stubs, nothing of the
   * daemons' wire.
   */
  @Test
  void theConsoleUsesOnlyTheControlPlaneApiOfTheProtocol() {
    ArchRule rule =
        ArchRuleDefinition.noClasses()
            .that()
            .resideInAPackage("io.catena.console..")
            .should()
            .dependOnClassesThat(
                resideInAPackage("io.catena.protocol..")
                    .and(not(resideInAPackage("io.catena.protocol.controlplane.."))))
            .allowEmptyShould(true);
    rule.check(catena);
  }

  @Test
  void everyClassLivesInAModulePackage() {
    ArchRule rule =
        ArchRuleDefinition.classes()
            .should()
            .resideInAnyPackage(
                "io.catena.topology..",
                "io.catena.protocol..",
                "io.catena.kv..",
                "io.catena.mgmtd..",
                "io.catena.meta..",
                "io.catena.storage..",
                "io.catena.client..",
                "io.catena.agents..",
                "io.catena.controlplane..",
                "io.catena.console..",
                "io.catena.bench..",
                "io.catena.installer..");
    rule.check(catena);
  }
}
