package io.cairn.internal.pipeline.repo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The outputs of one job attempt, staged until the attempt completes.
 *
 * <p>Protocol. While a job's body runs, its thread carries a {@code Staging} ({@link #begin}); the
 * repositories Cairn ships consult it on every write, and write to a staging location instead of
 * the real one:
 *
 * <ul>
 *   <li>a file, metadata or directory repository writes under {@code <dir>/.staging/<attempt>/}, a
 *       sibling of its keys on the same file system that it never lists;
 *   <li>a blob or in-memory repository (and a job's {@code writeOutput}) keeps the data in a local
 *       file under the attempt's directory, or in memory, and puts it under the real key only at
 *       publish.
 * </ul>
 *
 * Each write registers how to publish it, the last write of a key winning. {@link #publish} runs
 * them in order, just before the job's COMPLETED record is committed: a local file or directory is
 * renamed into place (atomic per key), a blob is put. {@link #discard} (a failed, cancelled or
 * interrupted attempt) removes everything staged, so nothing of the attempt appears under a real
 * key. A killed process leaves its staging directories behind; the next run of the pipeline removes
 * those of attempts that can no longer finish. Reads through the same repositories on the attempt's
 * thread see the attempt's own staged writes first.
 *
 * <p>Thread-safety: a {@code Staging} belongs to the thread that began it; writes from other
 * threads the job starts are not staged (they go straight to the repository).
 */
public final class Staging {
  /** The name of the hidden staging directory beside a local repository's keys. */
  public static final String DIR = ".staging";

  /**
   * The name prefix of a file staged beside its key's file, in the repository's own directory:
   * {@code .tmp-staged#<pipeline>#<task>#<key>#<n>-<id>#<file name>} (no name or key holds a {@code
   * #}). Publishing it is one rename in the same directory, as cheap as an atomic write.
   */
  public static final String SIBLING_PREFIX = LocalFiles.TEMP_PREFIX + "staged#";

  private static final ThreadLocal<Staging> CURRENT = new ThreadLocal<>();

  private final String attempt;
  private final Path scratch;
  private final Map<String, Action> actions = new LinkedHashMap<>();
  private final Map<String, Path> staged = new LinkedHashMap<>();
  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<Path, Path> roots = new LinkedHashMap<>(); // staging root -> repository dir
  private final List<Path> siblings = new ArrayList<>(); // staged beside their keys
  private final Set<Path> made = new HashSet<>(); // directories created

  /** How one staged write becomes visible. */
  @FunctionalInterface
  public interface Action {
    void publish() throws IOException;
  }

  private Staging(String attempt, Path scratch) {
    this.attempt = attempt;
    this.scratch = scratch;
  }

  /**
   * Starts staging on this thread.
   *
   * @param attempt the attempt's relative path, {@code <pipeline>/<task>/<key>/<n>-<id>}: the same
   *     under every repository's staging directory, so a later run can tell whose it was
   * @param scratch a local directory of the attempt for data bound for blobs
   */
  public static Staging begin(String attempt, Path scratch) {
    Staging s = new Staging(attempt, scratch);
    CURRENT.set(s);
    return s;
  }

  /** The staging of the job running on this thread, or null outside a job. */
  public static Staging current() {
    return CURRENT.get();
  }

  /**
   * Where the job running on this thread writes {@code target} (a key of the local repository at
   * {@code repoDir}): a staging path registered to be renamed into place at publish; {@code target}
   * itself outside a job.
   */
  static Path outputPath(String repo, Path repoDir, String key, Path target) throws IOException {
    Staging s = current();
    if (s == null) {
      return target;
    }
    Path staged = s.localPath(repoDir, target);
    s.stageLocal(repo, key, staged, target);
    return staged;
  }

  /** The file to read for a key: this attempt's staged write of it if any, else {@code target}. */
  static Path readPath(String repo, String key, Path target) {
    Staging s = current();
    Path staged = s == null ? null : s.stagedPath(repo, key);
    return staged != null && Files.isRegularFile(staged) ? staged : target;
  }

  /**
   * Stages on this thread too: the job's body runs on an executor's thread, not the one that began
   * the attempt. Undo with {@link #end} on the same thread.
   */
  public void resume() {
    CURRENT.set(this);
  }

  /** Stops staging on this thread (what is staged stays until published or discarded). */
  public void end() {
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
  }

  /** The attempt's relative path. */
  public String attempt() {
    return attempt;
  }

  /** Keys staged so far, as {@code describe()} of the repository to its keys. */
  public Map<String, List<String>> stagedKeys() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String id : actions.keySet()) {
      int cut = id.indexOf('\n');
      out.computeIfAbsent(id.substring(0, cut), k -> new ArrayList<>()).add(id.substring(cut + 1));
    }
    return out;
  }

  /**
   * Where this attempt stages {@code target} (a path under {@code repoDir}), created up to its
   * parent.
   */
  Path localPath(Path repoDir, Path target) throws IOException {
    Path root = repoDir.resolve(DIR).resolve(attempt);
    roots.putIfAbsent(root, repoDir);
    Path p = root.resolve(repoDir.relativize(target));
    if (made.add(p.getParent())) {
      Files.createDirectories(p.getParent());
    }
    return p;
  }

  /** A fresh local file for data bound for a blob or memory. */
  Path scratchFile() throws IOException {
    Files.createDirectories(scratch);
    return scratch.resolve(UUID.randomUUID().toString());
  }

  /**
   * Stages a whole file that the caller writes and forces itself, beside {@code target} in its own
   * directory (see {@link #SIBLING_PREFIX}); publishing renames it over {@code target}.
   */
  Path stageSibling(String repo, String key, Path target) {
    Path file =
        target.resolveSibling(
            SIBLING_PREFIX + attempt.replace('/', '#') + "#" + target.getFileName());
    String id = repo + "\n" + key;
    staged.put(id, file);
    siblings.add(file);
    actions.remove(id);
    actions.put(id, () -> moveIntoPlace(file, target, true));
    return file;
  }

  /** Registers a staged local file or directory to be renamed to {@code target} at publish. */
  void stageLocal(String repo, String key, Path stagedPath, Path target) {
    String id = repo + "\n" + key;
    staged.put(id, stagedPath);
    actions.remove(id);
    actions.put(id, () -> moveIntoPlace(stagedPath, target, false));
  }

  /** Registers a local scratch file to be put under a real key at publish, by {@code sink}. */
  void stageFile(String repo, String key, Path file, IoSink sink) {
    String id = repo + "\n" + key;
    staged.put(id, file);
    actions.remove(id);
    actions.put(id, () -> drain(file, sink));
  }

  /** Registers a value to be put under a real key at publish. */
  void stageValue(String repo, String key, Object value, Action action) {
    String id = repo + "\n" + key;
    values.put(id, value);
    actions.remove(id);
    actions.put(id, action);
  }

  /** Registers any other publish step (a job's named output). */
  public void stage(String repo, String key, Action action) {
    String id = repo + "\n" + key;
    staged.remove(id);
    actions.remove(id);
    actions.put(id, action);
  }

  /** A value this attempt put, if any (the map holds null for a null value). */
  boolean hasValue(String repo, String key) {
    return values.containsKey(repo + "\n" + key);
  }

  Object value(String repo, String key) {
    return values.get(repo + "\n" + key);
  }

  /** The staged local path of a key, if this attempt wrote one. */
  Path stagedPath(String repo, String key) {
    return staged.get(repo + "\n" + key);
  }

  /** Whether this attempt registered a write of the key (any kind of repository). */
  boolean has(String repo, String key) {
    return actions.containsKey(repo + "\n" + key);
  }

  /**
   * Makes every staged write visible, in the order written, then removes the staging directories. A
   * script's output at a rendered {@code {{links.x}}} path that it never wrote is skipped.
   */
  public void publish() throws IOException {
    for (Action a : actions.values()) {
      a.publish();
    }
    // A script may write more than its own key beside its rendered path (a fan-out writing
    // $(dirname {{links.out}})/<key>.p1.txt, ...): whatever else is in a staging root is
    // published too, by the same rename. Hidden names (temp files) are not.
    for (Map.Entry<Path, Path> e : roots.entrySet()) {
      if (!Files.isDirectory(e.getKey())) {
        continue;
      }
      List<Path> rest;
      try (Stream<Path> list = Files.list(e.getKey())) {
        rest = list.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
      }
      for (Path p : rest) {
        moveIntoPlace(p, e.getValue().resolve(p.getFileName().toString()), false);
      }
    }
    discard();
  }

  /** Removes everything staged and not published. */
  public void discard() {
    actions.clear();
    made.clear();
    for (Path p : siblings) {
      try {
        Files.deleteIfExists(p); // published ones were renamed away already
      } catch (IOException e) {
        // the next run's sweep of stale attempts removes it
      }
    }
    siblings.clear();
    staged.clear();
    values.clear();
    for (Path root : roots.keySet()) {
      removeTree(root);
      pruneEmpty(root.getParent()); // the job's directory, if no other attempt uses it
    }
    roots.clear();
  }

  private static void moveIntoPlace(Path from, Path to, boolean forced) throws IOException {
    if (!Files.exists(from)) {
      return; // a rendered path the script did not write
    }
    Files.createDirectories(to.getParent());
    if (Files.isDirectory(from)) {
      Path old = null;
      if (Files.exists(to)) {
        old = from.resolveSibling(from.getFileName() + ".old-" + UUID.randomUUID());
        Files.move(to, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      if (old != null) {
        removeTree(old);
      }
      return;
    }
    if (!forced) { // a script's file, say: written by someone who did not force it
      try (FileChannel ch = FileChannel.open(from, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
    }
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Copies a local file to a blob-like sink, then deletes it. */
  static void drain(Path file, IoSink sink) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      sink.accept(in);
    }
    Files.deleteIfExists(file);
  }

  @FunctionalInterface
  interface IoSink {
    void accept(InputStream in) throws IOException;
  }

  /** Deletes a directory tree, best effort. */
  public static void removeTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (NoSuchFileException e) {
      // removed concurrently
    } catch (IOException | UncheckedIOException e) {
      // best effort: the next run removes what is left
    }
  }

  /**
   * Removes {@code dir} if it is empty. Only a job's own directory: its parents are shared with
   * other jobs' attempts that may be creating theirs at this moment.
   */
  public static void pruneEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // not empty (another attempt of the job), or gone
    }
  }
}
