package io.cairn.cli;

import io.cairn.Status;
import io.cairn.pipeline.Link;
import io.cairn.pipeline.LinkKind;
import io.cairn.pipeline.PipelineTask;
import io.cairn.pipeline.Repository;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code cairn demo} prints after the run: where things are, and what to try next. */
final class DemoHints {
  private DemoHints() {}

  static void print(Main main, PipelineSession s, Path file, long aborted, Output o) {
    Map<String, Path> outputs = outputDirectories(s);
    o.println(o.paint("bold", "outputs:"));
    int width = outputs.keySet().stream().mapToInt(String::length).max().orElse(0);
    outputs.forEach(
        (name, dir) -> o.println("  " + name + " ".repeat(width - name.length() + 2) + dir));
    String logs = "logs";
    o.println(
        "  "
            + logs
            + " ".repeat(Math.max(2, width - logs.length() + 2))
            + s.cairn().home().resolve("blobs").resolve(s.pipeline().name())
            + "/<task>/<job>/log (when the job logged; also: cairn log wordfreq.<task> <job>)");
    if (aborted > 0) {
      o.println("");
      o.println(
          o.paint("magenta", aborted + " jobs are aborted on purpose: ")
              + DemoDocuments.key(DemoDocuments.EMPTY)
              + " has no text (split refuses it); "
              + String.join(
                  " and ", DemoDocuments.CORRUPT.stream().map(DemoDocuments::key).toList())
              + " each have a corrupt paragraph (count refuses it).");
    }
    o.println("");
    printNext(main, s, file, o);
  }

  private static void printNext(Main main, PipelineSession s, Path file, Output o) {
    String cairn = "cairn" + main.homeFlag(file);
    String f = " -f " + Shell.quote(file.toString());
    List<String[]> hints = new ArrayList<>();
    hints.add(new String[] {cairn + " status" + f, "jobs per task, and keys per link"});
    for (PipelineTask t : s.pipeline().tasks()) {
      firstAborted(s, t)
          .ifPresent(
              key ->
                  hints.add(
                      new String[] {
                        cairn + " trace" + f + " " + Shell.quote(key),
                        "why " + t.name() + " gave up on " + key
                      }));
    }
    hints.add(
        new String[] {cairn + " ls" + f + " 'split.doc - split'", "documents that were not split"});
    String sample = DemoDocuments.key(1) + ".p1";
    hints.add(
        new String[] {cairn + " cat" + f + " top.top " + sample, "the top words of one paragraph"});
    hints.add(new String[] {cairn + " graph" + f, "which task feeds which"});
    hints.add(new String[] {cairn + " demo", "again: nothing new to launch"});
    int width = hints.stream().mapToInt(h -> h[0].length()).max().orElse(0);
    o.println(o.paint("bold", "next:"));
    for (String[] h : hints) {
      o.println(
          "  " + h[0] + " ".repeat(width - h[0].length() + 2) + o.paint("faint", "# " + h[1]));
    }
  }

  private static Optional<String> firstAborted(PipelineSession s, PipelineTask t) {
    String collection = s.pipeline().collectionOf(t.name());
    if (!s.cairn().collections().contains(collection)) {
      return Optional.empty();
    }
    return s.cairn().idsByStatus(collection, Status.ABORTED, null, 1).items().stream().findFirst();
  }

  /** Each output link's directory, found from one of its keys' paths (files repositories). */
  static Map<String, Path> outputDirectories(PipelineSession s) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (PipelineTask t : s.pipeline().tasks()) {
      for (Link l : t.links(LinkKind.OUTPUT)) {
        Repository repo = l.repository();
        Optional<String> key;
        try (var keys = repo.keys()) {
          key = keys.findFirst();
        }
        key.flatMap(repo::info)
            .filter(String.class::isInstance)
            .map(p -> Path.of((String) p).toAbsolutePath().getParent())
            .ifPresent(dir -> dirs.putIfAbsent(t.name() + "." + l.name(), dir));
      }
    }
    return dirs;
  }
}
