package io.catena.installer.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catena install-agent}: installs this distribution and a node agent that joins a control
 * plane: {@code PREFIX/} (bin, lib, conf), {@code /etc/catena/agent.env} (the join token, 0600),
 * {@code /etc/systemd/system/catena-agent.service} (with {@code KillMode=process}, so daemons
 * outlive agent restarts), and the agent's data directory. With {@code --root} everything goes
 * under that directory and nothing is started. Either everything is installed or nothing is.
 */
@Command(
    name = "install-agent",
    description = {
      "Install this distribution and a node agent (systemd unit catena-agent.service) that joins"
          + " --control-plane. --root installs into a directory tree (for packagers and tests)."
    },
    mixinStandardHelpOptions = true)
public final class InstallAgentCommand implements Callable<Integer> {

  static final String UNIT = "catena-agent.service";

  @Spec CommandSpec spec;

  @Option(names = "--control-plane", required = true, description = "HOST:PORT to join.")
  String controlPlane;

  @Option(
      names = "--token",
      defaultValue = "${env:CATENA_JOIN_TOKEN}",
      description = "The join token (default: $CATENA_JOIN_TOKEN).")
  String token;

  @Option(
      names = "--prefix",
      defaultValue = "/opt/catena",
      description = "Where the distribution goes (default ${DEFAULT-VALUE}).")
  String prefix;

  @Option(
      names = "--data",
      defaultValue = "/var/lib/catena",
      description = "The agent's root directory (default ${DEFAULT-VALUE}).")
  String dataDir;

  @Option(
      names = "--root",
      defaultValue = "/",
      description = "Install under this directory instead of / (nothing is started).")
  Path root;

  @Option(
      names = "--listen",
      defaultValue = "0.0.0.0:7400",
      description = "The agent's gRPC address (default ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--labels", description = "Node labels, e.g. node=n1,rack=r1.")
  String labels;

  @Option(names = "--disk", description = "A disk directory of this node (repeatable).")
  List<String> disks = new ArrayList<>();

  @Option(names = "--control-plane-ca", description = "PEM CA of the control plane (off loopback).")
  String controlPlaneCa;

  @Option(names = "--json", description = "Print what was installed as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("--token (or $CATENA_JOIN_TOKEN) is required");
    }
    InetSocketAddress cp = hostPort(controlPlane, "--control-plane");
    hostPort(listen, "--listen");
    if (!prefix.startsWith("/") || !dataDir.startsWith("/")) {
      throw new IllegalArgumentException("--prefix and --data must be absolute paths");
    }
    Path home = distribution();
    Path target = under(prefix);
    if (Files.exists(target)) {
      throw new IllegalArgumentException(
          target + " exists: the agent is installed already (catena uninstall-agent removes it)");
    }
    try (Socket s = new Socket()) {
      s.connect(cp, 5000);
    } catch (IOException e) {
      throw new IllegalStateException(
          "the control plane at "
              + controlPlane
              + " is unreachable ("
              + e.getMessage()
              + ")"
              + "; nothing was installed");
    }

    List<Path> created = new ArrayList<>();
    try {
      Path staged = target.resolveSibling(target.getFileName() + ".installing");
      created.add(staged);
      copyTree(home, staged);
      Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
      created.set(0, target);
      Path env = under("/etc/catena/agent.env");
      writePrivate(env, "CATENA_JOIN_TOKEN=" + token + "\n", created);
      Path unit = under("/etc/systemd/system/" + UNIT);
      write(unit, unit(), created);
      Path data = under(dataDir);
      if (!Files.exists(data)) {
        Files.createDirectories(data);
        created.add(data);
      }
      boolean started = false;
      if (root.toAbsolutePath().normalize().equals(Path.of("/")) && systemctl()) {
        run("systemctl", "daemon-reload");
        run("systemctl", "enable", "--now", UNIT);
        started = true;
      }
      report(target, unit, env, data, started);
      return 0;
    } catch (RuntimeException | IOException e) {
      for (Path p : created.reversed()) {
        deleteTree(p);
      }
      throw e;
    }
  }

  /** The unit's command line (what systemd runs; tests run it themselves). */
  String execStart() {
    List<String> argv = new ArrayList<>();
    argv.addAll(
        List.of(
            prefix + "/bin/catena",
            "agent",
            "--root",
            dataDir,
            "--control-plane",
            controlPlane,
            "--listen",
            listen));
    if (labels != null && !labels.isBlank()) {
      argv.addAll(List.of("--labels", labels));
    }
    for (String d : disks) {
      argv.addAll(List.of("--disk", d));
    }
    if (controlPlaneCa != null) {
      argv.addAll(List.of("--control-plane-ca", controlPlaneCa));
    }
    return String.join(" ", argv);
  }

  private String unit() {
    return """
        [Unit]
        Description=Catena node agent
        After=network-online.target
        Wants=network-online.target

        [Service]
        EnvironmentFile=/etc/catena/agent.env
        ExecStart=%s
        Restart=always
        RestartSec=2
        # Daemons are the agent's children but must outlive its restarts: only the agent is killed.
        KillMode=process

        [Install]
        WantedBy=multi-user.target
        """
        .formatted(execStart());
  }

  private void report(Path target, Path unit, Path env, Path data, boolean started)
      throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("prefix", target.toString());
      line.put("unit", unit.toString());
      line.put("env", env.toString());
      line.put("data", data.toString());
      line.put("started", started);
      line.put("execStart", execStart());
      out.println(new ObjectMapper().writeValueAsString(line));
    } else {
      out.println("catena: installed the agent in " + target + " (unit " + unit + ")");
      out.println(
          started
              ? "catena: started " + UNIT + "; it joins " + controlPlane
              : "catena: start it with 'systemctl enable --now " + UNIT + "'");
    }
    out.flush();
  }

  private Path under(String absolute) {
    return root.toAbsolutePath().normalize().resolve(absolute.substring(1));
  }

  static Path distribution() {
    String home = System.getenv("CATENA_HOME");
    if (home == null || home.isBlank() || !Files.isDirectory(Path.of(home, "bin"))) {
      throw new IllegalStateException(
          "CATENA_HOME is not a distribution: run install-agent through its bin/catena");
    }
    return Path.of(home);
  }

  private static InetSocketAddress hostPort(String text, String option) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    try {
      if (colon <= 0) {
        throw new NumberFormatException();
      }
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(text.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be HOST:PORT, not '" + text + "'");
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path rel = from.relativize(p);
        if (rel.toString().startsWith(".built")) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void write(Path file, String content, List<Path> created) throws IOException {
    createParents(file, created);
    Files.writeString(file, content);
    created.add(file);
  }

  private static void writePrivate(Path file, String content, List<Path> created)
      throws IOException {
    createParents(file, created);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    created.add(file);
    Files.writeString(file, content);
  }

  private static void createParents(Path file, List<Path> created) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = file.getParent(); p != null && !Files.exists(p); p = p.getParent()) {
      missing.add(p);
    }
    for (Path p : missing.reversed()) {
      Files.createDirectory(p);
      created.add(p);
    }
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
    }
  }

  static boolean systemctl() {
    return Files.isExecutable(Path.of("/usr/bin/systemctl"))
        || Files.isExecutable(Path.of("/bin/systemctl"));
  }

  static void run(String... command) throws IOException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", command) + " was interrupted");
    }
  }
}
