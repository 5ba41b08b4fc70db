package io.catena.installer.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.catena.bench.kv.KvTraceReplay;
import io.catena.bench.kv.MooncakeTrace;
import io.catena.client.CatenaClient;
import io.catena.client.kv.KvClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code catena bench replay}: replays a Mooncake-format trace against the KV API of a running
 * cluster (docs/kv.md) and reports hit ratio, GB/s and batch get/put latency percentiles.
 */
@Command(
    name = "replay",
    description = {
      "Replay a Mooncake trace (JSONL: timestamp, hash_ids[]) against the KV API: per request, get"
          + " the leading run of blocks present, put the rest. Reports hit ratio, GB/s, p50/p99."
    },
    mixinStandardHelpOptions = true)
final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--trace", required = true, description = "The trace file (JSONL).")
  Path trace;

  @Mixin ClusterClientOptions cluster;

  @Option(
      names = "--bytes-per-block",
      defaultValue = "65536",
      description =
          "Bytes of one trace block (default ${DEFAULT-VALUE}; 512 tokens of DeepSeek-V3 are"
              + " 35979264).")
  int bytesPerBlock;

  @Option(
      names = "--time-scale",
      defaultValue = "0",
      description =
          "Replay speed-up over the trace's timestamps; 0 (default): as fast as possible.")
  double timeScale;

  @Option(names = "--requests", defaultValue = "0", description = "Replay the first N (0: all).")
  int requests;

  @Option(
      names = "--key-prefix",
      description = "Prefix of the block keys (default: replay/<start time>/, a cold cache).")
  String keyPrefix;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(trace)) {
      throw new IllegalArgumentException("cannot read the trace " + trace);
    }
    cluster.check();
    List<MooncakeTrace.Request> loaded = MooncakeTrace.read(trace, requests);
    String prefix = keyPrefix != null ? keyPrefix : "replay/" + System.currentTimeMillis() + "/";
    KvTraceReplay.Report r;
    try (CatenaClient client = cluster.connect();
        KvClient kv = KvClient.open(client)) {
      r =
          KvTraceReplay.run(
              kv, loaded, new KvTraceReplay.Options(bytesPerBlock, timeScale, prefix));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("requests", r.requests());
      m.put("blocks", r.blocks());
      m.put("hit_blocks", r.hitBlocks());
      m.put("hit_ratio", r.hitRatio());
      m.put("bytes_read", r.bytesRead());
      m.put("bytes_written", r.bytesWritten());
      m.put("seconds", r.seconds());
      m.put("gb_per_s", r.gbPerSecond());
      m.put("get_p50_ms", r.getP50Ms());
      m.put("get_p99_ms", r.getP99Ms());
      m.put("put_p50_ms", r.putP50Ms());
      m.put("put_p99_ms", r.putP99Ms());
      m.put("puts_not_stored", r.putsNotStored());
      out.println(new ObjectMapper().writeValueAsString(m));
    } else {
      out.printf(
          "%d requests, %d blocks of %d B: hit ratio %.1f%%; %.3f GB/s (read %.3f, write %.3f) in"
              + " %.1f s; batch get p50 %.2f ms p99 %.2f ms; batch put p50 %.2f ms p99 %.2f ms;"
              + " %d puts not stored%n",
          r.requests(),
          r.blocks(),
          bytesPerBlock,
          100 * r.hitRatio(),
          r.gbPerSecond(),
          r.readGbPerSecond(),
          r.writeGbPerSecond(),
          r.seconds(),
          r.getP50Ms(),
          r.getP99Ms(),
          r.putP50Ms(),
          r.putP99Ms(),
          r.putsNotStored());
    }
    out.flush();
    return 0;
  }
}
