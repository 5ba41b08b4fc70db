package io.catena.meta;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a meta daemon runs: where it listens, which KvEngine it uses ({@code rocksdb:/dir}, {@code
 * memory:name}, {@code fdb:/etc/foundationdb/fdb.cluster}), where the first admin token is written
 * at bootstrap, the chain tables it lays files out on until mgmtd serves them, and how often chunk
 * GC runs.
 */
public record MetaDaemonConfig(
    String host,
    int port,
    String kvUri,
    Path adminTokenFile,
    List<ChainTable> chainTables,
    Duration gcInterval,
    List<String> mgmtdEndpoints) {

  public MetaDaemonConfig {
    chainTables = List.copyOf(chainTables);
    mgmtdEndpoints = List.copyOf(mgmtdEndpoints);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range");
    }
    if (!mgmtdEndpoints.isEmpty() && !chainTables.isEmpty()) {
      throw new IllegalArgumentException(
          "give either --mgmtd (chain tables come from mgmtd) or --chain-table, not both");
    }
    mgmtdEndpoints.forEach(io.catena.protocol.routing.HostPort::parse);
  }

  /** Without mgmtd: chain tables from the given list. */
  public MetaDaemonConfig(
      String host,
      int port,
      String kvUri,
      Path adminTokenFile,
      List<ChainTable> chainTables,
      Duration gcInterval) {
    this(host, port, kvUri, adminTokenFile, chainTables, gcInterval, List.of());
  }

  /** Whether chain tables come from mgmtd's routing info. */
  public boolean followsMgmtd() {
    return !mgmtdEndpoints.isEmpty();
  }

  /**
   * Parses {@code [--config FILE] --listen host:port --kv URI --admin-token-file PATH [--mgmtd
   * HOST:PORT[,HOST:PORT...] | --chain-table ID=C1,C2-C8 ...] [--gc-interval-seconds N]}. The
   * config file (what node agents deploy) holds the same settings as {@code name=value} lines:
   * {@code listen}, {@code kv}, {@code admin-token-file}, {@code mgmtd}, {@code chain-tables}
   * (tables separated by {@code ;}), {@code gc-interval-seconds}; flags given after it override it.
   */
  public static MetaDaemonConfig parse(String... args) {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--config needs a value");
        }
        all.addAll(fromFile(Path.of(args[++i])));
      } else {
        all.add(args[i]);
      }
    }
    return parseFlags(all.toArray(String[]::new));
  }

  private static List<String> fromFile(Path file) {
    java.util.Properties props = new java.util.Properties();
    try (java.io.Reader in = java.nio.file.Files.newBufferedReader(file)) {
      props.load(in);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read meta config " + file + ": " + e.getMessage());
    }
    List<String> flags = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(props.stringPropertyNames())) {
      String value = props.getProperty(name).trim();
      switch (name) {
        case "listen", "kv", "admin-token-file", "gc-interval-seconds", "mgmtd" -> {
          flags.add("--" + name);
          flags.add(value);
        }
        case "chain-tables" -> {
          for (String table : value.split(";")) {
            if (!table.isBlank()) {
              flags.add("--chain-table");
              flags.add(table.trim());
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown setting '" + name + "' in " + file);
      }
    }
    return flags;
  }

  private static MetaDaemonConfig parseFlags(String... args) {
    String host = "127.0.0.1";
    int port = 0;
    String kv = null;
    Path tokenFile = null;
    List<ChainTable> tables = new ArrayList<>();
    Duration gc = Duration.ofSeconds(30);
    List<String> mgmtd = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--listen" -> {
          int colon = value.lastIndexOf(':');
          if (colon < 0) {
            throw new IllegalArgumentException("--listen wants host:port, got " + value);
          }
          host = value.substring(0, colon);
          port = Integer.parseInt(value.substring(colon + 1));
        }
        case "--kv" -> kv = value;
        case "--admin-token-file" -> tokenFile = Path.of(value);
        case "--chain-table" -> tables.add(parseTable(value));
        case "--gc-interval-seconds" -> gc = Duration.ofSeconds(Long.parseLong(value));
        case "--mgmtd" -> {
          mgmtd.clear();
          for (String endpoint : value.split(",")) {
            if (!endpoint.isBlank()) {
              mgmtd.add(endpoint.trim());
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if (kv == null) {
      throw new IllegalArgumentException("--kv is required (e.g. rocksdb:/var/lib/catena/meta)");
    }
    if (tokenFile == null) {
      throw new IllegalArgumentException("--admin-token-file is required");
    }
    return new MetaDaemonConfig(host, port, kv, tokenFile, tables, gc, mgmtd);
  }

  /** {@code 1=1,2,5-8}: table 1, version 1, chains 1, 2, 5, 6, 7, 8. */
  static ChainTable parseTable(String spec) {
    int eq = spec.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("--chain-table wants ID=CHAINS, got " + spec);
    }
    int id = Integer.parseInt(spec.substring(0, eq));
    List<Integer> chains = new ArrayList<>();
    for (String part : spec.substring(eq + 1).split(",")) {
      int dash = part.indexOf('-');
      if (dash < 0) {
        chains.add(Integer.parseInt(part.trim()));
      } else {
        int from = Integer.parseInt(part.substring(0, dash).trim());
        int to = Integer.parseInt(part.substring(dash + 1).trim());
        for (int c = from; c <= to; c++) {
          chains.add(c);
        }
      }
    }
    return new ChainTable(id, 1, chains);
  }
}
