package dev.deployer.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible's host ranges: {@code web[01:20].example.com} is web01 to web20 (leading zeros kept),
 * {@code db-[a:f]} is db-a to db-f, {@code [1:10:2]} takes every second; several ranges in one
 * name multiply.
 */
final class HostRanges {
  private static final Pattern RANGE = Pattern.compile("\\[([0-9]+|[a-zA-Z]):([0-9]+|[a-zA-Z])(?::([0-9]+))?]");
  private static final int MAX_HOSTS = 100_000;

  private HostRanges() {}

  /** The names a pattern stands for; a name without a range stands for itself. */
  static List<String> expand(String pattern) {
    Matcher m = RANGE.matcher(pattern);
    if (!m.find()) {
      return List.of(pattern);
    }
    String head = pattern.substring(0, m.start());
    List<String> tails = expand(pattern.substring(m.end()));
    String from = m.group(1);
    String to = m.group(2);
    int step = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
    if (step < 1) {
      throw new IllegalArgumentException("the step of range [" + from + ":" + to + ":" + step + "] must be 1 or more");
    }
    List<String> middles = new ArrayList<>();
    boolean numeric = Character.isDigit(from.charAt(0));
    if (numeric != Character.isDigit(to.charAt(0))) {
      throw new IllegalArgumentException("range [" + from + ":" + to + "] mixes a number and a letter");
    }
    if (numeric) {
      long start = Long.parseLong(from);
      long end = Long.parseLong(to);
      // web[01:20] keeps two digits; web[1:20] does not pad.
      int width = from.length() > 1 && from.startsWith("0") ? from.length() : 0;
      for (long i = start; i <= end; i += step) {
        middles.add(width == 0 ? Long.toString(i) : String.format("%0" + width + "d", i));
        check(middles.size() * (long) tails.size(), pattern);
      }
    } else {
      for (char c = from.charAt(0); c <= to.charAt(0); c += (char) step) {
        middles.add(String.valueOf(c));
      }
    }
    if (middles.isEmpty()) {
      throw new IllegalArgumentException("range [" + from + ":" + to + "] is empty (its start is past its end)");
    }
    List<String> names = new ArrayList<>();
    for (String middle : middles) {
      for (String tail : tails) {
        names.add(head + middle + tail);
      }
    }
    return names;
  }

  private static void check(long count, String pattern) {
    if (count > MAX_HOSTS) {
      throw new IllegalArgumentException("'" + pattern + "' stands for more than " + MAX_HOSTS + " hosts");
    }
  }
}
