package io.catena.installer.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.controlplane.ops.AuditLog;
import io.catena.controlplane.ops.EventJournal;
import io.catena.controlplane.ops.ExecStep;
import io.catena.controlplane.ops.ExecutionPlan;
import io.catena.controlplane.ops.OperationManager;
import io.catena.controlplane.ops.OperationRefusedException;
import io.catena.controlplane.ops.OperationRequest;
import io.catena.controlplane.ops.OperationView;
import io.catena.controlplane.ops.StepContext;
import io.catena.controlplane.ops.grpc.OperationsService;
import io.catena.controlplane.ops.heal.SelfHealer;
import io.catena.controlplane.ops.safety.SelfHealPolicy;
import io.catena.installer.CatenaCli;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code catena batch} and the single commands against a real Operations gRPC server on loopback,
 * whose planner repairs at once and refuses every drain.
 */
class BatchCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private AuditLog audit;
  private OperationManager manager;
  private SelfHealer healer;
  private Server server;

  @BeforeEach
  void startServer() throws Exception {
    audit = new AuditLog(dir.resolve("cp"));
    manager =
        new OperationManager(
            request ->
                switch (request) {
                  case OperationRequest.Drain d ->
                      throw new OperationRefusedException(
                          "draining node " + d.nodeId() + " would leave chain-2 below R-1=2");
                  default -> new ExecutionPlan("instant", List.of(step()), 100, 0);
                },
            audit,
            new EventJournal(100, Clock.systemUTC()),
            Clock.systemUTC());
    healer =
        new SelfHealer(
            () -> {
              throw new IllegalStateException("no cluster in this test");
            },
            manager,
            new SelfHealPolicy.Limits(Duration.ofMinutes(5), 2, 6),
            false,
            Clock.systemUTC());
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new OperationsService(manager, healer, null))
            .build()
            .start();
  }

  private static ExecStep step() {
    return new ExecStep() {
      @Override
      public String description() {
        return "copy";
      }

      @Override
      public long bytes() {
        return 100;
      }

      @Override
      public void run(StepContext context) {
        context.progress(100);
      }
    };
  }

  @AfterEach
  void stop() {
    server.shutdownNow();
    manager.close();
    audit.close();
  }

  private int run(String... args) {
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  private Path script(String... lines) throws Exception {
    Path file = dir.resolve("script.catena");
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void aBatchStopsAtTheFirstFailingLineWithItsNumberAndExitCode1() throws Exception {
    Path file =
        script(
            "# maintenance",
            "repair --target 7",
            "self-healing pause",
            "drain --node 3",
            "repair --target 8");
    int code =
        run(
            "batch",
            file.toString(),
            "--control-plane",
            endpoint(),
            "--data",
            dir.toString(),
            "--as",
            "ops-bot");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString())
        .contains("line 4: ")
        .contains("drain refused")
        .contains("chain-2 below R-1=2");
    assertThat(out.toString()).contains("[2] repair --target 7").contains("SUCCEEDED");
    assertThat(out.toString()).contains("[3] self-healing pause").contains("self-healing paused");
    // line 5 never ran: only the repair and the refused drain were planned
    assertThat(manager.list(false))
        .extracting(OperationView::kind)
        .extracting(k -> k.id())
        .containsExactly("repair", "drain");
    assertThat(healer.state().paused()).isTrue();
    assertThat(audit.recent(0))
        .anyMatch(a -> a.who().equals("ops-bot") && a.action().equals("pause self-healing"));
  }

  @Test
  void aLineThatDoesNotParseStopsTheBatchBeforeAnythingRunsWithExitCode2() throws Exception {
    Path file = script("repair --target 7", "", "scale-out --nodes lots", "repair --target 8");
    int code =
        run("batch", file.toString(), "--control-plane", endpoint(), "--data", dir.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("line 3: ").contains("--nodes must be a positive number");
    assertThat(manager.list(false)).isEmpty();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void jsonBatchPrintsOneObjectPerLine() throws Exception {
    Path file = script("repair --target 7", "self-healing status");
    assertThat(
            run(
                "batch",
                file.toString(),
                "--json",
                "--control-plane",
                endpoint(),
                "--data",
                dir.toString()))
        .isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("\"ok\":true").contains("\"state\":\"SUCCEEDED\"");
    assertThat(lines.get(1)).contains("\"paused\":false");
  }

  @Test
  void theSameCommandsRunAsCatenaSubcommands() {
    assertThat(
            run("repair", "--target", "9", "--control-plane", endpoint(), "--data", dir.toString()))
        .isZero();
    assertThat(out.toString()).contains("repair SUCCEEDED 100%");
    assertThat(run("drain", "--node", "2", "--control-plane", endpoint(), "--data", dir.toString()))
        .isEqualTo(1);
    assertThat(err.toString().strip()).startsWith("catena: ").contains("refused");
    assertThat(
            run(
                "self-healing",
                "resume",
                "--json",
                "--control-plane",
                endpoint(),
                "--data",
                dir.toString()))
        .isZero();
    assertThat(out.toString()).contains("\"paused\":false");
  }

  @Test
  void withoutAControlPlaneEndpointTheCommandSaysHowToGiveOne() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getenv("CATENA_CONTROL_PLANE") == null, "CATENA_CONTROL_PLANE is set here");
    assertThat(run("operations", "--data", dir.resolve("none").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--control-plane HOST:PORT").contains("catena up");
  }
}
