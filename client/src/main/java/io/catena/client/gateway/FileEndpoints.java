package io.catena.client.gateway;

import com.sun.net.httpserver.HttpExchange;
import io.catena.client.CatenaException;
import io.catena.client.ClientErrorCode;
import io.catena.client.file.CatenaFile;
import io.catena.client.file.CatenaFiles;
import io.catena.client.file.CreateOptions;
import io.catena.client.file.DirEntry;
import io.catena.client.file.FileStat;
import io.catena.client.file.FileType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * File endpoints with POSIX-like semantics over {@code /v1/fs/{path}} (docs/gateway.md): read
 * ({@code GET}, {@code offset}/{@code length}), write ({@code PUT ?offset=}, creating the file),
 * stat ({@code GET ?stat}), list ({@code GET ?list}), open ({@code POST ?open}: stat that checks
 * the file can be opened, for write with {@code write=true}), create ({@code POST ?create}, {@code
 * exclusive=true}), mkdir ({@code POST ?mkdir}, with parents), rename ({@code POST ?rename=/to}),
 * truncate ({@code POST ?truncate=N}) and delete ({@code DELETE}: unlink a file, rmdir an empty
 * directory). Each read or write opens and closes the file on its own.
 */
final class FileEndpoints {

  static final String PREFIX = "/v1/fs";
  static final int MAX_READ = 256 << 20;

  void handle(HttpExchange ex, TenantClients.Clients c) throws IOException {
    String path = HttpGateway.rest(ex, PREFIX);
    if (path.isEmpty()) {
      path = "/";
    }
    Map<String, String> q = HttpGateway.query(ex);
    CatenaFiles files = c.client().files();
    switch (ex.getRequestMethod()) {
      case "GET", "HEAD" -> {
        if (q.containsKey("stat")) {
          HttpGateway.sendJson(ex, 200, stat(path, files.stat(path)));
        } else if (q.containsKey("list")) {
          List<DirEntry> entries = files.list(path);
          HttpGateway.sendJson(
              ex,
              200,
              Map.of(
                  "path",
                  path,
                  "entries",
                  entries.stream()
                      .map(
                          e ->
                              Map.of(
                                  "name",
                                  e.name(),
                                  "inode",
                                  e.inodeId(),
                                  "type",
                                  e.type().name().toLowerCase()))
                      .toList()));
        } else {
          read(ex, files, path, q);
        }
      }
      case "PUT" -> write(ex, files, path, q);
      case "POST" -> post(ex, files, path, q);
      case "DELETE" -> {
        FileStat s = files.stat(path);
        if (s.type() == FileType.DIRECTORY) {
          files.rmdir(path);
        } else {
          files.delete(path);
        }
        HttpGateway.sendEmpty(ex, 204);
      }
      default -> throw new HttpError(405, "METHOD_NOT_ALLOWED", ex.getRequestMethod());
    }
  }

  private static void read(HttpExchange ex, CatenaFiles files, String path, Map<String, String> q)
      throws IOException {
    long offset = HttpGateway.longParam(q, "offset", 0);
    if (offset < 0) {
      throw HttpError.badRequest("offset cannot be negative");
    }
    try (CatenaFile f = files.open(path)) {
      long available = Math.max(0, f.length() - offset);
      long length = Math.min(HttpGateway.longParam(q, "length", available), available);
      if (length > MAX_READ) {
        throw new HttpError(
            413, "TOO_LARGE", "read at most " + MAX_READ + " bytes a request (use offset/length)");
      }
      ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
      ex.getResponseHeaders().set("X-Catena-File-Length", Long.toString(f.length()));
      if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ByteBuffer dst = ByteBuffer.allocate((int) Math.max(0, length));
      if (length > 0) {
        f.read(offset, dst);
      }
      ex.sendResponseHeaders(200, length == 0 ? -1 : length);
      if (length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(dst.array(), 0, (int) length);
        }
      }
    }
  }

  private static void write(HttpExchange ex, CatenaFiles files, String path, Map<String, String> q)
      throws IOException {
    long offset = HttpGateway.longParam(q, "offset", 0);
    if (offset < 0) {
      throw HttpError.badRequest("offset cannot be negative");
    }
    byte[] body = HttpGateway.body(ex, MAX_READ);
    long length;
    try (CatenaFile f = files.create(path, CreateOptions.defaults())) {
      if (body.length > 0) {
        f.write(offset, ByteBuffer.wrap(body));
      }
      length = f.length();
    }
    HttpGateway.sendJson(ex, 200, Map.of("written", body.length, "length", length));
  }

  private static void post(HttpExchange ex, CatenaFiles files, String path, Map<String, String> q)
      throws IOException {
    if (q.containsKey("mkdir")) {
      HttpGateway.sendJson(ex, 201, stat(path, files.mkdirs(path)));
    } else if (q.containsKey("create")) {
      boolean exclusive = Boolean.parseBoolean(q.getOrDefault("exclusive", "false"));
      try (CatenaFile f = files.create(path, CreateOptions.defaults().withExclusive(exclusive))) {
        f.length();
      }
      HttpGateway.sendJson(ex, 201, stat(path, files.stat(path)));
    } else if (q.containsKey("open")) {
      boolean write = Boolean.parseBoolean(q.getOrDefault("write", "false"));
      try (CatenaFile f = files.open(path, write)) {
        f.length();
      }
      HttpGateway.sendJson(ex, 200, stat(path, files.stat(path)));
    } else if (q.containsKey("rename")) {
      String to = q.get("rename");
      if (to.isEmpty()) {
        throw HttpError.badRequest("rename needs a target: ?rename=/new/path");
      }
      files.rename(path, to);
      HttpGateway.sendJson(ex, 200, stat(to, files.stat(to)));
    } else if (q.containsKey("truncate")) {
      long length = HttpGateway.longParam(q, "truncate", -1);
      if (length < 0) {
        throw HttpError.badRequest("truncate needs a length: ?truncate=N");
      }
      HttpGateway.sendJson(ex, 200, stat(path, files.truncate(path, length)));
    } else {
      throw new CatenaException(
          ClientErrorCode.INVALID_ARGUMENT,
          "POST " + path + " needs one of ?mkdir, ?create, ?open, ?rename=, ?truncate=");
    }
  }

  static Map<String, Object> stat(String path, FileStat s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("inode", s.inodeId());
    m.put("type", s.type().name().toLowerCase());
    m.put("mode", String.format("%04o", s.mode()));
    m.put("uid", s.uid());
    m.put("gid", s.gid());
    m.put("length", s.length());
    m.put("mtime_ns", s.mtimeNanos());
    m.put("ctime_ns", s.ctimeNanos());
    return m;
  }
}
