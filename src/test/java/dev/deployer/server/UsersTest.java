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
    assertEquals("bob", users.token("battery staple").orElseThrow().name());
    // Same password, different salt: different lines.
    assertFalse(Users.hash("x").equals(Users.hash("x")));
  }

  @Test
  void aBadLineNamesFileAndLine() throws IOException {
    Path file = dir.resolve("users.txt");
    Files.writeString(file, "ADMIN:root:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\n");
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Users.load(file));
    assertTrue(e.getMessage().startsWith(file + ":1: expected ROLE:username:pbkdf2-sha256$"), e.getMessage());
  }
}
