package io.catena.kv;

import io.catena.kv.memory.MemoryKvEngine;
import io.catena.kv.rocksdb.RocksDbKvEngine;
import java.nio.file.Path;

/**
 * Opens a backend by URI:
 *
 * <ul>
 *   <li>{@code rocksdb:/path/to/dir} (embedded, durable; {@code ?fsync=false} skips the WAL fsync)
 *   <li>{@code memory:name} (in-process, shared by name; {@code memory:} alone is private)
 *   <li>{@code fdb:/path/to/fdb.cluster} or {@code fdb:} for FoundationDB's default cluster file
 * </ul>
 */
public final class KvEngines {

  private KvEngines() {}

  public static KvEngine open(String uri) {
    int colon = uri.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "KvEngine URI '" + uri + "' has no scheme: use rocksdb:/dir, memory:name or fdb:/file");
    }
    String scheme = uri.substring(0, colon);
    String rest = uri.substring(colon + 1);
    return switch (scheme) {
      case "memory" -> rest.isEmpty() ? MemoryKvEngine.create() : MemoryKvEngine.shared(rest);
      case "rocksdb" -> openRocksDb(uri, rest);
      case "fdb" -> openFdb(rest.isEmpty() ? null : rest);
      default ->
          throw new IllegalArgumentException(
              "unknown KvEngine scheme '"
                  + scheme
                  + "' in '"
                  + uri
                  + "': use rocksdb, memory or fdb");
    };
  }

  private static KvEngine openRocksDb(String uri, String rest) {
    boolean fsync = true;
    int query = rest.indexOf('?');
    String path = query < 0 ? rest : rest.substring(0, query);
    if (query >= 0) {
      String option = rest.substring(query + 1);
      fsync =
          switch (option) {
            case "fsync=true" -> true;
            case "fsync=false" -> false;
            default ->
                throw new IllegalArgumentException(
                    "unknown option '" + option + "' in '" + uri + "': only fsync=true|false");
          };
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("'" + uri + "' names no directory: use rocksdb:/dir");
    }
    return RocksDbKvEngine.open(Path.of(path), fsync);
  }

  /** A separate method so the FoundationDB classes load only when an fdb: URI is opened. */
  private static KvEngine openFdb(String clusterFile) {
    return io.catena.kv.fdb.FdbKvEngine.open(clusterFile);
  }
}
