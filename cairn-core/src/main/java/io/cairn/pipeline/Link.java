package io.cairn.pipeline;

import java.util.Objects;

/**
 * A task's named link to a repository.
 *
 * @param name the link's name within the task (how the body and templates refer to it)
 * @param kind input, required, inhibits or output
 * @param repository the repository
 */
public record Link(String name, LinkKind kind, Repository repository) {
  public Link {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(repository, "repository");
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
      throw new IllegalArgumentException(
          "invalid link name '"
              + name
              + "': use 1-64 letters, digits and '_', starting with a letter");
    }
  }
}
