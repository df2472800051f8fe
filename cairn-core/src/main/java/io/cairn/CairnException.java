package io.cairn;

/** The root of Cairn's own unchecked exceptions. */
public class CairnException extends RuntimeException {
  public CairnException(String message) {
    super(message);
  }

  public CairnException(String message, Throwable cause) {
    super(message, cause);
  }
}
