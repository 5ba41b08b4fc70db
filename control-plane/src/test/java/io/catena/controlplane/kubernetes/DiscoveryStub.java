package io.catena.controlplane.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of an API server for {@code kubectl apply --dry-run=client}: legacy discovery for the
 * kinds under installer/k8s, and 404 for every object. Binds 127.0.0.1 on an ephemeral port.
 */
final class DiscoveryStub implements AutoCloseable {
  /** group/version → resources as {plural, Kind, namespaced}. */
  private static final Map<String, List<String[]>> RESOURCES = new LinkedHashMap<>();

  static {
    RESOURCES.put(
        "v1",
        List.of(
            new String[] {"namespaces", "Namespace", "false"},
            new String[] {"serviceaccounts", "ServiceAccount", "true"},
            new String[] {"services", "Service", "true"}));
    RESOURCES.put("apps/v1", List.<String[]>of(new String[] {"deployments", "Deployment", "true"}));
    RESOURCES.put(
        "rbac.authorization.k8s.io/v1",
        List.of(
            new String[] {"clusterroles", "ClusterRole", "false"},
            new String[] {"clusterrolebindings", "ClusterRoleBinding", "false"}));
    RESOURCES.put(
        "apiextensions.k8s.io/v1",
        List.<String[]>of(
            new String[] {"customresourcedefinitions", "CustomResourceDefinition", "false"}));
    RESOURCES.put(
        "admissionregistration.k8s.io/v1",
        List.of(
            new String[] {"mutatingwebhookconfigurations", "MutatingWebhookConfiguration", "false"},
            new String[] {
              "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", "false"
            }));
    RESOURCES.put(
        "networking.k8s.io/v1",
        List.<String[]>of(new String[] {"networkpolicies", "NetworkPolicy", "true"}));
    RESOURCES.put(
        "catena.io/v1alpha1",
        List.<String[]>of(new String[] {"catenaclusters", "CatenaCluster", "true"}));
  }

  private final HttpServer server;

  private DiscoveryStub(HttpServer server) {
    this.server = server;
  }

  static DiscoveryStub start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", DiscoveryStub::handle);
    server.start();
    return new DiscoveryStub(server);
  }

  String kubeconfig() {
    return """
        apiVersion: v1
        kind: Config
        clusters: [{name: stub, cluster: {server: "http://127.0.0.1:%d"}}]
        users: [{name: stub, user: {}}]
        contexts: [{name: stub, context: {cluster: stub, user: stub, namespace: default}}]
        current-context: stub
        """
        .formatted(server.getAddress().getPort());
  }

  private static void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String body = null;
    if (path.equals("/api")) {
      body =
          "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
              + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}";
    } else if (path.equals("/apis")) {
      List<String> groups = new ArrayList<>();
      for (String gv : RESOURCES.keySet()) {
        if (gv.contains("/")) {
          String group = gv.substring(0, gv.indexOf('/'));
          String version = gv.substring(gv.indexOf('/') + 1);
          String v = "{\"groupVersion\":\"" + gv + "\",\"version\":\"" + version + "\"}";
          groups.add(
              "{\"name\":\""
                  + group
                  + "\",\"versions\":["
                  + v
                  + "],\"preferredVersion\":"
                  + v
                  + "}");
        }
      }
      body =
          "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":["
              + String.join(",", groups)
              + "]}";
    } else {
      String gv =
          path.startsWith("/api/")
              ? path.substring(5)
              : path.startsWith("/apis/") ? path.substring(6) : "";
      List<String[]> resources = RESOURCES.get(gv);
      if (resources != null) {
        List<String> items = new ArrayList<>();
        for (String[] r : resources) {
          items.add(
              "{\"name\":\""
                  + r[0]
                  + "\",\"singularName\":\"\",\"namespaced\":"
                  + r[2]
                  + ",\"kind\":\""
                  + r[1]
                  + "\",\"verbs\":[\"get\",\"list\",\"create\",\"update\",\"patch\",\"delete\"]}");
        }
        body =
            "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
                + gv
                + "\",\"resources\":["
                + String.join(",", items)
                + "]}";
      }
    }
    int code = body == null ? 404 : 200;
    if (body == null) {
      body =
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
