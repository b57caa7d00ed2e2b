package dev.deployer.yaml;

import java.util.Collection;

/** "Did you mean" hints for misspelled keys, task types and host names. */
public final class Suggestions {
  private Suggestions() {}

  /** The text to append to an error: {@code " (did you mean 'x'?)"}, or "" when nothing is close. */
  public static String didYouMean(String wrong, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(wrong.toLowerCase(), candidate.toLowerCase());
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    // Beyond a third of the word, a "suggestion" is noise.
    int limit = Math.max(2, wrong.length() / 3);
    return best != null && bestDistance <= limit ? " (did you mean '" + best + "'?)" : "";
  }

  /** Optimal string alignment distance: Levenshtein plus swapped neighbours ("dset" for "dest"). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
