package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {
  @TempDir Path dir;

  @Test
  void saltedHashesCheckPasswordsAndReplaceLines() throws IOException {
    Path file = dir.resolve("users.txt");
    Users.put(file, "alice", Users.Role.ADMIN, "correct horse");
    Users.put(file, "bob", Users.Role.USER, "battery staple");
    Users.put(file, "alice", Users.Role.USER, "new password");
    assertEquals(2, Files.readAllLines(file).size());
    assertTrue(Files.readString(file).startsWith("USER:bob:pbkdf2-sha256$"));
    Users users = Users.load(file);
    assertTrue(users.login("alice", "new password").isPresent());
    assertFalse(users.login("alice", "correct horse").isPresent());
    assertEquals(Users.Role.USER, users.login("bob", "battery staple").orElseThrow().role());
    assertFalse(users.login("carol", "battery staple").isPresent());
    // Same password, different salt: different lines.
    assertFalse(Users.hash("x").equals(Users.hash("x")));
  }

  @Test
  void ipdsUnsaltedHashesVerifyAndAreReplacedAtLoginOrFromAPasswordList() throws Exception {
    Path file = dir.resolve("users.txt");
    // As IPD's README makes them: echo -n "mypassword" | sha256sum
    Files.writeString(file, "ADMIN:ops:" + sha256("mypassword") + "\nUSER:ci:" + sha256("ci secret").toUpperCase() + "\n");
    Users users = Users.load(file);
    assertEquals(java.util.List.of("ops", "ci"), Users.weak(Users.read(file)));
    assertFalse(users.login("ops", "mypasswor").isPresent());
    assertEquals(Users.Role.ADMIN, users.login("ops", "mypassword").orElseThrow().role());
    assertTrue(Files.readString(file).contains("ADMIN:ops:pbkdf2-sha256$"), "replaced at its good login");
    assertTrue(Users.load(file).login("ops", "mypassword").isPresent());

    Users.User ci = Users.read(file).stream().filter(u -> u.name().equals("ci")).findFirst().orElseThrow();
    assertFalse(Users.upgrade(file, ci, "wrong"));
    assertTrue(Users.upgrade(file, ci, "ci secret"));
    assertEquals(java.util.List.of(), Users.weak(Users.read(file)));
    assertTrue(Users.load(file).login("ci", "ci secret").isPresent());
  }

  private static String sha256(String text) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void anOldHashStillVerifiesAndIsMadeAgainAtTodaysIterations() throws IOException {
    Path file = dir.resolve("users.txt");
    // A line as deployer wrote it before 600,000 iterations: PBKDF2-SHA256 at 120,000.
    byte[] salt = new byte[16];
    String old = "pbkdf2-sha256$120000$" + java.util.Base64.getEncoder().encodeToString(salt) + "$"
        + java.util.Base64.getEncoder().encodeToString(pbkdf2("old but good", salt, 120_000));
    Files.writeString(file, "# kept\nADMIN:ops:" + old + "\n");
    Users users = Users.load(file);
    assertFalse(users.login("ops", "wrong").isPresent());
    assertTrue(Files.readString(file).contains("$120000$"), "a failed login changes nothing");
    assertTrue(users.login("ops", "old but good").isPresent());
    String line = Files.readAllLines(file).get(1);
    assertTrue(line.startsWith("ADMIN:ops:pbkdf2-sha256$600000$"), line);
    assertEquals("# kept", Files.readAllLines(file).get(0));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(Users.load(file).login("ops", "old but good").isPresent());
    assertTrue(users.login("ops", "old but good").isPresent());
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    try {
      return javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void tokensAreRandomShownOnceAndKeptAsTheirHash() throws IOException {
    Path file = dir.resolve("tokens.txt");
    String ci = Tokens.create(file, "ci", Users.Role.USER);
    String ops = Tokens.create(file, "ops", Users.Role.ADMIN);
    assertTrue(ci.startsWith("dpl_") && ci.length() > 40, ci);
    assertFalse(Files.readString(file).contains(ci), "only the hash is kept");
    Tokens tokens = Tokens.load(file);
    assertEquals("ci", tokens.find(ci).orElseThrow().name());
    assertEquals(Users.Role.ADMIN, tokens.find(ops).orElseThrow().role());
    assertFalse(tokens.find(ci + "x").isPresent());
    assertTrue(Tokens.revoke(file, "ci"));
    assertFalse(Tokens.load(file).find(ci).isPresent());
    assertTrue(Tokens.load(file).find(ops).isPresent());
  }

  @Test
  void aBadLineNamesFileAndLine() throws IOException {
    Path file = dir.resolve("users.txt");
    // A plain MD5 is neither deployer's hash nor IPD's.
    Files.writeString(file, "ADMIN:root:5f4dcc3b5aa765d61d8327deb882cf99\n");
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Users.load(file));
    assertTrue(e.getMessage().startsWith(file + ":1: expected ROLE:username:pbkdf2-sha256$"), e.getMessage());
  }
}
