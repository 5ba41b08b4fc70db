package io.catena.installer.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch script: console commands one a line; blank lines and lines starting with {@code #} are
 * skipped. The whole script is parsed before anything runs, so a line that does not parse stops it
 * with nothing done; then the lines run in order and the first that fails stops the rest. Either
 * way the error names the line.
 */
public final class BatchScript {

  /** Runs one command. */
  @FunctionalInterface
  public interface Runner {
    ConsoleClient.Result run(ConsoleCommand command) throws Exception;
  }

  /** One command line of the script. */
  public record Line(int number, String text, ConsoleCommand command) {}

  /** A line failed: to parse ({@code badInput}, nothing ran) or to run. */
  public static final class LineFailedException extends RuntimeException {
    private final int line;
    private final boolean badInput;

    LineFailedException(int line, String message, boolean badInput) {
      super("line " + line + ": " + message);
      this.line = line;
      this.badInput = badInput;
    }

    public int line() {
      return line;
    }

    public boolean badInput() {
      return badInput;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Line> lines;

  private BatchScript(List<Line> lines) {
    this.lines = List.copyOf(lines);
  }

  public List<Line> lines() {
    return lines;
  }

  /** Parses every line; the first that does not parse is a {@link LineFailedException}. */
  public static BatchScript parse(List<String> text) {
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < text.size(); i++) {
      String line = text.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        lines.add(new Line(i + 1, line, ConsoleCommandParser.parse(line)));
      } catch (IllegalArgumentException e) {
        throw new LineFailedException(i + 1, e.getMessage(), true);
      }
    }
    return new BatchScript(lines);
  }

  /**
   * Runs the lines in order, printing each result (text, or one JSON object a line); stops at the
   * first failure with a {@link LineFailedException} naming it.
   */
  public void run(Runner runner, PrintWriter out, boolean json) throws InterruptedException {
    for (Line line : lines) {
      ConsoleClient.Result result;
      try {
        result = runner.run(line.command());
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (json) {
          ObjectNode o = JSON.createObjectNode();
          o.put("line", line.number())
              .put("command", line.text())
              .put("ok", false)
              .put("error", message);
          out.println(o);
          out.flush();
        }
        throw new LineFailedException(
            line.number(), message, e instanceof IllegalArgumentException);
      }
      if (json) {
        ObjectNode o = JSON.createObjectNode();
        o.put("line", line.number()).put("command", line.text()).put("ok", true);
        o.set("result", result.json());
        out.println(o);
      } else {
        out.println("[" + line.number() + "] " + line.text());
        if (!result.text().isEmpty()) {
          out.println(result.text());
        }
      }
      out.flush();
    }
  }
}
