package io.catena.installer.daemon;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.installer.CatenaCli;
import io.catena.meta.AuthInterceptor;
import io.catena.protocol.meta.MetaServiceGrpc;
import io.catena.protocol.meta.WhoAmIRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MetaDaemonCommandTest {

  @TempDir Path dir;

  @Test
  void missingSettingsAreBadInputOnOneLine() {
    StringWriter err = new StringWriter();
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int code = cli.execute("daemon", "meta", "--admin-token-file", dir.resolve("t").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("catena: ").contains("--kv");
  }

  @Test
  void mgmtdAndStaticChainTablesTogetherAreBadInputOnOneLine() {
    StringWriter err = new StringWriter();
    CommandLine cli = CatenaCli.newCommandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    int code =
        cli.execute(
            "daemon",
            "meta",
            "--kv",
            "memory:",
            "--admin-token-file",
            dir.resolve("t").toString(),
            "--mgmtd",
            "127.0.0.1:1",
            "--chain-table",
            "1=1-4");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("--mgmtd").contains("not both");
  }

  @Test
  void servesMetaFromAConfigFileUntilTerminated() throws Exception {
    Path config = dir.resolve("meta.conf");
    Path token = dir.resolve("admin.token");
    Files.writeString(
        config,
        "listen=127.0.0.1:0\nkv=rocksdb:"
            + dir.resolve("kv")
            + "\nadmin-token-file="
            + token
            + "\nchain-tables=1=1-8\n");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx128m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CatenaCli.class.getName(),
                    "daemon",
                    "meta",
                    "--config",
                    config.toString(),
                    "--json"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      JsonNode started = null;
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("{")) {
          started = new ObjectMapper().readTree(line);
          break;
        }
      }
      assertThat(started).as("the daemon's start line").isNotNull();
      assertThat(started.get("daemon").asText()).isEqualTo("meta");
      String listen = started.get("listen").asText();
      int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));

      Metadata headers = new Metadata();
      headers.put(
          AuthInterceptor.AUTHORIZATION, AuthInterceptor.bearer(Files.readString(token).trim()));
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        var me =
            MetaServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(2, TimeUnit.MINUTES)
                .whoAmI(WhoAmIRequest.getDefaultInstance());
        assertThat(me.getTenant().getName()).isEqualTo("system");
      } finally {
        channel.shutdownNow().awaitTermination(30, TimeUnit.SECONDS);
      }
      child.destroy();
      assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
    } finally {
      child.destroyForcibly();
    }
  }
}
