package io.cairn.cli;

import io.cairn.UnknownCollectionException;
import io.cairn.pipeline.PipelineYamlException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where failures become messages and exit codes.
 *
 * <ul>
 *   <li>0: success;
 *   <li>1: a failure that is not the user's mistake ({@code cairn: message}; the stack trace with
 *       {@code -v}): stored data that cannot be read ({@code cairn: corrupt data: ...}), a home
 *       that lost its database, {@code cairn check} finding problems;
 *   <li>2: the user asked for something that cannot be: bad usage, an unknown collection, task or
 *       link, an invalid name, ident or job key, a missing home or pipeline file, a pipeline file
 *       with an error ({@code cairn.yaml:12: field: ...}). One line, {@code cairn: message}.
 * </ul>
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  private final Main main;

  ErrorHandler(Main main) {
    this.main = main;
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    if (e instanceof UnknownCollectionException
        || e instanceof IllegalArgumentException
        || e instanceof NoHomeException
        || e instanceof NoPipelineFileException
        || e instanceof PipelineYamlException) {
      err.println("cairn: " + oneLine(e.getMessage()));
      return USAGE;
    }
    err.println("cairn: " + oneLine(describe(e)));
    if (main.verbose()) {
      e.printStackTrace(err);
    }
    err.flush();
    return FAILURE;
  }

  /** Usage errors: the message, suggestions for typos, and where to read more. */
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("cairn: " + oneLine(e.getMessage()));
    if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
      err.println("       did you mean: " + String.join(", ", u.getSuggestions()) + "?");
    }
    err.println("       see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return USAGE;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return e instanceof RuntimeException && e.getClass().getName().startsWith("io.cairn")
        ? m
        : e.getClass().getSimpleName() + ": " + m;
  }

  /**
   * The first line of a stored error (a stack trace), without the exception's class name when it
   * starts with one: {@code script exited with code 1: ...}.
   */
  static String firstLine(String error) {
    if (error == null) {
      return "";
    }
    String line = error.strip().lines().findFirst().orElse("");
    return line.replaceFirst("^[A-Za-z_$][\\w$.]*(Exception|Error): ", "");
  }

  /** Messages may quote user data with newlines; the contract is one line. */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    return s.strip().replace("\r", "").replace("\n", " | ");
  }
}
