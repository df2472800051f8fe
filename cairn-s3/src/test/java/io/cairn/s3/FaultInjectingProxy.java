package io.cairn.s3;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a real S3 server that can fail the next connections the way
 * a busy or flaky S3 does (a 503 SlowDown answer, or a connection reset), and counts the bytes it
 * forwarded to the server, so tests can see how far a client's upload has gone.
 */
final class FaultInjectingProxy implements AutoCloseable {
  enum Fault {
    /** Answer 503 SlowDown without passing the request on. */
    SLOW_DOWN,
    /** Reset the connection without passing the request on. */
    RESET,
    /** Pass the request on, then reset the connection once the server answers: a lost answer. */
    LOSE_ANSWER
  }

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final AtomicInteger injected = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong upstreamBytes = new AtomicLong();

  FaultInjectingProxy(URI target) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The next connections, one fault each, fail in this order; later ones pass through. */
  synchronized void failNext(Fault... next) {
    faults.addAll(java.util.List.of(next));
  }

  int injected() {
    return injected.get();
  }

  int connections() {
    return connections.get();
  }

  long upstreamBytes() {
    return upstreamBytes.get();
  }

  private synchronized Fault nextFault() {
    return faults.pollFirst();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        threads.execute(() -> serve(client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    Fault fault = nextFault();
    try (client) {
      if (fault == Fault.LOSE_ANSWER) {
        loseAnswer(client);
        return;
      }
      if (fault != null) {
        String head = readHead(client.getInputStream());
        injected.incrementAndGet();
        if (fault == Fault.RESET) {
          client.setSoLinger(true, 0); // close with RST, as a dropped connection looks
        } else {
          // Read the request's body first, as a server does, so the client sees the answer
          // rather than a failed write.
          client.getInputStream().readNBytes((int) contentLength(head));
          String body =
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                  + "<Message>Please reduce your request rate.</Message></Error>";
          String response =
              "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
                  + body.length()
                  + "\r\nConnection: close\r\n\r\n"
                  + body;
          client.getOutputStream().write(response.getBytes(US_ASCII));
          client.getOutputStream().flush();
        }
        return;
      }
      try (Socket upstream = new Socket(target.getAddress(), target.getPort())) {
        var toServer =
            threads.submit(
                () -> pump(client.getInputStream(), upstream.getOutputStream(), upstreamBytes));
        pump(upstream.getInputStream(), client.getOutputStream(), new AtomicLong());
        toServer.cancel(true);
      }
    } catch (Exception ignored) {
      // A connection ended; the client sees it as the test intends.
    }
  }

  private void loseAnswer(Socket client) throws IOException {
    try (Socket upstream = new Socket(target.getAddress(), target.getPort())) {
      threads.submit(
          () -> pump(client.getInputStream(), upstream.getOutputStream(), upstreamBytes));
      if (upstream.getInputStream().read() >= 0) { // the server has carried the request out
        injected.incrementAndGet();
      }
      client.setSoLinger(true, 0);
    }
  }

  private static Void pump(InputStream in, OutputStream out, AtomicLong counter)
      throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        out.flush();
        counter.addAndGet(n);
      }
    } finally {
      out.close(); // half-close towards the other side ends its pump too
    }
    return null;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(US_ASCII);
    for (int b; matched < 4 && (b = in.read()) >= 0; ) {
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(US_ASCII);
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
