package io.catena.installer.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.catena.installer.CatenaCli;
import io.catena.protocol.controlplane.ClusterStatusReply;
import io.catena.protocol.controlplane.Condition;
import io.catena.protocol.controlplane.ControlPlaneGrpc;
import io.catena.protocol.controlplane.Event;
import io.catena.protocol.controlplane.GetStatusRequest;
import io.catena.protocol.controlplane.ListOperationsReply;
import io.catena.protocol.controlplane.ListOperationsRequest;
import io.catena.protocol.controlplane.OperationsGrpc;
import io.catena.protocol.controlplane.ThroughputReply;
import io.catena.protocol.controlplane.ThroughputRequest;
import io.catena.protocol.controlplane.ThroughputSample;
import io.catena.protocol.controlplane.WatchEventsRequest;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConsoleCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void badInputGivesOneLineAndExitCode2() {
    assertThat(run("console", "--control-plane", "nowhere", "--screenshot", "x.png")).isEqualTo(2);
    assertThat(err.toString()).startsWith("catena: ").contains("HOST:PORT");
    assertThat(err.toString().strip().lines()).hasSize(1);
  }

  @Test
  void anUnknownViewIsRefusedWithTheChoices() {
    assertThat(run("console", "--control-plane", "127.0.0.1:1", "--view", "graphs")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown view 'graphs'").contains("topology");
  }

  @Test
  void aBadSizeIsRefused() {
    assertThat(run("console", "--control-plane", "127.0.0.1:1", "--size", "big")).isEqualTo(2);
    assertThat(err.toString()).contains("--size");
  }

  /**
   * The whole path a docs check takes: network channel, JavaFX's own headless platform, PNG out,
   * JSON line on stdout. The control plane here answers only what the overview asks.
   */
  @Test
  void screenshotModeRendersTheOverviewOfARemoteControlPlaneHeadless(@TempDir Path dir)
      throws Exception {
    Server server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new StatusOnly())
            .addService(new ThroughputOnly())
            .build()
            .start();
    try {
      Path png = dir.resolve("overview.png");
      int exit =
          run(
              "console",
              "--control-plane",
              "127.0.0.1:" + server.getPort(),
              "--screenshot",
              png.toString(),
              "--size",
              "1024x700",
              "--json");
      assertThat(exit).as(err.toString()).isZero();
      assertThat(out.toString()).contains("\"view\":\"overview\"");
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(1024);
      assertThat(image.getHeight()).isEqualTo(700);
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static final class StatusOnly extends ControlPlaneGrpc.ControlPlaneImplBase {
    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<ClusterStatusReply> out) {
      out.onNext(
          ClusterStatusReply.newBuilder()
              .setNodes(3)
              .setCapacityBytes(3L << 40)
              .setUsedBytes(1L << 40)
              .addConditions(
                  Condition.newBuilder().setType("Ready").setStatus("True").setReason("Test"))
              .build());
      out.onCompleted();
    }
  }

  private static final class ThroughputOnly extends OperationsGrpc.OperationsImplBase {
    @Override
    public void getThroughput(ThroughputRequest request, StreamObserver<ThroughputReply> out) {
      out.onNext(
          ThroughputReply.newBuilder()
              .addSamples(ThroughputSample.newBuilder().setAtMs(1_000).setReadBytesPerS(1 << 20))
              .addSamples(ThroughputSample.newBuilder().setAtMs(11_000).setReadBytesPerS(2 << 20))
              .build());
      out.onCompleted();
    }

    @Override
    public void listOperations(
        ListOperationsRequest request, StreamObserver<ListOperationsReply> out) {
      out.onNext(ListOperationsReply.getDefaultInstance());
      out.onCompleted();
    }

    @Override
    public void watchEvents(WatchEventsRequest request, StreamObserver<Event> out) {
      // stays open, like a quiet cluster
    }
  }
}
