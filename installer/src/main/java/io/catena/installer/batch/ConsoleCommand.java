package io.catena.installer.batch;

import java.time.Duration;
import java.util.List;

/**
 * One console command, as a batch line or {@code catena <command>} holds it. {@code wait} on an
 * operation means: follow it until it ends, and fail unless it succeeded.
 */
public sealed interface ConsoleCommand {

  record Status() implements ConsoleCommand {}

  record Nodes() implements ConsoleCommand {}

  record Chains() implements ConsoleCommand {}

  record Operations() implements ConsoleCommand {}

  record ScaleOut(int nodes, int step, String mode, boolean follow) implements ConsoleCommand {}

  record Repair(long target, boolean follow) implements ConsoleCommand {}

  record Drain(String node, boolean decommission, boolean follow) implements ConsoleCommand {}

  record RollingRestart(List<String> nodes, boolean follow) implements ConsoleCommand {
    public RollingRestart {
      nodes = List.copyOf(nodes);
    }
  }

  record Rebalance(String window, boolean follow) implements ConsoleCommand {}

  record WaitReady(Duration timeout) implements ConsoleCommand {}

  record TenantCreate(String name, long quotaBytes, long quotaFiles) implements ConsoleCommand {}

  /** {@code purge}: remove the tenant's files and KV entries with it instead of refusing. */
  record TenantDelete(String name, boolean purge) implements ConsoleCommand {}

  /** {@code paused} null: only show the state. */
  record SelfHealing(Boolean paused) implements ConsoleCommand {}
}
