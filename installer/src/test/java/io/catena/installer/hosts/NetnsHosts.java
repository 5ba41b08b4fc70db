package io.catena.installer.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * "Hosts" made of Linux network namespaces, for multi-host tests on one machine: N host namespaces,
 * each with {@code lo} up and one interface {@code eth0} carrying its own address from the
 * benchmarking range 198.18.0.0/15, joined by a bridge that lives in a namespace of its own (the
 * "switch"). Nothing is added to the root namespace (no link, no address, no route), so traffic
 * between hosts stays inside these namespaces and the hosts cannot reach anything else.
 *
 * <p>Names carry the creating process's pid and a random suffix ({@code catena-PID-RAND-h1}, {@code
 * -sw}), so parallel runs do not collide and {@link #removeLeftovers()} can delete what a dead run
 * left. {@link #close()} kills, by pid, every process started through {@link #exec} and any process
 * still inside one of the namespaces, then deletes every namespace (which deletes the veth pairs
 * and the bridge with them). Every command run here is bounded.
 *
 * <p>Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and {@code ip} (iproute2); {@link #create} skips
 * the calling test (a JUnit assumption, with the reason) when namespaces cannot be made.
 */
public final class NetnsHosts implements AutoCloseable {

  /** One host: its short name ({@code h1}), its namespace and its address on the bridge. */
  public record Host(String name, String namespace, String address) {
    @Override
    public String toString() {
      return name + "(" + address + " in " + namespace + ")";
    }
  }

  /** What a bounded command ended with. */
  public record Result(int exit, String out, String err) {}

  /** The /24 the hosts are numbered in: host i (from 1) is 198.18.0.i. */
  public static final String SUBNET = "198.18.0";

  static final String PREFIX = "catena-";
  private static final Pattern NAME = Pattern.compile("catena-(\\d+)-([a-z0-9]+)-(sw|h\\d+)");
  private static final Duration IP_TIMEOUT = Duration.ofSeconds(20);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static volatile Optional<String> unavailable;

  private final String tag;
  private final String switchNamespace;
  private final List<Host> hosts = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> started = new ArrayList<>();
  private boolean closed;

  private NetnsHosts(String tag) {
    this.tag = tag;
    this.switchNamespace = PREFIX + tag + "-sw";
  }

  /**
   * Creates {@code n} hosts (1..250) behind one bridge. Skips the calling test when network
   * namespaces are not available here; removes leftovers of dead runs first. On any failure what
   * was made is torn down before the exception leaves.
   */
  public static NetnsHosts create(int n) throws IOException {
    if (n < 1 || n > 250) {
      throw new IllegalArgumentException("1..250 hosts, not " + n);
    }
    Optional<String> why = unavailableReason();
    Assumptions.assumeTrue(why.isEmpty(), () -> "network namespaces unavailable: " + why.get());
    removeLeftovers();
    String tag = ProcessHandle.current().pid() + "-" + randomSuffix();
    NetnsHosts h = new NetnsHosts(tag);
    try {
      h.build(n);
      return h;
    } catch (IOException | RuntimeException | Error e) {
      h.close();
      throw e;
    }
  }

  private void build(int n) throws IOException {
    addNamespace(switchNamespace);
    ip("-n", switchNamespace, "link", "add", "br0", "type", "bridge");
    ip("-n", switchNamespace, "link", "set", "br0", "up");
    ip("-n", switchNamespace, "link", "set", "lo", "up");
    for (int i = 1; i <= n; i++) {
      String name = "h" + i;
      String ns = PREFIX + tag + "-" + name;
      String address = SUBNET + "." + i;
      addNamespace(ns);
      // Both ends are created directly in their namespaces: nothing appears in the root one.
      ip(
          "-n",
          switchNamespace,
          "link",
          "add",
          name,
          "type",
          "veth",
          "peer",
          "name",
          "eth0",
          "netns",
          ns);
      ip("-n", switchNamespace, "link", "set", name, "master", "br0");
      ip("-n", switchNamespace, "link", "set", name, "up");
      ip("-n", ns, "link", "set", "lo", "up");
      ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
      ip("-n", ns, "link", "set", "eth0", "up");
      hosts.add(new Host(name, ns, address));
    }
  }

  private void addNamespace(String ns) throws IOException {
    ip("netns", "add", ns);
    namespaces.add(ns);
  }

  /** The hosts, h1 first. */
  public List<Host> hosts() {
    return List.copyOf(hosts);
  }

  /** Host {@code i}, counted from 1 ({@code h1}). */
  public Host host(int i) {
    return hosts.get(i - 1);
  }

  /** The bridge's namespace. */
  public String switchNamespace() {
    return switchNamespace;
  }

  /**
   * Cuts {@code host} off the bridge (its switch port goes down): a network partition of that host
   * from all others. Its processes keep running; {@link #reconnect} heals it.
   */
  public void disconnect(Host host) throws IOException {
    ip("-n", switchNamespace, "link", "set", host.name(), "down");
  }

  /** Puts {@code host} back on the bridge. */
  public void reconnect(Host host) throws IOException {
    ip("-n", switchNamespace, "link", "set", host.name(), "up");
  }

  /** The command line that runs {@code command} on {@code host}. */
  public static List<String> inHost(Host host, List<String> command) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
    argv.addAll(command);
    return argv;
  }

  /**
   * Starts {@code command} on {@code host} ({@code ip netns exec NS command...}; {@code ip} execs
   * the command, so the process's pid is the command's). Killed by {@link #close()} at the latest.
   */
  public Process exec(Host host, String... command) throws IOException {
    return exec(host, new ProcessBuilder(), command);
  }

  /**
   * As {@link #exec(Host, String...)}, with {@code template}'s environment, directory and redirects
   * (its command is replaced).
   */
  public synchronized Process exec(Host host, ProcessBuilder template, String... command)
      throws IOException {
    if (closed) {
      throw new IllegalStateException("these hosts are torn down");
    }
    Process p = template.command(inHost(host, List.of(command))).start();
    started.add(p);
    return p;
  }

  /** Runs {@code command} on {@code host} to its end, at most {@code timeout}; output captured. */
  public Result run(Host host, Duration timeout, String... command) throws IOException {
    Path out = Files.createTempFile("netns-out", ".txt");
    Path err = Files.createTempFile("netns-err", ".txt");
    try {
      Process p =
          exec(
              host,
              new ProcessBuilder()
                  .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                  .redirectOutput(out.toFile())
                  .redirectError(err.toFile()),
              command);
      if (!waitFor(p, timeout)) {
        kill(p.toHandle());
        throw new IOException(
            String.join(" ", command) + " on " + host + " did not end within " + timeout);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Kills every process started here and every process left in these namespaces (by pid), then
   * deletes the namespaces. Safe to call twice; failures are collected and thrown at the end.
   */
  @Override
  public synchronized void close() throws IOException {
    closed = true;
    List<String> problems = new ArrayList<>();
    for (Process p : started) {
      kill(p.toHandle());
    }
    for (String ns : namespaces.reversed()) {
      try {
        killInside(ns);
        ip("netns", "del", ns);
      } catch (IOException | RuntimeException e) {
        problems.add(ns + ": " + e.getMessage());
      }
    }
    namespaces.clear();
    if (!problems.isEmpty()) {
      throw new IOException("teardown of hosts " + tag + " failed: " + problems);
    }
  }

  /**
   * Deletes the namespaces of runs whose process is gone ({@code catena-PID-...} with no live PID),
   * killing any process still inside them first. Returns the namespaces deleted.
   */
  public static List<String> removeLeftovers() throws IOException {
    List<String> removed = new ArrayList<>();
    for (String ns : namespaceNames()) {
      Matcher m = NAME.matcher(ns);
      if (!m.matches()) {
        continue;
      }
      long pid = Long.parseLong(m.group(1));
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      killInside(ns);
      Result r = ipResult("netns", "del", ns);
      if (r.exit() == 0) {
        removed.add(ns);
      }
    }
    return removed;
  }

  /** Every network namespace name {@code ip netns list} shows. */
  public static List<String> namespaceNames() throws IOException {
    Result r = ipResult("netns", "list");
    if (r.exit() != 0) {
      throw new IOException("ip netns list failed: " + r.err().strip());
    }
    return r.out()
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .map(l -> l.split("\\s+", 2)[0])
        .toList();
  }

  /**
   * Why hosts cannot be made here, or empty when they can: tried once per JVM by adding and
   * deleting a namespace (fails without root / CAP_SYS_ADMIN, or without iproute2).
   */
  public static Optional<String> unavailableReason() {
    Optional<String> known = unavailable;
    if (known != null) {
      return known;
    }
    Optional<String> why;
    String probe = PREFIX + ProcessHandle.current().pid() + "-" + randomSuffix() + "-h0";
    try {
      Result add = ipResult("netns", "add", probe);
      if (add.exit() != 0) {
        why = Optional.of("'ip netns add' failed: " + add.err().strip());
      } else {
        Result del = ipResult("netns", "del", probe);
        why =
            del.exit() == 0
                ? Optional.empty()
                : Optional.of("'ip netns del' failed: " + del.err().strip());
      }
    } catch (IOException e) {
      why = Optional.of("cannot run 'ip' (iproute2): " + e.getMessage());
    }
    unavailable = why;
    return why;
  }

  private static void killInside(String ns) throws IOException {
    Result r = ipResult("netns", "pids", ns);
    if (r.exit() != 0) {
      return; // gone already
    }
    for (String line : r.out().lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      ProcessHandle.of(Long.parseLong(line)).ifPresent(NetnsHosts::kill);
    }
  }

  /** SIGKILL to a process and its descendants (by pid), waiting a bounded time for each. */
  static void kill(ProcessHandle p) {
    List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
    all.add(p);
    for (ProcessHandle h : all) {
      h.destroyForcibly();
    }
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Reported by the namespace deletion if it is still there.
      }
    }
  }

  private static void ip(String... args) throws IOException {
    Result r = ipResult(args);
    if (r.exit() != 0) {
      throw new IOException("ip " + String.join(" ", args) + " failed: " + r.err().strip());
    }
  }

  private static Result ipResult(String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of("ip"));
    argv.addAll(List.of(args));
    Path out = Files.createTempFile("ip-out", ".txt");
    Path err = Files.createTempFile("ip-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!waitFor(p, IP_TIMEOUT)) {
        p.destroyForcibly();
        throw new IOException("ip " + String.join(" ", args) + " did not end in " + IP_TIMEOUT);
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String randomSuffix() {
    return Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36), 36);
  }
}
