package io.catena.agents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Where an agent keeps everything under its root directory:
 *
 * <pre>
 * root/agent/{lock,agent.properties,node-id}
 * root/tls/{node.crt,node.key,ca.crt}              the node certificate issued at join
 * root/daemons/NAME/{spec.txtpb,state,pid}
 * root/daemons/NAME/config/FILE
 * root/daemons/NAME/data/                          unless the spec names data dirs
 * root/daemons/NAME/logs/daemon.log
 * </pre>
 */
public record AgentLayout(Path root) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  public AgentLayout {
    root = root.toAbsolutePath().normalize();
  }

  /** Daemon names become directory names: lower-case letters, digits, '.', '_', '-'. */
  public static String checkDaemonName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "daemon name '"
              + name
              + "' is not valid: use 1-63 of a-z 0-9 . _ - starting with a letter or digit");
    }
    return name;
  }

  public Path agentDir() {
    return root.resolve("agent");
  }

  public Path lockFile() {
    return agentDir().resolve("lock");
  }

  public Path agentInfoFile() {
    return agentDir().resolve("agent.properties");
  }

  public Path nodeIdFile() {
    return agentDir().resolve("node-id");
  }

  public Path tlsDir() {
    return root.resolve("tls");
  }

  public Path daemonsDir() {
    return root.resolve("daemons");
  }

  public Path daemonDir(String name) {
    return daemonsDir().resolve(checkDaemonName(name));
  }

  public Path specFile(String name) {
    return daemonDir(name).resolve("spec.txtpb");
  }

  public Path stateFile(String name) {
    return daemonDir(name).resolve("state");
  }

  public Path pidFile(String name) {
    return daemonDir(name).resolve("pid");
  }

  public Path configDir(String name) {
    return daemonDir(name).resolve("config");
  }

  public Path defaultDataDir(String name) {
    return daemonDir(name).resolve("data");
  }

  public Path logsDir(String name) {
    return daemonDir(name).resolve("logs");
  }

  public Path logFile(String name) {
    return logsDir(name).resolve("daemon.log");
  }

  /** Writes through a temporary file and a rename, so readers never see half a file. */
  static void writeAtomically(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
