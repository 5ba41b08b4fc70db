package io.catena.agents;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** What must survive an agent restart besides the pid: the wanted state and the history. */
record DaemonStateFile(Desired desired, int restartCount, String lastExitReason) {

  /** What the operator asked for. HELD: wanted running, but held back as flapping. */
  enum Desired {
    RUNNING,
    STOPPED,
    HELD
  }

  static final DaemonStateFile NEW = new DaemonStateFile(Desired.STOPPED, 0, "");

  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("desired", desired.name());
    p.setProperty("restarts", Integer.toString(restartCount));
    p.setProperty("last-exit", lastExitReason);
    var out = new java.io.StringWriter();
    p.store(out, null);
    AgentLayout.writeAtomically(file, out.toString());
  }

  static DaemonStateFile read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return NEW;
    }
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(file)));
    try {
      return new DaemonStateFile(
          Desired.valueOf(p.getProperty("desired", "STOPPED")),
          Integer.parseInt(p.getProperty("restarts", "0")),
          p.getProperty("last-exit", ""));
    } catch (RuntimeException e) {
      throw new IOException("state file " + file + " is unreadable: " + e.getMessage(), e);
    }
  }
}
