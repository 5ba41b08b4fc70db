package io.catena.controlplane.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the admission webhooks: {@code POST /mutate-pods} (sidecar), {@code POST
 * /validate-catenacluster} (spec), {@code GET /healthz}. With a TLS directory it serves HTTPS from
 * {@code tls.crt} and a PKCS#8 {@code tls.key} (what the API server requires); without one, plain
 * HTTP (tests, or behind a TLS-terminating proxy).
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

  private final HttpServer server;

  private WebhookServer(HttpServer server) {
    this.server = server;
  }

  public static WebhookServer start(KubernetesClient client, InetSocketAddress address, Path tlsDir)
      throws IOException {
    HttpServer server;
    if (tlsDir == null) {
      server = HttpServer.create(address, 0);
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(sslContext(tlsDir)));
      server = https;
    }
    SidecarInjector injector = new SidecarInjector(client);
    server.createContext("/mutate-pods", ex -> review(ex, r -> injector.admit(r)));
    server.createContext("/validate-catenacluster", ex -> review(ex, SpecAdmission::admit));
    server.createContext(
        "/healthz",
        ex -> {
          byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, ok.length);
          ex.getResponseBody().write(ok);
          ex.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    LOG.info("webhooks listening on {}", server.getAddress());
    return new WebhookServer(server);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void review(
      HttpExchange ex,
      java.util.function.Function<
              io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest, AdmissionResponse>
          handler)
      throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      AdmissionReview review;
      try (InputStream in = ex.getRequestBody()) {
        review = Serialization.unmarshal(in, AdmissionReview.class);
      }
      AdmissionResponse response = handler.apply(review.getRequest());
      review.setRequest(null);
      review.setResponse(response);
      byte[] body = Serialization.asJson(review).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    } catch (RuntimeException e) {
      LOG.warn("admission review failed", e);
      ex.sendResponseHeaders(400, -1);
    }
  }

  static SSLContext sslContext(Path dir) throws IOException {
    try {
      Certificate[] chain;
      try (InputStream in = Files.newInputStream(dir.resolve("tls.crt"))) {
        chain =
            CertificateFactory.getInstance("X.509")
                .generateCertificates(in)
                .toArray(Certificate[]::new);
      }
      String pem = Files.readString(dir.resolve("tls.key"));
      if (!pem.contains("BEGIN PRIVATE KEY")) {
        throw new IOException(
            dir.resolve("tls.key")
                + " must be a PKCS#8 key (BEGIN PRIVATE KEY); convert it with"
                + " openssl pkcs8 -topk8 -nocrypt");
      }
      byte[] der =
          Base64.getMimeDecoder()
              .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      String algorithm = chain[0].getPublicKey().getAlgorithm();
      PrivateKey key =
          KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("webhook", key, new char[0], chain);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, new char[0]);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(
          "cannot load the webhook certificate from " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
