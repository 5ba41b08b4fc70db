package io.catena.installer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Catena version this distribution was built as, and the Java runtime running it. */
public record BuildVersion(String version, String javaRuntime) {

  private static final String RESOURCE = "build.properties";

  /** Reads the version stamped into the installer jar at build time. */
  public static BuildVersion current() {
    Properties properties = new Properties();
    try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the installer jar");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    String runtime =
        System.getProperty("java.vendor")
            + " "
            + Runtime.version()
            + " ("
            + System.getProperty("java.home")
            + ")";
    return new BuildVersion(properties.getProperty("version"), runtime);
  }
}
