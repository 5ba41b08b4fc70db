package io.catena.kv;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;

/**
 * The conformance suite against a real FoundationDB cluster, named by the environment variable
 * {@code CATENA_FDB_CLUSTER_FILE} (the client library libfdb_c 7.3 must be installed). Without it
 * every test is reported as skipped with that reason.
 */
class FdbKvEngineTest extends KvEngineConformance {

  private static KvEngine shared;

  private static synchronized KvEngine connect() {
    String clusterFile = System.getenv("CATENA_FDB_CLUSTER_FILE");
    assumeTrue(
        clusterFile != null && !clusterFile.isBlank(),
        "CATENA_FDB_CLUSTER_FILE is not set: no FoundationDB cluster to test against (the fdb"
            + " backend needs libfdb_c 7.3 and a cluster file)");
    if (shared == null) {
      shared = KvEngines.open("fdb:" + clusterFile);
    }
    return shared;
  }

  @AfterAll
  static void disconnect() {
    if (shared != null) {
      shared.close();
    }
  }

  @Override
  protected KvEngine openEngine() {
    return connect();
  }

  @Override
  protected boolean closeAfterEachTest() {
    return false;
  }
}
