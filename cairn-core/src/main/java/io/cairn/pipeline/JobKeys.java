package io.cairn.pipeline;

import java.util.regex.Pattern;

/**
 * The one rule for job keys: 1 to 200 characters, letters, digits and {@code . _ = @ , + ~ -},
 * starting with a letter or digit. Such a key is safe as a file name, a blob key segment and a
 * shell word, so a key means the same in every repository. A repository that meets a name breaking
 * the rule (a file "my notes.txt", say) reports it once and leaves it out.
 */
public final class JobKeys {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=@,+~-]{0,199}");

  /** The rule, as error messages state it. */
  public static final String RULE =
      "1-200 letters, digits and . _ = @ , + ~ -, starting with a letter or digit";

  private JobKeys() {}

  public static boolean isValid(String key) {
    return key != null && KEY.matcher(key).matches();
  }

  /**
   * Returns the key if valid.
   *
   * @throws IllegalArgumentException naming the key and the rule
   */
  public static String check(String key) {
    if (!isValid(key)) {
      String shown = key == null ? "null" : key.length() > 60 ? key.substring(0, 60) + "..." : key;
      throw new IllegalArgumentException("invalid job key '" + shown + "': use " + RULE);
    }
    return key;
  }
}
