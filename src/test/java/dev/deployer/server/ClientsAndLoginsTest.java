package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.deployer.server.http.ClientAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who a client is, and how failed logins are limited. */
class ClientsAndLoginsTest {
  @TempDir Path dir;

  @Test
  void forwardedHeadersCountOnlyFromATrustedProxy() throws Exception {
    ClientAddress clients = new ClientAddress(List.of(ClientAddress.Block.parse("10.0.0.0/8"), ClientAddress.Block.parse("::1")));
    InetAddress stranger = InetAddress.getByName("198.51.100.9");
    assertEquals("198.51.100.9", clients.of(stranger, "203.0.113.7", "203.0.113.8"));
    InetAddress proxy = InetAddress.getByName("10.1.2.3");
    assertEquals("203.0.113.7", clients.of(proxy, "203.0.113.7", null));
    assertEquals("203.0.113.8", clients.of(proxy, null, "1.1.1.1, 203.0.113.8"), "the hop the proxy itself added");
    assertEquals("10.1.2.3", clients.of(proxy, null, null));
    assertEquals("203.0.113.7", clients.of(InetAddress.getByName("::1"), "203.0.113.7", null));
    assertEquals("127.0.0.1", new ClientAddress(List.of()).of(InetAddress.getByName("127.0.0.1"), "203.0.113.7", null),
        "not even loopback is trusted unless named");
    assertThrows(IllegalArgumentException.class, () -> ClientAddress.Block.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> ClientAddress.Block.parse("proxy.example.com"));
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void failuresForOneUserFromOneClientRefuseThatUserThereOnly() throws Exception {
    Path users = dir.resolve("users.txt");
    Users.put(users, "ci", Users.Role.USER, "ci-password-123");
    Users.put(users, "ops", Users.Role.ADMIN, "ops-password-123");
    String token = Tokens.create(dir.resolve("tokens.txt"), "bot", Users.Role.USER);
    Authenticator auth = new Authenticator(Users.load(users), Tokens.load(dir.resolve("tokens.txt")));
    String provenBefore = basic("ops", "ops-password-123");
    assertInstanceOf(Authenticator.Outcome.Admitted.class, auth.login(provenBefore, "192.0.2.1"));

    for (int i = 0; i < Authenticator.FAILURES_PER_USER_AND_CLIENT; i++) {
      assertInstanceOf(Authenticator.Outcome.Refused.class, auth.login(basic("ci", "guess" + i), "192.0.2.1"));
    }
    assertInstanceOf(Authenticator.Outcome.Throttled.class, auth.login(basic("ci", "guess"), "192.0.2.1"));
    assertInstanceOf(Authenticator.Outcome.Throttled.class, auth.login(basic("ci", "ci-password-123"), "192.0.2.1"),
        "the right password is refused too, for that user from that client");
    assertInstanceOf(Authenticator.Outcome.Admitted.class, auth.login(basic("ci", "ci-password-123"), "192.0.2.2"));
    assertInstanceOf(Authenticator.Outcome.Admitted.class, auth.login(provenBefore, "192.0.2.1"));
    assertInstanceOf(Authenticator.Outcome.Admitted.class, auth.login("Bearer " + token, "192.0.2.1"));
    assertInstanceOf(Authenticator.Outcome.Refused.class, auth.login("Bearer " + token + "x", "192.0.2.1"));
    assertInstanceOf(Authenticator.Outcome.Refused.class, auth.login("Bearer ci-password-123", "192.0.2.3"),
        "a password is not a bearer token");
    assertInstanceOf(Authenticator.Outcome.Refused.class, auth.login(null, "192.0.2.1"));
  }
}
