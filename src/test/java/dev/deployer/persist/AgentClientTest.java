package dev.deployer.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the client makes of what an agent answers: above all, a run an agent began is never run twice. */
class AgentClientTest {
  @TempDir
  Path work;

  /** An agent that reads the request, sends {@code answer}, and hangs up. */
  private OptionalInt clientAgainst(byte[] answer) throws Exception {
    Path socket = work.resolve("agent-" + java.util.UUID.randomUUID() + ".sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      CompletableFuture<Void> agent = CompletableFuture.runAsync(() -> {
        try (SocketChannel client = server.accept()) {
          readRequest(new DataInputStream(Channels.newInputStream(client)));
          ByteBuffer reply = ByteBuffer.wrap(answer);
          while (reply.hasRemaining()) {
            client.write(reply);
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      OptionalInt code = AgentClient.relay(SocketChannel.open(UnixDomainSocketAddress.of(socket)), new String[] {"play", "x.yml"});
      agent.get();
      return code;
    }
  }

  /** The whole request, as the agent reads it: version, terminal, start time, arguments. */
  private static void readRequest(DataInputStream request) throws IOException {
    assertEquals(Persistence.VERSION, request.readInt());
    request.readBoolean();
    request.readLong();
    int args = request.readInt();
    for (int i = 0; i < args; i++) {
      request.readFully(new byte[request.readInt()]);
    }
  }

  private static byte[] frames(int... bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = (byte) bytes[i];
    }
    return out;
  }

  @Test
  void theAgentsExitCodeIsTheClients() throws Exception {
    assertEquals(OptionalInt.of(2), clientAgainst(frames(Persistence.ACCEPTED, Persistence.OUT, 0, 0, 0, 3, 'o', 'k', '\n',
        Persistence.EXIT, 0, 0, 0, 2)));
  }

  @Test
  void aBusyAgentOrOneGoneBeforeItBeganLeavesTheRunToTheClient() throws Exception {
    assertEquals(OptionalInt.empty(), clientAgainst(frames(Persistence.BUSY)));
    assertEquals(OptionalInt.empty(), clientAgainst(frames()));
  }

  @Test
  void anAgentGoneMidRunFailsTheRunRatherThanRunningItAgain() throws Exception {
    assertEquals(OptionalInt.of(1), clientAgainst(frames(Persistence.ACCEPTED, Persistence.OUT, 0, 0, 0, 3, 'h', 'a')));
  }
}
