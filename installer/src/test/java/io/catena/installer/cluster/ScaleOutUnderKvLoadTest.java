package io.catena.installer.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.client.CatenaClient;
import io.catena.client.CatenaClientConfig;
import io.catena.client.kv.KvClient;
import io.catena.client.kv.KvPutStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's "done when" on a real local cluster: {@code catena up --nodes 3} as processes, then
 * {@code catena scale-out --nodes 2} while two threads put and get KV entries through the real
 * client. The cluster ends Ready with 5 nodes and a balanced chain table, every acknowledged put
 * reads back byte-identical, and no call ever surfaced an error to its caller (the client's own
 * retries are allowed to absorb what the moves cause).
 */
class ScaleOutUnderKvLoadTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path data;
  private LocalClusterProcesses processes;

  @AfterEach
  void killEverythingStarted() throws Exception {
    if (processes != null) {
      processes.killAll();
    }
  }

  /** What the load threads saw; errors are anything a caller would have had to handle. */
  private static final class Load {
    final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    final AtomicLong puts = new AtomicLong();
    final AtomicLong gets = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();

    long ops() {
      return puts.get() + gets.get();
    }
  }

  private static void putsAndGets(KvClient kv, String prefix, Load load, long seed) {
    Random random = new Random(seed);
    List<String> mine = new ArrayList<>();
    for (int i = 0; !load.stop.get(); i++) {
      String key = prefix + "-" + i;
      byte[] value = new byte[512 + random.nextInt(8192)];
      random.nextBytes(value);
      try {
        KvPutStatus status = kv.put(key, value);
        load.puts.incrementAndGet();
        if (status == KvPutStatus.STORED) {
          load.acknowledged.put(key, value);
          mine.add(key);
        } else {
          load.errors.add("put " + key + ": " + status);
        }
      } catch (RuntimeException e) {
        load.errors.add("put " + key + ": " + e);
      }
      if (mine.isEmpty()) {
        continue;
      }
      String probe = mine.get(random.nextInt(mine.size()));
      try {
        byte[] got = kv.get(probe);
        load.gets.incrementAndGet();
        if (got == null) {
          load.errors.add("get " + probe + ": absent");
        } else if (!Arrays.equals(got, load.acknowledged.get(probe))) {
          load.errors.add("get " + probe + ": different bytes");
        }
      } catch (RuntimeException e) {
        load.errors.add("get " + probe + ": " + e);
      }
    }
  }

  @Test
  void scaleOutByTwoNodesUnderKvPutsAndGetsEndsBalancedWithNothingLost() throws Exception {
    processes = new LocalClusterProcesses(home, data);
    String dir = data.toString();
    JsonNode up = processes.up(3);
    List<String> mgmtd = new ArrayList<>();
    up.get("mgmtd").forEach(m -> mgmtd.add(m.asText()));
    // The cluster speaks TLS: the client verifies every daemon against the CA 'up' names.
    CatenaClientConfig config =
        CatenaClientConfig.of(mgmtd, up.get("meta").asText(), up.get("token").asText())
            .withTransport(
                io.catena.protocol.security.TransportSecurity.trusting(
                    java.nio.file.Path.of(up.get("ca").asText())));

    Load load = new Load();
    List<Thread> threads = new ArrayList<>();
    try (CatenaClient client = CatenaClient.connect(config);
        KvClient kv1 = KvClient.open(client);
        KvClient kv2 = KvClient.open(client)) {
      threads.add(Thread.ofPlatform().name("load-a").start(() -> putsAndGets(kv1, "a", load, 1)));
      threads.add(Thread.ofPlatform().name("load-b").start(() -> putsAndGets(kv2, "b", load, 2)));
      awaitOps(load, 40, Duration.ofSeconds(300));

      long before = load.ops();
      LocalClusterProcesses.Run scale =
          processes.catena(600, "scale-out", "--nodes", "2", "--data", dir, "--json");
      long during = load.ops() - before;
      assertThat(scale.exit()).as(scale.out() + scale.err()).isZero();
      JsonNode op = JSON.readTree(scale.out()).get("operation");
      assertThat(op.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(during).as("puts and gets ran while the scale-out moved replicas").isPositive();
      awaitOps(load, load.ops() + 20, Duration.ofSeconds(300));

      load.stop.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.MINUTES.toMillis(5));
        assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
      }
      assertThat(List.copyOf(load.errors)).as("errors surfaced to the caller").isEmpty();

      JsonNode status = processes.awaitReadyStatus(Duration.ofSeconds(300));
      assertThat(status.get("nodes").asInt()).isEqualTo(5);
      assertChainTableBalancedOverFiveNodes(dir);

      assertThat(load.acknowledged).isNotEmpty();
      for (var e : new TreeMap<>(load.acknowledged).entrySet()) {
        assertThat(kv1.get(e.getKey())).as("value of %s", e.getKey()).isEqualTo(e.getValue());
      }
      System.out.printf(
          "scale-out under KV load: %d puts, %d gets (%d ops during the scale-out), %d keys read"
              + " back%n",
          load.puts.get(), load.gets.get(), during, load.acknowledged.size());
    } finally {
      load.stop.set(true);
      for (Thread t : threads) {
        t.join(TimeUnit.MINUTES.toMillis(2));
      }
    }

    tenantDeletionThroughTheCli(dir, config);

    processes.collectPids();
    LocalClusterProcesses.Run down = processes.catena(300, "down", "--data", dir);
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(processes.seen()).noneMatch(ProcessHandle::isAlive);
  }

  /**
   * {@code catena tenant create}, a KV entry with its token, {@code catena tenant delete} refused
   * while the entry exists, {@code --purge} deletes it and the token stops working at meta. Run on
   * the same cluster to spare another start-up.
   */
  private void tenantDeletionThroughTheCli(String dir, CatenaClientConfig base) throws Exception {
    LocalClusterProcesses.Run created =
        processes.catena(120, "tenant", "create", "scratch", "--data", dir, "--json");
    assertThat(created.exit()).as(created.err()).isZero();
    String token = JSON.readTree(created.out()).get("token").asText();
    byte[] value = "a page of scratch".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (CatenaClient client = CatenaClient.connect(base.withToken(token));
        KvClient kv = KvClient.open(client)) {
      assertThat(kv.put("page", value)).isEqualTo(KvPutStatus.STORED);

      LocalClusterProcesses.Run refused =
          processes.catena(120, "tenant", "delete", "scratch", "--data", dir);
      assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
      assertThat(refused.err()).contains("still has KV entries");
      assertThat(kv.get("page")).isEqualTo(value);

      LocalClusterProcesses.Run purged =
          processes.catena(120, "tenant", "delete", "scratch", "--purge", "--data", dir, "--json");
      assertThat(purged.exit()).as(purged.err()).isZero();
      assertThat(JSON.readTree(purged.out()).get("deleted").asBoolean()).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> kv.get("page"))
          .isInstanceOf(io.catena.client.CatenaException.class);
    }
  }

  /**
   * Every node carries chain targets, and per-node counts are within the scale-out planner's bound
   * (docs/topology.md, MIGRATE): each node holds ⌊C·R/n⌋ replicas or one more.
   */
  private void assertChainTableBalancedOverFiveNodes(String dir) throws Exception {
    LocalClusterProcesses.Run nodes = processes.catena(120, "nodes", "--json", "--data", dir);
    assertThat(nodes.exit()).as(nodes.err()).isZero();
    List<Long> nodeIds = new ArrayList<>();
    JSON.readTree(nodes.out()).get("nodes").forEach(n -> nodeIds.add(n.get("nodeId").asLong()));
    assertThat(nodeIds).hasSize(5);

    LocalClusterProcesses.Run chains = processes.catena(120, "chains", "--json", "--data", dir);
    assertThat(chains.exit()).as(chains.err()).isZero();
    Map<Long, Integer> perNode = new TreeMap<>();
    nodeIds.forEach(id -> perNode.put(id, 0));
    int replicas = 0;
    for (JsonNode chain : JSON.readTree(chains.out()).get("chains")) {
      for (JsonNode t : chain.get("targets")) {
        assertThat(t.path("publicState").asText()).as("chain %s", chain).isEqualTo("SERVING");
        perNode.merge(t.get("nodeId").asLong(), 1, Integer::sum);
        replicas++;
      }
    }
    assertThat(perNode.keySet()).as("targets only on the cluster's nodes").hasSize(5);
    int floor = replicas / 5;
    assertThat(perNode.values())
        .as("replicas per node %s (%d replicas over 5 nodes)", perNode, replicas)
        .allSatisfy(c -> assertThat(c).isPositive().isBetween(floor, floor + 1));
    assertThat(Collections.max(perNode.values()) - Collections.min(perNode.values()))
        .isLessThanOrEqualTo(1);
  }

  private static void awaitOps(Load load, long atLeast, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (load.ops() < atLeast && load.errors.isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "only " + load.ops() + " KV operations within " + timeout + "; wanted " + atLeast);
      }
      Thread.sleep(100);
    }
  }
}
