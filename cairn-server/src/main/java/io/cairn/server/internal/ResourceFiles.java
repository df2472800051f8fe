package io.cairn.server.internal;

import io.cairn.Resource;
import io.cairn.Status;
import io.cairn.internal.engine.ResourceFileBlobs;
import io.cairn.spi.BlobKey;
import io.cairn.spi.BlobStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A resource's log and files. A requested file path is user input that must never reach outside the
 * resource's storage directory: it is checked as text (no NUL, no absolute path, no '.' or '..'
 * segment, no backslash), then resolved without following any symbolic link, so neither an encoded
 * {@code ..} nor a link planted in the directory leads out.
 */
final class ResourceFiles {
  private static final int MAX_LISTED = 1000;

  private ResourceFiles() {}

  /**
   * The log: whole, its last {@code tail} lines, or bytes {@code from}..{@code to}. A viewer
   * follows a running resource by asking again from {@code X-Cairn-Log-Size} while {@code
   * X-Cairn-Status} says running.
   */
  static void log(Context ctx, Resource r, String logText) {
    int tail = Query.intParam(ctx, "tail", 0, 0, 100_000);
    long from = Query.longParam(ctx, "from", 0);
    long to = Query.longParam(ctx, "to", Long.MAX_VALUE);
    if (to < from) {
      throw ApiProblem.badParameter("to", "to must not be less than from (" + from + ")", null);
    }
    byte[] all = logText.getBytes(StandardCharsets.UTF_8);
    ctx.header("X-Cairn-Log-Size", Long.toString(all.length));
    ctx.header("X-Cairn-Status", r.status().label());
    ctx.header("X-Cairn-Following", Boolean.toString(r.status() == Status.RUNNING));
    String text;
    if (tail > 0) {
      List<String> lines = new String(all, StandardCharsets.UTF_8).lines().toList();
      text = String.join("\n", lines.subList(Math.max(0, lines.size() - tail), lines.size()));
      if (!text.isEmpty()) {
        text += "\n";
      }
      ctx.contentType("text/plain; charset=utf-8").result(text);
      return;
    }
    int start = (int) Math.min(from, all.length);
    int end = (int) Math.min(to, all.length);
    byte[] part = java.util.Arrays.copyOfRange(all, start, end);
    ctx.contentType("text/plain; charset=utf-8").result(part);
  }

  /**
   * The files under the resource's storage directory (symbolic links are not followed or listed).
   */
  static void list(Context ctx, Resource r, BlobStore blobs) {
    Path base = r.paths().storage();
    List<Map<String, Object>> files = new ArrayList<>();
    boolean truncated = false;
    List<ResourceFileBlobs.Listed> published =
        ResourceFileBlobs.publishesTo(blobs)
            ? ResourceFileBlobs.list(blobs, r.collection(), r.ident(), MAX_LISTED + 1)
            : List.of();
    if (!published.isEmpty()) {
      // A completed resource's files as published, wherever it ran.
      for (ResourceFileBlobs.Listed f : published) {
        if (files.size() == MAX_LISTED) {
          truncated = true;
          break;
        }
        files.add(fileEntry(r, f.path(), f.blob().size()));
      }
    } else if (Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(base, 16)) {
        for (Path p : (Iterable<Path>) walk::iterator) {
          BasicFileAttributes a =
              Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (!a.isRegularFile()) {
            continue;
          }
          if (files.size() == MAX_LISTED) {
            truncated = true;
            break;
          }
          String rel = base.relativize(p).toString().replace('\\', '/');
          files.add(fileEntry(r, rel, a.size()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("collection", r.collection());
    doc.put("ident", r.ident());
    doc.put("files", files);
    doc.put("truncated", truncated);
    Http.json(ctx, 200, doc);
  }

  private static Map<String, Object> fileEntry(Resource r, String rel, long size) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", rel);
    m.put("size", size);
    m.put(
        "url",
        CollectionRoutes.BASE
            + "/"
            + r.collection()
            + "/resource/file?ident="
            + enc(r.ident())
            + "&path="
            + enc(rel));
    return m;
  }

  /**
   * A file of the resource: from the blob store when its files were published there (a redirect to
   * a presigned URL when the store has them), else from the local storage directory.
   */
  static void download(Context ctx, Resource r, BlobStore blobs) throws IOException {
    String rel = Query.required(ctx, "path");
    checkText(rel);
    if (ResourceFileBlobs.publishesTo(blobs)) {
      BlobKey key = ResourceFileBlobs.of(r.collection(), r.ident(), rel);
      if (BlobDownloads.redirected(ctx, blobs, key)) {
        return;
      }
      Optional<InputStream> in = blobs.get(key);
      if (in.isPresent()) {
        ctx.header("Content-Disposition", "attachment");
        ctx.contentType("application/octet-stream");
        ctx.result(in.get());
        return;
      }
    }
    Path file = inside(r.paths().storage(), rel);
    ctx.header("Content-Disposition", "attachment");
    ctx.contentType("application/octet-stream");
    ctx.header("Content-Length", Long.toString(Files.size(file)));
    InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    ctx.result(in);
  }

  /**
   * {@code rel} resolved under {@code base}: a regular file reached through no symbolic link.
   *
   * @throws ApiProblem 400 for a path that tries to leave, 404 for one that is not there
   */
  static Path inside(Path base, String rel) {
    checkText(rel);
    Path p = base;
    for (String seg : rel.split("/", -1)) {
      p = p.resolve(seg);
      if (Files.isSymbolicLink(p)) {
        throw ApiProblem.badParameter(
            "path", "path '" + rel + "' goes through a symbolic link; links are not served", null);
      }
    }
    if (!p.normalize().startsWith(base.normalize())) {
      throw outside(rel);
    }
    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      throw new ApiProblem(
          404, "no file '" + rel + "' in this resource's files", Map.of("path", rel));
    }
    return p;
  }

  /** Refuses, as text, a path that could leave the resource's files. */
  private static void checkText(String rel) {
    if (rel.indexOf('\0') >= 0
        || rel.startsWith("/")
        || rel.indexOf('\\') >= 0
        || rel.length() > 1024) {
      throw outside(rel);
    }
    for (String seg : rel.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw outside(rel);
      }
    }
  }

  private static ApiProblem outside(String rel) {
    return ApiProblem.badParameter(
        "path",
        "path must be relative to the resource's files, without '..', '.', empty segments,"
            + " backslashes or NUL; got '"
            + rel.replace("\0", "\\0")
            + "'",
        null);
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
