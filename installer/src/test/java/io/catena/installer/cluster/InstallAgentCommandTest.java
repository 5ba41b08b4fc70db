package io.catena.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.installer.CatenaCli;
import io.catena.protocol.agent.ControlPlaneRegistryGrpc;
import io.catena.protocol.agent.JoinReply;
import io.catena.protocol.agent.JoinRequest;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * install-agent into a temporary root gives the expected tree, the agent started from that tree
 * joins a control plane, an unreachable control plane leaves nothing behind, and uninstall-agent
 * removes what was installed.
 */
class InstallAgentCommandTest {

  @TempDir Path home;
  @TempDir Path root;
  private Server controlPlane;
  private final List<JoinRequest> joins = new CopyOnWriteArrayList<>();
  private Process agent;

  @BeforeEach
  void start() throws IOException {
    controlPlane =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .addService(
                new ControlPlaneRegistryGrpc.ControlPlaneRegistryImplBase() {
                  @Override
                  public void join(JoinRequest request, StreamObserver<JoinReply> reply) {
                    joins.add(request);
                    reply.onNext(JoinReply.newBuilder().setNodeId("n1").build());
                    reply.onCompleted();
                  }
                })
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.destroyForcibly();
      agent.waitFor(30, TimeUnit.SECONDS);
    }
    controlPlane.shutdownNow();
  }

  /** A distribution whose bin/catena runs this test's class path. */
  private Path launcher() throws IOException {
    Files.createDirectories(home.resolve("lib"));
    Files.writeString(home.resolve("lib/README"), "jars\n");
    Path script = Files.createDirectories(home.resolve("bin")).resolve("catena");
    Files.writeString(
        script,
        "#!/bin/sh\nexec '"
            + ProcessHandle.current().info().command().orElseThrow()
            + "' -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + CatenaCli.class.getName()
            + " \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private record Run(int exit, String out, String err) {}

  private Run catena(Path launcher, String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(launcher.toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().put("CATENA_HOME", home.toString());
    pb.environment().remove("CATENA_JOIN_TOKEN");
    Path out = Files.createTempFile("out", ".txt");
    Path err = Files.createTempFile("err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private String cp() {
    return "127.0.0.1:" + controlPlane.getPort();
  }

  @Test
  void installsTheTreeAndTheAgentStartedFromItJoins() throws Exception {
    Path catena = launcher();
    Run install =
        catena(
            catena,
            "install-agent",
            "--control-plane",
            cp(),
            "--token",
            "tok-1",
            "--root",
            root.toString(),
            "--listen",
            "127.0.0.1:0",
            "--labels",
            "node=n1,rack=r1",
            "--json");
    assertThat(install.exit()).as(install.err()).isZero();
    assertThat(install.out()).contains("\"started\":false");

    assertThat(root.resolve("opt/catena/bin/catena")).isExecutable();
    assertThat(root.resolve("opt/catena/lib/README")).exists();
    assertThat(root.resolve("var/lib/catena")).isDirectory();
    Path env = root.resolve("etc/catena/agent.env");
    assertThat(Files.readString(env)).isEqualTo("CATENA_JOIN_TOKEN=tok-1\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env)))
        .isEqualTo("rw-------");
    String unit = Files.readString(root.resolve("etc/systemd/system/catena-agent.service"));
    assertThat(unit)
        .contains("KillMode=process")
        .contains("EnvironmentFile=/etc/catena/agent.env")
        .contains(
            "ExecStart=/opt/catena/bin/catena agent --root /var/lib/catena --control-plane "
                + cp());

    // What systemd would run, relocated into the tree.
    String execStart =
        unit.lines()
            .filter(l -> l.startsWith("ExecStart="))
            .findFirst()
            .orElseThrow()
            .substring(10);
    List<String> argv = new ArrayList<>();
    for (String arg : execStart.split(" ")) {
      argv.add(arg.startsWith("/") ? root.resolve(arg.substring(1)).toString() : arg);
    }
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.redirectOutput(root.resolve("agent.out").toFile());
    pb.environment().put("CATENA_JOIN_TOKEN", "tok-1");
    agent = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (joins.isEmpty() && agent.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(joins).as(Files.readString(root.resolve("agent.out"))).isNotEmpty();
    assertThat(joins.getFirst().getJoinToken()).isEqualTo("tok-1");
    assertThat(joins.getFirst().getFacts().getLabelsMap()).containsEntry("node", "n1");
    agent.destroy();
    agent.waitFor(30, TimeUnit.SECONDS);

    Run again =
        catena(
            catena,
            "install-agent",
            "--control-plane",
            cp(),
            "--token",
            "t",
            "--root",
            root.toString());
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("installed already");

    Run uninstall = catena(catena, "uninstall-agent", "--root", root.toString());
    assertThat(uninstall.exit()).as(uninstall.err()).isZero();
    assertThat(root.resolve("opt/catena")).doesNotExist();
    assertThat(root.resolve("etc/systemd/system/catena-agent.service")).doesNotExist();
    assertThat(root.resolve("etc/catena/agent.env")).doesNotExist();
    assertThat(root.resolve("var/lib/catena/agent")).as("data kept").isDirectory();
  }

  @Test
  void anUnreachableControlPlaneOrBadArgumentsInstallNothing() throws Exception {
    Path catena = launcher();
    int port = controlPlane.getPort();
    controlPlane.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    Run unreachable =
        catena(
            catena,
            "install-agent",
            "--control-plane",
            "127.0.0.1:" + port,
            "--token",
            "t",
            "--root",
            root.toString());
    assertThat(unreachable.exit()).isEqualTo(1);
    assertThat(unreachable.err().strip().lines()).hasSize(1);
    assertThat(unreachable.err()).contains("unreachable").contains("nothing was installed");

    Run noToken =
        catena(
            catena,
            "install-agent",
            "--control-plane",
            "127.0.0.1:" + port,
            "--root",
            root.toString());
    assertThat(noToken.exit()).isEqualTo(2);
    assertThat(noToken.err()).contains("--token");

    Run badAddress =
        catena(
            catena,
            "install-agent",
            "--control-plane",
            "nowhere",
            "--token",
            "t",
            "--root",
            root.toString());
    assertThat(badAddress.exit()).isEqualTo(2);

    try (Stream<Path> left = Files.list(root)) {
      assertThat(left.toList()).isEmpty();
    }
  }
}
