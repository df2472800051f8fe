package io.cairn.internal.pipeline.repo;

import io.cairn.pipeline.JobKeys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names a repository met that break the job-key rule: logged once each (a warning naming the
 * repository, the name and the rule), kept for {@code cairn run} and {@code cairn status} to show,
 * never silently dropped.
 */
final class InvalidKeys {
  private static final Logger log = LoggerFactory.getLogger(InvalidKeys.class);
  private static final int KEEP = 100;

  private final String repository;
  private final Set<String> seen = new LinkedHashSet<>(); // guarded by this

  InvalidKeys(String repository) {
    this.repository = repository;
  }

  /** The valid names; invalid ones are reported. */
  Stream<String> filter(Stream<String> names) {
    return names.filter(
        n -> {
          if (JobKeys.isValid(n)) {
            return true;
          }
          report(n);
          return false;
        });
  }

  private synchronized void report(String name) {
    if (seen.size() < KEEP && seen.add(name)) {
      log.warn(
          "{}: '{}' is not a valid job key ({}); it is left out", repository, name, JobKeys.RULE);
    }
  }

  synchronized List<String> list() {
    return new ArrayList<>(seen);
  }
}
