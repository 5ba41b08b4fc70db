package io.catena.agents;

import io.catena.protocol.agent.Disk;
import io.catena.protocol.agent.NodeFacts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the node offers: CPUs, memory, disks with free space, the operator's labels. Disks are the
 * paths the agent was given, or else every block-device mount (from /proc/self/mounts) plus the
 * file system holding the agent's root.
 */
public final class NodeFactsCollector {

  private static final Set<String> SKIPPED_FILESYSTEMS = Set.of("squashfs", "iso9660", "vfat");

  private final Path agentRoot;
  private final List<Path> configuredDisks;
  private final Map<String, String> labels;
  private final String agentVersion;

  public NodeFactsCollector(
      Path agentRoot, List<Path> configuredDisks, Map<String, String> labels, String agentVersion) {
    this.agentRoot = agentRoot;
    this.configuredDisks = List.copyOf(configuredDisks);
    this.labels = Map.copyOf(labels);
    this.agentVersion = agentVersion;
  }

  public NodeFacts collect() {
    return NodeFacts.newBuilder()
        .setHostname(hostname())
        .setCpus(Runtime.getRuntime().availableProcessors())
        .setMemoryBytes(memoryBytes())
        .addAllDisks(disks())
        .putAllLabels(labels)
        .setOs(
            System.getProperty("os.name")
                + " "
                + System.getProperty("os.version")
                + " "
                + System.getProperty("os.arch"))
        .setAgentVersion(agentVersion)
        .build();
  }

  public List<Disk> disks() {
    List<Disk> disks = new ArrayList<>();
    if (!configuredDisks.isEmpty()) {
      for (Path path : configuredDisks) {
        disks.add(describe(path));
      }
      return disks;
    }
    Map<String, Disk> byDevice = new LinkedHashMap<>();
    Path mounts = Path.of("/proc/self/mounts");
    if (Files.isReadable(mounts)) {
      try {
        for (String line : Files.readAllLines(mounts)) {
          String[] fields = line.split(" ");
          if (fields.length < 3
              || !fields[0].startsWith("/dev/")
              || SKIPPED_FILESYSTEMS.contains(fields[2])) {
            continue;
          }
          Path mountPoint = Path.of(unescapeMount(fields[1]));
          if (!Files.isDirectory(mountPoint)) {
            continue; // a file bind-mounted from a disk (containers do this for /etc/hosts)
          }
          Disk disk = describe(mountPoint).toBuilder().setDevice(fields[0]).build();
          byDevice.merge(
              fields[0],
              disk,
              (a, b) -> a.getMountPoint().length() <= b.getMountPoint().length() ? a : b);
        }
      } catch (IOException | RuntimeException e) {
        // fall through: the agent root's file system is always reported
      }
    }
    Disk root = describe(agentRoot);
    boolean covered =
        byDevice.values().stream()
            .anyMatch(
                d ->
                    d.getTotalBytes() == root.getTotalBytes()
                        && d.getFilesystem().equals(root.getFilesystem()));
    disks.addAll(byDevice.values());
    if (!covered) {
      disks.add(root);
    }
    return disks;
  }

  /** A path's file system: its size and free space (usable by this user). */
  static Disk describe(Path path) {
    Disk.Builder disk = Disk.newBuilder().setMountPoint(path.toAbsolutePath().toString());
    try {
      FileStore store = Files.getFileStore(path);
      disk.setDevice(store.name())
          .setFilesystem(store.type())
          .setTotalBytes(store.getTotalSpace())
          .setFreeBytes(store.getUsableSpace());
    } catch (IOException e) {
      // a disk that cannot be read reports zero space: the control plane will not place on it
    }
    return disk.build();
  }

  private static String unescapeMount(String field) {
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
  }

  private static long memoryBytes() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  private static String hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      Path file = Path.of("/etc/hostname");
      if (Files.isReadable(file)) {
        String name = Files.readString(file).strip();
        if (!name.isEmpty()) {
          return name;
        }
      }
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
