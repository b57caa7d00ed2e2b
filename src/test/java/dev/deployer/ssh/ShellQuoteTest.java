package dev.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {
  @Test
  void plainWordsStayBare() {
    assertEquals("docker", ShellQuote.quote("docker"));
    assertEquals("/opt/app-1.2/x_y:z", ShellQuote.quote("/opt/app-1.2/x_y:z"));
  }

  @Test
  void everythingElseIsSingleQuoted() {
    assertEquals("''", ShellQuote.quote(""));
    assertEquals("'a b'", ShellQuote.quote("a b"));
    assertEquals("'$(touch /tmp/pwned)'", ShellQuote.quote("$(touch /tmp/pwned)"));
    assertEquals("'it'\\''s'", ShellQuote.quote("it's"));
  }

  @Test
  void joinQuotesEachArgument() {
    assertEquals("echo 'a b' '; rm -rf /'", ShellQuote.join(List.of("echo", "a b", "; rm -rf /")));
  }
}
