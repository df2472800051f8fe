package io.cairn.internal.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Set expressions over job keys: {@code task.link} (a link's keys), {@code task} (the task's
 * completed jobs), {@code |} union, {@code &} intersection, {@code -} difference (surrounded by
 * spaces, since names may contain '-'), and parentheses. {@code &} binds tighter than {@code |} and
 * {@code -}, which go left to right.
 */
final class KeyExpression {
  private final String text;
  private final List<String> tokens = new ArrayList<>();
  private final BiFunction<String, String, Set<String>> keysOf;
  private int pos;

  /**
   * @param keysOf the keys of (task, link); link null for the task's completed jobs
   */
  KeyExpression(String text, BiFunction<String, String, Set<String>> keysOf) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty key expression; write e.g. 'split.docs - split'");
    }
    this.text = text;
    this.keysOf = keysOf;
    tokenize();
  }

  private void tokenize() {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == '|' || c == '&') {
        tokens.add(String.valueOf(c));
        i++;
      } else {
        int j = i;
        while (j < text.length() && "()|& \t".indexOf(text.charAt(j)) < 0) {
          j++;
        }
        tokens.add(text.substring(i, j));
        i = j;
      }
    }
  }

  Set<String> evaluate() {
    Set<String> result = expr();
    if (pos < tokens.size()) {
      throw error("unexpected '" + tokens.get(pos) + "'");
    }
    return result;
  }

  private Set<String> expr() {
    Set<String> left = term();
    while (pos < tokens.size() && (tokens.get(pos).equals("|") || tokens.get(pos).equals("-"))) {
      String op = tokens.get(pos++);
      Set<String> right = term();
      left = new TreeSet<>(left);
      if (op.equals("|")) {
        left.addAll(right);
      } else {
        left.removeAll(right);
      }
    }
    return left;
  }

  private Set<String> term() {
    Set<String> left = factor();
    while (pos < tokens.size() && tokens.get(pos).equals("&")) {
      pos++;
      Set<String> right = factor();
      left = new TreeSet<>(left);
      left.retainAll(right);
    }
    return left;
  }

  private Set<String> factor() {
    if (pos >= tokens.size()) {
      throw error("expression ends too early");
    }
    String t = tokens.get(pos++);
    if (t.equals("(")) {
      Set<String> inner = expr();
      if (pos >= tokens.size() || !tokens.get(pos).equals(")")) {
        throw error("missing ')'");
      }
      pos++;
      return inner;
    }
    if (t.equals(")") || t.equals("|") || t.equals("&") || t.equals("-")) {
      throw error("expected task or task.link, found '" + t + "'");
    }
    return name(t);
  }

  /** A task name, or task.link: the longest prefix that is a task wins. */
  private Set<String> name(String t) {
    try {
      return keysOf.apply(t, null);
    } catch (IllegalArgumentException notATask) {
      int dot = t.lastIndexOf('.');
      if (dot <= 0 || dot == t.length() - 1) {
        throw error(notATask.getMessage());
      }
      try {
        return keysOf.apply(t.substring(0, dot), t.substring(dot + 1));
      } catch (IllegalArgumentException e) {
        throw error(e.getMessage());
      }
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("in key expression '" + text + "': " + what);
  }
}
