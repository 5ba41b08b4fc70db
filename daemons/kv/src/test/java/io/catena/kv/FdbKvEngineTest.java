package io.catena.kv;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance suite against a real FoundationDB cluster, named by the environment variable
 * {@code CATENA_FDB_CLUSTER_FILE} (the client library libfdb_c 7.3 must be installed). Without it
 * every test is reported as skipped with that reason.
 */
class FdbKvEngineTest extends KvEngineConformance {

  private static KvEngine shared;

  @BeforeAll
  static void connect() {
    String clusterFile = System.getenv("CATENA_FDB_CLUSTER_FILE");
    assumeTrue(
        clusterFile != null && !clusterFile.isBlank(),
        "CATENA_FDB_CLUSTER_FILE is not set: no FoundationDB cluster to test against (the fdb"
            + " backend needs libfdb_c 7.3 and a cluster file)");
    shared = KvEngines.open("fdb:" + clusterFile);
  }

  @AfterAll
  static void disconnect() {
    if (shared != null) {
      shared.close();
    }
  }

  @Override
  protected KvEngine openEngine() {
    return shared;
  }

  @Override
  protected boolean closeAfterEachTest() {
    return false;
  }
}
