package io.catena.meta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the absolute paths of meta calls into names. Repeated and trailing slashes are ignored;
 * "." and ".." are refused (clients resolve them); a name is at most 255 UTF-8 bytes and holds no
 * NUL. Symlinks are never followed inside a path.
 */
public final class PathNames {

  public static final int MAX_NAME_BYTES = 255;
  public static final int MAX_PATH_BYTES = 4096;

  private PathNames() {}

  public static List<String> parse(String path) {
    if (path == null || !path.startsWith("/")) {
      throw MetaException.invalid("path '" + path + "' must be absolute (start with /)");
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw MetaException.invalid("path is longer than " + MAX_PATH_BYTES + " bytes");
    }
    List<String> names = new ArrayList<>();
    for (String name : path.split("/")) {
      if (name.isEmpty()) {
        continue;
      }
      checkName(name);
      names.add(name);
    }
    return names;
  }

  static void checkName(String name) {
    if (name.equals(".") || name.equals("..")) {
      throw MetaException.invalid("'" + name + "' is not allowed in a path; resolve it first");
    }
    if (name.indexOf('\0') >= 0) {
      throw MetaException.invalid("a name cannot contain NUL");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw MetaException.invalid("name is longer than " + MAX_NAME_BYTES + " bytes");
    }
  }
}
