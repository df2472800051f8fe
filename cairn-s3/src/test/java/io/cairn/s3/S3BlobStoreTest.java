package io.cairn.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.internal.blob.Sha256;
import io.cairn.s3.FaultInjectingProxy.Fault;
import io.cairn.spi.BlobInfo;
import io.cairn.spi.BlobKey;
import io.cairn.testkit.GeneratedStream;
import io.cairn.testkit.S3Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** What the contract cannot see: multipart streaming, conditional writes, retries, presigning. */
class S3BlobStoreTest {
  private static final int PART = (int) S3Options.MIN_PART_SIZE;

  private final S3Server server = S3Server.shared();
  private String bucket;
  private FaultInjectingProxy proxy;
  private S3BlobStore store;
  private S3Client raw;

  @BeforeEach
  void open() throws IOException {
    bucket = server.newBucket();
    proxy = new FaultInjectingProxy(server.endpoint());
    S3Options options =
        S3BlobStoreContractTest.testOptions(server)
            .withEndpoint(proxy.endpoint())
            .withRetries(4, Duration.ofSeconds(30));
    store = S3BlobStore.open("s3://" + bucket + "/p", options);
    raw = S3Clients.client(S3BlobStoreContractTest.testOptions(server));
  }

  @AfterEach
  void close() throws IOException {
    store.close();
    raw.close();
    proxy.close();
  }

  @Test
  void largeBlobStreamsThroughWithOnlyAFewPartsInFlight() throws IOException {
    long size = 96L * 1024 * 1024 + 17;
    // The source checks, on every read, that the store never ran more than two parts ahead of
    // what the server has received: a blob that sat in memory would run the whole way ahead.
    GeneratedStream source =
        new GeneratedStream(size, 11).pacedBy(proxy::upstreamBytes, 2L * PART + 1024 * 1024);
    BlobKey key = BlobKey.of("big", "stream.bin");

    BlobInfo put = store.put(key, source);

    String expected = HexFormat.of().formatHex(source.digest());
    assertThat(put.size()).isEqualTo(size);
    assertThat(put.sha256()).isEqualTo(expected);
    assertThat(source.maxLead()).isLessThanOrEqualTo(2L * PART + 1024 * 1024);
    assertThat(store.info(key)).contains(put);
    MessageDigest back = Sha256.newDigest();
    long read = 0;
    try (InputStream in = store.get(key).orElseThrow()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; read += n) {
        back.update(buffer, 0, n);
      }
    }
    assertThat(read).isEqualTo(size);
    assertThat(HexFormat.of().formatHex(back.digest())).isEqualTo(expected);
  }

  @Test
  void failedMultipartUploadPublishesNothingAndIsAborted() throws IOException {
    BlobKey key = new BlobKey("broken/big.bin");
    InputStream failing =
        new SequenceInputStream(
            new GeneratedStream(3L * PART + 5, 3),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("source broke after three parts");
              }
            });

    assertThatThrownBy(() -> store.put(key, failing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("source broke");

    assertThat(store.exists(key)).isFalse();
    assertThat(store.list("", null, 10).items()).isEmpty();
    assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void serverHonoursTheConditionalWriteOfOnePartAndOfAMultipartBlob() throws IOException {
    // Straight to the uploads, past putIfAbsent's own existence check: the server must refuse.
    Uploads uploads = new Uploads(raw, bucket, PART);
    BlobKey small = new BlobKey("small");
    BlobKey large = new BlobKey("large");
    byte[] big = new byte[PART + 100];

    assertThat(uploads.upload(small, "small", new ByteArrayInputStream(bytes("1")), true))
        .isNotNull();
    assertThat(uploads.upload(small, "small", new ByteArrayInputStream(bytes("2")), true)).isNull();
    assertThat(uploads.upload(large, "large", new ByteArrayInputStream(big), true)).isNotNull();
    big[0] = 7;
    assertThat(uploads.upload(large, "large", new ByteArrayInputStream(big), true)).isNull();

    assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key("small")).asUtf8String())
        .isEqualTo("1");
    assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key("large")).asByteArray()[0])
        .isEqualTo((byte) 0);
    assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
  }

  @Test
  void transientFailuresAreRetriedWithBackoff() throws IOException {
    BlobKey key = new BlobKey("retried");
    // Faults hit new connections; this store has opened none yet.
    proxy.failNext(Fault.SLOW_DOWN, Fault.RESET);

    BlobInfo put = store.putBytes(key, bytes("survived"));

    assertThat(proxy.injected()).isEqualTo(2);
    assertThat(store.getBytes(key)).hasValue(bytes("survived"));
    assertThat(store.info(key)).contains(put);
    assertThat(proxy.connections()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void aCreateOnlyPutWhoseAnswerWasLostKnowsItWroteTheBlobWhenItsRetryIsRefused()
      throws IOException {
    S3Options throughProxy =
        S3BlobStoreContractTest.testOptions(server).withEndpoint(proxy.endpoint());
    try (S3Client client = S3Clients.client(throughProxy)) {
      Uploads uploads = new Uploads(client, bucket, PART);
      proxy.failNext(Fault.LOSE_ANSWER);

      Uploads.Published published =
          uploads.upload(
              new BlobKey("lost"), "lost", new ByteArrayInputStream(bytes("mine")), true);

      assertThat(proxy.injected()).isEqualTo(1);
      assertThat(published).isNotNull();
      assertThat(raw.getObjectAsBytes(b -> b.bucket(bucket).key("lost")).asUtf8String())
          .isEqualTo("mine");
      assertThat(
              uploads.upload(
                  new BlobKey("lost"), "lost", new ByteArrayInputStream(bytes("2")), true))
          .as("a second writer is still refused")
          .isNull();
    }
  }

  @Test
  void persistentFailureEndsInAnIoExceptionThatSaysHowOftenItTried() {
    proxy.failNext(Fault.SLOW_DOWN, Fault.SLOW_DOWN, Fault.SLOW_DOWN, Fault.SLOW_DOWN);

    assertThatThrownBy(() -> store.putBytes(new BlobKey("never"), bytes("x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'never'")
        .hasMessageContaining("503")
        .hasMessageContaining("after 4 attempts");
    assertThat(proxy.injected()).isEqualTo(4);
  }

  @Test
  void presignedUrlDownloadsWithAPlainGet() throws IOException {
    BlobKey key = BlobKey.of("shared", "report.csv");
    store.putBytes(key, bytes("a,b\n1,2\n"));

    URI url = store.presignedGetUrl(key, Duration.ofMinutes(5));
    HttpURLConnection get = (HttpURLConnection) url.toURL().openConnection();

    assertThat(get.getResponseCode()).isEqualTo(200);
    try (InputStream in = get.getInputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(bytes("a,b\n1,2\n"));
    }
    assertThat(url.getQuery()).contains("X-Amz-Signature").doesNotContain(S3Server.SECRET_KEY);
    assertThatThrownBy(() -> store.presignedGetUrl(key, Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("7 days");
  }

  @Test
  void multipartHashIsRecomputedWhenItsRecordIsLostOrStale() throws IOException {
    BlobKey key = new BlobKey("rehash");
    byte[] content = new byte[PART + 1];
    content[PART] = 1;
    BlobInfo put = store.putBytes(key, content);
    raw.deleteObject(b -> b.bucket(bucket).key("p/.cairn#/sha256/rehash"));

    assertThat(store.info(key)).contains(put);
    raw.putObject(
        b -> b.bucket(bucket).key("p/.cairn#/sha256/rehash"),
        software.amazon.awssdk.core.sync.RequestBody.fromString(
            "\"other-etag\" " + content.length + " " + "0".repeat(64)));
    assertThat(store.info(key)).contains(put);
    assertThat(store.list("", null, 10).items()).extracting(BlobInfo::key).containsExactly(key);
  }

  @Test
  void aMissingBucketOrRefusedCredentialsFailAndNeverReadAsAnEmptyStore() {
    S3Options options = S3BlobStoreContractTest.testOptions(server);
    try (S3BlobStore missing = S3BlobStore.open("s3://no-such-bucket/x", options)) {
      BlobKey key = new BlobKey("k");
      assertThatThrownBy(() -> missing.exists(key))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("'no-such-bucket' does not exist")
          .hasMessageContaining("create it first");
      assertThatThrownBy(() -> missing.get(key)).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> missing.putBytes(key, bytes("x")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("bucket");
    }
    S3Options wrongSecret = options.withCredentials(S3Server.ACCESS_KEY, "wrong-secret");
    try (S3BlobStore refused = S3BlobStore.open("s3://" + bucket, wrongSecret)) {
      assertThatThrownBy(() -> refused.getBytes(new BlobKey("k")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("403")
          .hasMessageContaining("credentials")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-secret"));
    }
  }

  @Test
  void badLocationsAndOptionsAreRefusedWithTheFix() {
    for (String bad : new String[] {"file:///x", "s3://", "s3://B/x", "s3://b/x", "s3://bu/a#b"}) {
      assertThatThrownBy(() -> S3BlobStore.open(bad, S3Options.defaults()))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("s3://bucket/prefix");
    }
    assertThatThrownBy(() -> S3Options.defaults().withPartSize(1024)).hasMessageContaining("5 MiB");
    assertThatThrownBy(() -> S3Options.fromEnvironment(Map.of("CAIRN_S3_ENDPOINT", "ftp://x")))
        .hasMessageContaining("ftp://x");
    String shown = S3Options.defaults().withCredentials("AKIDEXAMPLE", "very-secret").toString();
    assertThat(shown).contains("AKIDEXAMPLE").doesNotContain("very-secret");
    assertThat(S3Options.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")))
        .satisfies(
            o -> {
              assertThat(o.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
              assertThat(o.pathStyle()).isTrue();
            });
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}
