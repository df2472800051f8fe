package io.cairn.testkit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3 protocol server (S3Proxy, objects in memory or in a temp directory) on 127.0.0.1 at a
 * random port, with signature-checked credentials. One {@link #shared()} server serves every test
 * of a JVM; each test takes its own {@link #newBucket() bucket}, so tests do not see each other's
 * objects.
 */
public final class S3Server implements AutoCloseable {
  /** The access key id the server accepts. */
  public static final String ACCESS_KEY = "cairn-test-access";

  /** The secret key the server accepts (a test value, not a secret). */
  public static final String SECRET_KEY = "cairn-test-secret-key";

  /** The region clients should sign for. */
  public static final String REGION = "us-east-1";

  private static S3Server shared;

  private final S3Proxy proxy;
  private final BlobStore backend;
  private final Path dir;
  private final URI endpoint;
  private final AtomicInteger buckets = new AtomicInteger();

  private S3Server(S3Proxy proxy, BlobStore backend, Path dir) {
    this.proxy = proxy;
    this.backend = backend;
    this.dir = dir;
    this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** The server this JVM's tests share, started on first use and stopped when the JVM exits. */
  public static synchronized S3Server shared() {
    if (shared == null) {
      shared = start();
      S3Server server = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "s3-server-stop"));
    }
    return shared;
  }

  /** Starts a new server of its own, keeping objects in memory; the caller closes it. */
  public static S3Server start() {
    return start(true);
  }

  /**
   * Starts a new server of its own; the caller closes it.
   *
   * @param inMemory keep objects in memory (fast, for tests), else as files in a temp directory
   *     (for benchmarks beside the local file-system store)
   */
  public static S3Server start(boolean inMemory) {
    try {
      Path dir = Files.createTempDirectory("cairn-s3proxy");
      Properties properties = new Properties();
      properties.setProperty("jclouds.filesystem.basedir", dir.toString());
      properties.setProperty("jclouds.identity", ACCESS_KEY);
      properties.setProperty("jclouds.credential", SECRET_KEY);
      // The in-memory backend also stores a key below an object's key ("a" and "a/b/c"); S3Proxy's
      // file backend cannot.
      BlobStore backend = BlobStores.create(inMemory ? "transient" : "filesystem", properties);
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(backend)
              .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
              .endpoint(URI.create("http://127.0.0.1:0"))
              .ignoreUnknownHeaders(true)
              .stopTimeout(0)
              .build();
      proxy.start();
      Await.until(
          "S3Proxy to start", Duration.ofSeconds(30), () -> "STARTED".equals(proxy.getState()));
      return new S3Server(proxy, backend, dir);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy: " + e.getMessage(), e);
    }
  }

  /** Where clients connect, {@code http://127.0.0.1:<port>}; use path-style access. */
  public URI endpoint() {
    return endpoint;
  }

  /** Creates a new, empty bucket with a name unique in this server, and returns its name. */
  public String newBucket() {
    String name = "cairn-test-" + buckets.incrementAndGet();
    backend.createContainer(name);
    return name;
  }

  /**
   * Writes objects straight into the server's storage, beside the S3 protocol, for tests that need
   * thousands of objects in a bucket to list: each costs microseconds instead of a signed HTTP
   * round trip. What clients then read of them goes through the protocol as any other object.
   *
   * @param objects object key to its bytes and user metadata (without the x-amz-meta- prefix)
   */
  public void seed(String bucket, Map<String, Map.Entry<byte[], Map<String, String>>> objects) {
    for (Map.Entry<String, Map.Entry<byte[], Map<String, String>>> o : objects.entrySet()) {
      byte[] bytes = o.getValue().getKey();
      backend.putBlob(
          software.amazon.awssdk.services.s3.model.PutObjectRequest.builder()
              .bucket(bucket)
              .key(o.getKey())
              .contentLength((long) bytes.length)
              .contentType("application/octet-stream")
              .metadata(o.getValue().getValue())
              .build(),
          new java.io.ByteArrayInputStream(bytes));
    }
  }

  /** The directory the server keeps its buckets in. */
  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop S3Proxy: " + e.getMessage(), e);
    }
  }
}
