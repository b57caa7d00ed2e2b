package dev.deployer.ssh;

import dev.deployer.inventory.ShellWords;
import java.util.List;
import java.util.Locale;

/**
 * What deployer takes from an inventory's {@code ansible_ssh_common_args} and {@code
 * ansible_ssh_extra_args}: a config file ({@code -F}) and a bastion, written as {@code -J},
 * {@code -o ProxyJump=}, or the older {@code -o ProxyCommand="ssh -W %h:%p [-p port] [user@]bastion"}.
 * Other options are OpenSSH's own and are left alone.
 */
record SshArgs(String configFile, String proxyJump) {
  static SshArgs parse(String text) {
    List<String> words = words(text);
    String config = null;
    String jump = null;
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      String next = i + 1 < words.size() ? words.get(i + 1) : null;
      if (word.equals("-F") && next != null) {
        config = next;
        i++;
      } else if (word.startsWith("-F") && word.length() > 2) {
        config = word.substring(2);
      } else if (word.equals("-J") && next != null) {
        jump = next;
        i++;
      } else if (word.equals("-o") && next != null || word.startsWith("-o") && word.length() > 2) {
        String option = (word.equals("-o") ? words.get(++i) : word.substring(2)).trim();
        String[] kv = option.split("[= ]", 2);
        String key = kv[0].toLowerCase(Locale.ROOT);
        String value = kv.length > 1 ? kv[1].trim() : "";
        if (key.equals("proxyjump")) {
          jump = value;
        } else if (key.equals("proxycommand")) {
          String hop = proxyCommandHop(value);
          jump = hop != null ? hop : jump;
        }
      }
    }
    return new SshArgs(config, jump);
  }

  /** The bastion in {@code ssh -W %h:%p [-p port] [-l user] [user@]host}, or null for any other command. */
  private static String proxyCommandHop(String command) {
    List<String> words = words(command);
    if (words.isEmpty() || !words.get(0).endsWith("ssh") || !command.contains("%h:%p")) {
      return null;
    }
    String host = null;
    String port = null;
    String user = null;
    for (int i = 1; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("-p") && i + 1 < words.size()) {
        port = words.get(++i);
      } else if (word.equals("-l") && i + 1 < words.size()) {
        user = words.get(++i);
      } else if (word.equals("-W") || word.equals("-i") || word.equals("-o") || word.equals("-F")) {
        i++;
      } else if (!word.startsWith("-")) {
        host = word;
      }
    }
    if (host == null) {
      return null;
    }
    return (user != null && !host.contains("@") ? user + "@" : "") + host + (port != null ? ":" + port : "");
  }

  static List<String> words(String text) {
    try {
      return ShellWords.split(text, false);
    } catch (IllegalArgumentException e) {
      throw new UnreachableException("ansible_ssh_common_args: " + e.getMessage() + ": " + text);
    }
  }
}
