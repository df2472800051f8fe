package io.cairn.internal.pipeline.repo;

import io.cairn.pipeline.Repository;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Read-only repositories made of others. */
public final class Combinators {
  private Combinators() {}

  /** A repository and, for combinators, the repositories it is made of, depth first. */
  public static List<Repository> leaves(Repository r) {
    List<Repository> all = new ArrayList<>();
    ArrayDeque<Repository> todo = new ArrayDeque<>(List.of(r));
    while (!todo.isEmpty()) {
      Repository x = todo.pop();
      all.add(x);
      todo.addAll(x.parts());
    }
    return all;
  }

  private abstract static class Composite implements Repository {
    final List<Repository> parts;

    Composite(List<Repository> parts) {
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("a combinator needs at least one repository");
      }
      this.parts = List.copyOf(parts);
    }

    @Override
    public List<Repository> parts() {
      return parts;
    }

    @Override
    public List<String> invalidKeys() {
      List<String> all = new ArrayList<>();
      parts.forEach(p -> all.addAll(p.invalidKeys()));
      return all;
    }

    String names(String op) {
      return op
          + "("
          + parts.stream().map(Repository::describe).collect(Collectors.joining(", "))
          + ")";
    }
  }

  /** Keys present in every part; info from the first. */
  public static Repository allOf(List<Repository> parts) {
    return new Composite(parts) {
      @Override
      public String describe() {
        return names("allOf");
      }

      @Override
      public Stream<String> keys() {
        return parts.get(0).keys().filter(this::contains);
      }

      @Override
      public boolean contains(String key) {
        return parts.stream().allMatch(p -> p.contains(key));
      }

      @Override
      public Optional<Object> info(String key) {
        return contains(key) ? parts.get(0).info(key) : Optional.empty();
      }
    };
  }

  /** Keys present in any part; info from the first part that has the key. */
  public static Repository anyOf(List<Repository> parts) {
    return new Composite(parts) {
      @Override
      public String describe() {
        return names("anyOf");
      }

      @Override
      public Stream<String> keys() {
        return parts.stream().flatMap(Repository::keys).distinct();
      }

      @Override
      public boolean contains(String key) {
        return parts.stream().anyMatch(p -> p.contains(key));
      }

      @Override
      public Optional<Object> info(String key) {
        for (Repository p : parts) {
          Optional<Object> i = p.info(key);
          if (i.isPresent()) {
            return i;
          }
        }
        return Optional.empty();
      }
    };
  }

  /** Keys in {@code a} and not in {@code b}. */
  public static Repository blockedBy(Repository a, Repository b) {
    return new Composite(List.of(a, b)) {
      @Override
      public String describe() {
        return "blockedBy(" + a.describe() + ", " + b.describe() + ")";
      }

      @Override
      public Stream<String> keys() {
        return a.keys().filter(k -> !b.contains(k));
      }

      @Override
      public boolean contains(String key) {
        return a.contains(key) && !b.contains(key);
      }

      @Override
      public Optional<Object> info(String key) {
        return contains(key) ? a.info(key) : Optional.empty();
      }
    };
  }

  /** Keys of {@code a} passing {@code keep}. */
  public static Repository filtered(Repository a, Predicate<String> keep, String description) {
    return new Composite(List.of(a)) {
      @Override
      public String describe() {
        return "filtered(" + a.describe() + ", " + description + ")";
      }

      @Override
      public Stream<String> keys() {
        return a.keys().filter(keep);
      }

      @Override
      public boolean contains(String key) {
        return keep.test(key) && a.contains(key);
      }

      @Override
      public Optional<Object> info(String key) {
        return contains(key) ? a.info(key) : Optional.empty();
      }
    };
  }

  /**
   * {@code a} seen through a key translation: key {@code k} here is {@code toA(k)} in {@code a};
   * {@code fromA} is its inverse (how a's keys are listed here).
   */
  public static Repository mapped(
      Repository a,
      Function<String, String> toA,
      Function<String, String> fromA,
      String description) {
    return new Composite(List.of(a)) {
      @Override
      public String describe() {
        return "mapped(" + a.describe() + ", " + description + ")";
      }

      @Override
      public Stream<String> keys() {
        return a.keys().map(fromA).filter(io.cairn.pipeline.JobKeys::isValid);
      }

      @Override
      public boolean contains(String key) {
        return a.contains(toA.apply(key));
      }

      @Override
      public Optional<Object> info(String key) {
        return a.info(toA.apply(key));
      }
    };
  }

  /**
   * Job {@code j} relates to key {@code relation.info(j)} of {@code target}: present when the
   * relation has {@code j} and the target has the key it names.
   */
  public static Repository related(Repository target, Repository relation) {
    return new Composite(List.of(target, relation)) {
      @Override
      public String describe() {
        return "related(" + target.describe() + " via " + relation.describe() + ")";
      }

      private Optional<String> targetKey(String key) {
        return relation.info(key).map(Object::toString);
      }

      @Override
      public Stream<String> keys() {
        return relation.keys().filter(this::contains);
      }

      @Override
      public boolean contains(String key) {
        return targetKey(key).map(target::contains).orElse(false);
      }

      @Override
      public Optional<Object> info(String key) {
        return targetKey(key).flatMap(target::info);
      }
    };
  }
}
