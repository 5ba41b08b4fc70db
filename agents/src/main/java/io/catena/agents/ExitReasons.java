package io.catena.agents;

/** Words for how a process ended. */
final class ExitReasons {

  private ExitReasons() {}

  /** The JDK reports a process killed by signal N as exit value 128 + N. */
  static String of(int exitValue) {
    if (exitValue > 128 && exitValue < 128 + 65) {
      int signal = exitValue - 128;
      return "killed by signal " + signal + signalName(signal);
    }
    return "exit code " + exitValue;
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 1 -> " (SIGHUP)";
      case 2 -> " (SIGINT)";
      case 6 -> " (SIGABRT)";
      case 9 -> " (SIGKILL)";
      case 11 -> " (SIGSEGV)";
      case 15 -> " (SIGTERM)";
      default -> "";
    };
  }
}
