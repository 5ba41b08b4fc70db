package io.catena.agents;

import io.catena.protocol.agent.DaemonKind;
import io.catena.protocol.agent.DaemonSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The argv, environment and directories of one daemon, with the spec's placeholders filled in. */
record LaunchPlan(
    List<String> argv,
    Map<String, String> env,
    Path daemonDir,
    Path configFile,
    List<Path> dataDirs,
    Path logFile) {

  static LaunchPlan of(DaemonSpec spec, AgentLayout layout, Optional<Path> catenaHome) {
    String name = spec.getName();
    Path configFile = layout.configDir(name).resolve(configFileName(spec));
    List<Path> dataDirs = new ArrayList<>();
    for (String dir : spec.getDataDirsList()) {
      Path path = Path.of(dir);
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException("data dir '" + dir + "' must be an absolute path");
      }
      dataDirs.add(path.normalize());
    }
    if (dataDirs.isEmpty()) {
      dataDirs.add(layout.defaultDataDir(name));
    }
    Map<String, String> values = new LinkedHashMap<>();
    values.put("${config}", configFile.toString());
    values.put("${data}", dataDirs.getFirst().toString());
    values.put("${logs}", layout.logsDir(name).toString());
    values.put("${dir}", layout.daemonDir(name).toString());
    values.put("${name}", name);
    values.put("${kind}", kindWord(spec.getKind()));
    values.put("${version}", spec.getVersion());

    List<String> argv = new ArrayList<>();
    if (spec.getCommandCount() == 0) {
      Path home =
          catenaHome.orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "the spec has no command and the agent knows no CATENA_HOME to run"
                          + " bin/catena daemon from"));
      argv.addAll(
          List.of(
              home.resolve("bin/catena").toString(),
              "daemon",
              kindWord(spec.getKind()),
              "--config",
              "${config}"));
    } else {
      argv.addAll(spec.getCommandList());
    }
    argv.replaceAll(arg -> substitute(arg, values));
    Map<String, String> env = new LinkedHashMap<>();
    spec.getEnvMap().forEach((key, value) -> env.put(key, substitute(value, values)));
    env.put("CATENA_DAEMON_NAME", name);
    env.put("CATENA_DAEMON_DIR", layout.daemonDir(name).toString());
    if (io.catena.protocol.security.TlsIdentityFiles.in(layout.tlsDir()).present()) {
      // The node's certificate from the cluster CA: the daemon serves and dials mutual TLS.
      env.put("CATENA_TLS_DIR", layout.tlsDir().toString());
    }
    return new LaunchPlan(
        List.copyOf(argv),
        Map.copyOf(env),
        layout.daemonDir(name),
        configFile,
        List.copyOf(dataDirs),
        layout.logFile(name));
  }

  static String configFileName(DaemonSpec spec) {
    String file = spec.getConfigFileName();
    if (file.isEmpty()) {
      return kindWord(spec.getKind()) + ".conf";
    }
    if (file.contains("/") || file.equals("..") || file.equals(".")) {
      throw new IllegalArgumentException("config file name '" + file + "' must be a plain name");
    }
    return file;
  }

  /** mgmtd, meta, storage, gateway: the word `catena daemon` takes. */
  static String kindWord(DaemonKind kind) {
    return switch (kind) {
      case DAEMON_KIND_MGMTD -> "mgmtd";
      case DAEMON_KIND_META -> "meta";
      case DAEMON_KIND_STORAGE -> "storage";
      case DAEMON_KIND_GATEWAY -> "gateway";
      case DAEMON_KIND_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException(
              "daemon kind must be one of " + List.of("mgmtd", "meta", "storage", "gateway"));
    };
  }

  private static String substitute(String text, Map<String, String> values) {
    String result = text;
    for (var entry : values.entrySet()) {
      result = result.replace(entry.getKey(), entry.getValue());
    }
    if (result.contains("${")) {
      String unknown = result.substring(result.indexOf("${"));
      throw new IllegalArgumentException(
          "unknown placeholder in '"
              + text
              + "' at "
              + unknown
              + "; known: "
              + String.join(" ", values.keySet()).toLowerCase(Locale.ROOT));
    }
    return result;
  }
}
