package io.cairn;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a resource's files live on the local machine. Nothing here is created until it is used:
 * {@link #log()} on the first log line, {@link #storage()} on the first call to {@code
 * ComputeContext.storage()}.
 *
 * <p>These are <b>local</b> paths, on the machine that runs an attempt. A log is written to {@link
 * #log()} only while an attempt runs; when the attempt ends it is published to the <b>shared</b>
 * blob store (a collection resource's at {@code resources/<collection>/<encoded key>/log}, a
 * pipeline job's at {@code <pipeline>/<task>/<key>/log}) and the local file is removed. Read logs
 * with {@code Cairn.log(collection, ident)}, which finds them wherever they are. When the blob
 * store is not a local file system (S3), a completed attempt's {@link #storage()} files are also
 * copied to it, at {@code resources/<collection>/<encoded key>/files/<path>}, for other machines
 * (the server lists and serves them from there); the local directory stays.
 *
 * @param base the resource's own directory
 * @param log the local file a running attempt writes its log to
 * @param storage the directory for the compute function's own files
 */
public record ResourcePaths(Path base, Path log, Path storage) {
  /** The paths by name ("base", "log", "storage"), as hadrosaur's {@code resource.paths}. */
  public Map<String, Path> asMap() {
    return Map.of("base", base, "log", log, "storage", storage);
  }
}
