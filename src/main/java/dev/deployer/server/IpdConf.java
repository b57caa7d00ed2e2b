package dev.deployer.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** IPD's configuration file, read for a server that takes over from IPD. */
public final class IpdConf {
  private IpdConf() {}

  /**
   * IPD's {@code /etc/ipd.conf}: KEY=VALUE lines (comments, blank lines and an {@code export} word
   * allowed, values optionally quoted). The server reads them where the environment has no value.
   */
  public static Map<String, String> read(Path file) throws java.io.IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : java.nio.file.Files.readAllLines(file)) {
      String text = line.strip().replaceFirst("^export\\s+", "");
      int equals = text.indexOf('=');
      if (text.isEmpty() || text.startsWith("#") || equals <= 0) {
        continue;
      }
      String value = text.substring(equals + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(text.substring(0, equals).strip(), value);
    }
    return values;
  }
}
