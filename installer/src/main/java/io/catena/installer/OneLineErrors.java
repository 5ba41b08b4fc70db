package io.catena.installer;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one line on stderr and an exit code: 2 for bad input (nothing was done), 1
 * for a command that failed while running. Stack traces go to the log at debug level only.
 */
final class OneLineErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

  static final int BAD_INPUT = 2;
  static final int FAILED = 1;

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    command
        .getErr()
        .println(
            "catena: "
                + ex.getMessage()
                + " (see '"
                + command.getCommandSpec().qualifiedName()
                + " --help')");
    command.getErr().flush();
    return BAD_INPUT;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    command.getErr().println("catena: " + message);
    command.getErr().flush();
    org.slf4j.LoggerFactory.getLogger(OneLineErrors.class).debug("command failed", ex);
    return ex instanceof IllegalArgumentException ? BAD_INPUT : FAILED;
  }
}
