package io.catena.installer.batch;

import io.catena.controlplane.spec.ByteSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses console commands: words separated by blanks, options as {@code --name value} or {@code
 * --name=value}. Every mistake is an {@link IllegalArgumentException} saying what is wrong and what
 * was expected; nothing is run for a line that does not parse.
 */
public final class ConsoleCommandParser {

  /** The commands, as the usage line of each. */
  public static final List<String> USAGE =
      List.of(
          "status",
          "nodes",
          "chains",
          "operations",
          "scale-out --nodes N [--step N] [--mode auto|migrate|new-chains] [--no-wait]",
          "repair --target ID [--no-wait]",
          "drain --node ID [--decommission] [--no-wait]",
          "rolling-restart [--nodes A,B] [--no-wait]",
          "rebalance [--window 1m|5m|15m|1h] [--no-wait]",
          "wait ready [--timeout 60s]",
          "tenant create NAME [--quota 10GiB] [--files N]",
          "tenant delete NAME [--purge]",
          "self-healing pause|resume|status");

  private ConsoleCommandParser() {}

  public static ConsoleCommand parse(String line) {
    List<String> words = new ArrayList<>(Arrays.asList(line.strip().split("\\s+")));
    if (words.isEmpty() || words.getFirst().isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
    String name = words.removeFirst().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "status" -> noArgs(name, words, new ConsoleCommand.Status());
      case "nodes" -> noArgs(name, words, new ConsoleCommand.Nodes());
      case "chains" -> noArgs(name, words, new ConsoleCommand.Chains());
      case "operations" -> noArgs(name, words, new ConsoleCommand.Operations());
      case "scale-out" -> {
        Args a = Args.of(name, words, Set.of("nodes", "step", "mode"), Set.of("no-wait"), 0);
        yield new ConsoleCommand.ScaleOut(
            a.positiveInt("nodes", true),
            a.has("step") ? a.positiveInt("step", true) : 0,
            mode(a.value("mode", "auto")),
            !a.flag("no-wait"));
      }
      case "repair" -> {
        Args a = Args.of(name, words, Set.of("target"), Set.of("no-wait"), 0);
        yield new ConsoleCommand.Repair(a.positiveLong("target"), !a.flag("no-wait"));
      }
      case "drain" -> {
        Args a = Args.of(name, words, Set.of("node"), Set.of("decommission", "no-wait"), 0);
        yield new ConsoleCommand.Drain(
            a.required("node"), a.flag("decommission"), !a.flag("no-wait"));
      }
      case "rolling-restart" -> {
        Args a = Args.of(name, words, Set.of("nodes"), Set.of("no-wait"), 0);
        List<String> nodes = a.has("nodes") ? List.of(a.required("nodes").split(",")) : List.of();
        yield new ConsoleCommand.RollingRestart(nodes, !a.flag("no-wait"));
      }
      case "rebalance" -> {
        Args a = Args.of(name, words, Set.of("window"), Set.of("no-wait"), 0);
        String window = a.value("window", "5m");
        if (!List.of("1m", "5m", "15m", "1h").contains(window)) {
          throw new IllegalArgumentException(
              "rebalance: --window is 1m, 5m, 15m or 1h, got '" + window + "'");
        }
        yield new ConsoleCommand.Rebalance(window, !a.flag("no-wait"));
      }
      case "wait" -> {
        Args a = Args.of(name, words, Set.of("timeout"), Set.of(), 1);
        if (!a.positional.getFirst().equals("ready")) {
          throw new IllegalArgumentException(
              "wait: only 'wait ready' exists, got 'wait " + a.positional.getFirst() + "'");
        }
        yield new ConsoleCommand.WaitReady(duration(a.value("timeout", "60s")));
      }
      case "tenant" -> {
        if (!words.isEmpty() && words.getFirst().equals("delete")) {
          Args d = Args.of(name, words, Set.of(), Set.of("purge"), 2);
          yield new ConsoleCommand.TenantDelete(d.positional.get(1), d.flag("purge"));
        }
        Args a = Args.of(name, words, Set.of("quota", "files"), Set.of(), 2);
        if (!a.positional.getFirst().equals("create")) {
          throw new IllegalArgumentException(
              "tenant: 'tenant create NAME' or 'tenant delete NAME', got 'tenant "
                  + a.positional.getFirst()
                  + "'");
        }
        String tenant = a.positional.get(1);
        long quota = a.has("quota") ? ByteSize.parse(a.required("quota")) : 0;
        long files = a.has("files") ? a.positiveLong("files") : 0;
        yield new ConsoleCommand.TenantCreate(tenant, quota, files);
      }
      case "self-healing" -> {
        Args a = Args.of(name, words, Set.of(), Set.of(), 1);
        yield switch (a.positional.getFirst()) {
          case "pause" -> new ConsoleCommand.SelfHealing(true);
          case "resume" -> new ConsoleCommand.SelfHealing(false);
          case "status" -> new ConsoleCommand.SelfHealing(null);
          default ->
              throw new IllegalArgumentException(
                  "self-healing: pause, resume or status, got '" + a.positional.getFirst() + "'");
        };
      }
      default ->
          throw new IllegalArgumentException(
              "unknown command '" + name + "'; commands: " + String.join(", ", names()));
    };
  }

  private static List<String> names() {
    return USAGE.stream().map(u -> u.split(" ")[0]).distinct().toList();
  }

  private static ConsoleCommand noArgs(String name, List<String> words, ConsoleCommand command) {
    if (!words.isEmpty()) {
      throw new IllegalArgumentException(
          name + " takes no arguments, got '" + String.join(" ", words) + "'");
    }
    return command;
  }

  private static String mode(String mode) {
    if (!List.of("auto", "migrate", "new-chains").contains(mode)) {
      throw new IllegalArgumentException(
          "scale-out: --mode is auto, migrate or new-chains, got '" + mode + "'");
    }
    return mode;
  }

  /** Parses {@code 500ms}, {@code 60s}, {@code 2m}, {@code 1h}. */
  static Duration duration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "a duration is a number with ms, s, m or h (60s), got '" + text + "'");
    }
  }

  /** Options and positional words of one command. */
  private static final class Args {
    final String command;
    final Map<String, String> values = new HashMap<>();
    final Set<String> flags = new HashSet<>();
    final List<String> positional = new ArrayList<>();

    private Args(String command) {
      this.command = command;
    }

    static Args of(
        String command,
        List<String> words,
        Set<String> valued,
        Set<String> flagNames,
        int positionals) {
      Args a = new Args(command);
      for (int i = 0; i < words.size(); i++) {
        String w = words.get(i);
        if (!w.startsWith("--")) {
          a.positional.add(w);
          continue;
        }
        String key = w.substring(2);
        String value = null;
        int eq = key.indexOf('=');
        if (eq >= 0) {
          value = key.substring(eq + 1);
          key = key.substring(0, eq);
        }
        if (flagNames.contains(key)) {
          if (value != null) {
            throw new IllegalArgumentException(command + ": --" + key + " takes no value");
          }
          a.flags.add(key);
        } else if (valued.contains(key)) {
          if (value == null) {
            if (i + 1 >= words.size() || words.get(i + 1).startsWith("--")) {
              throw new IllegalArgumentException(command + ": --" + key + " needs a value");
            }
            value = words.get(++i);
          }
          if (a.values.put(key, value) != null) {
            throw new IllegalArgumentException(command + ": --" + key + " is given twice");
          }
        } else {
          List<String> known = new ArrayList<>();
          valued.forEach(v -> known.add("--" + v));
          flagNames.forEach(f -> known.add("--" + f));
          throw new IllegalArgumentException(
              command
                  + ": unknown option --"
                  + key
                  + (known.isEmpty()
                      ? " (it takes none)"
                      : "; options: " + String.join(", ", known.stream().sorted().toList())));
        }
      }
      if (a.positional.size() != positionals) {
        throw new IllegalArgumentException(
            command
                + ": expected "
                + positionals
                + " word(s) after the command, got "
                + a.positional.size()
                + (a.positional.isEmpty() ? "" : " (" + String.join(" ", a.positional) + ")"));
      }
      return a;
    }

    boolean has(String key) {
      return values.containsKey(key);
    }

    boolean flag(String key) {
      return flags.contains(key);
    }

    String value(String key, String fallback) {
      return values.getOrDefault(key, fallback);
    }

    String required(String key) {
      String v = values.get(key);
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(command + ": --" + key + " is required");
      }
      return v;
    }

    int positiveInt(String key, boolean required) {
      long v = positiveLong(key);
      if (v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(command + ": --" + key + " is too large");
      }
      return (int) v;
    }

    long positiveLong(String key) {
      String v = required(key);
      try {
        long n = Long.parseLong(v);
        if (n <= 0) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            command + ": --" + key + " must be a positive number, got '" + v + "'");
      }
    }
  }
}
