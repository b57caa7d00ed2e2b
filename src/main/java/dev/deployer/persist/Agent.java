package dev.deployer.persist;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A JVM that stays after a run, for the next one from the same directory and environment: it
 * serves one run at a time on a Unix socket (see {@link AgentClient}), keeps the SSH connections
 * its runs opened ({@link KeptConnections}), and exits once no run came for its idle time.
 *
 * <p>A client that goes away mid-run (Ctrl-C, killed) ends the agent at once, as it would have
 * ended a run of its own: its connections drop and the hosts see what they saw before agents.
 */
public final class Agent {
  private final ServerSocketChannel server;
  private final Path socket;
  private final Object socketKey;
  private final Duration idle;
  private final Function<String[], Integer> command;
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile long lastRunEnded = System.nanoTime();

  private Agent(ServerSocketChannel server, Path socket, Duration idle, Function<String[], Integer> command)
      throws IOException {
    this.server = server;
    this.socket = socket;
    this.socketKey = Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    this.idle = idle;
    this.command = command;
  }

  /**
   * Binds the socket and serves until idle. The socket is bound under a name of its own, then
   * moved into place: a client never finds a socket file nobody listens on yet.
   *
   * @param command runs one command line, returning its exit code
   */
  public static void serve(Path socket, Duration idle, Function<String[], Integer> command) throws IOException {
    Path staging = socket.resolveSibling(socket.getFileName() + "." + ProcessHandle.current().pid());
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(staging));
    if (answering(socket)) {
      // Two clients started an agent at once, and the other one's serves already.
      Files.deleteIfExists(staging);
      return;
    }
    Files.move(staging, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    KeptConnections.start();
    new Agent(server, socket, idle, command).acceptRuns();
  }

  private static boolean answering(Path socket) {
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return probe.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private void acceptRuns() throws IOException {
    Thread watch = new Thread(this::exitWhenIdle, "deployer-agent-idle");
    watch.setDaemon(true);
    watch.start();
    while (true) {
      SocketChannel client = server.accept();
      if (!sameUser(client)) {
        client.close();
        continue;
      }
      if (!busy.compareAndSet(false, true)) {
        refuse(client);
        continue;
      }
      Thread run = new Thread(() -> serveRun(client), "deployer-agent-run");
      run.start();
    }
  }

  /** The socket's directory keeps others out; the kernel's word on who connected makes sure. */
  private static boolean sameUser(SocketChannel client) {
    try {
      return client.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName()
          .equals(System.getProperty("user.name"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static void refuse(SocketChannel client) {
    try (client) {
      client.write(ByteBuffer.wrap(new byte[] {Persistence.BUSY}));
    } catch (IOException e) {
      // It went away: nothing to tell it.
    }
  }

  private void serveRun(SocketChannel client) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    try (client) {
      DataInputStream request = new DataInputStream(Channels.newInputStream(client));
      if (request.readInt() != Persistence.VERSION) {
        return; // closed before ACCEPTED: the client runs it itself
      }
      boolean console = request.readBoolean();
      long clientStart = request.readLong();
      String[] args = new String[request.readInt()];
      for (int i = 0; i < args.length; i++) {
        byte[] bytes = new byte[request.readInt()];
        request.readFully(bytes);
        args[i] = new String(bytes, StandardCharsets.UTF_8);
      }
      FrameWriter frames = new FrameWriter(client);
      frames.signal(Persistence.ACCEPTED);
      AtomicBoolean ended = new AtomicBoolean();
      endWithClient(client, ended);
      System.setOut(new PrintStream(new Frames(frames, Persistence.OUT), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Frames(frames, Persistence.ERR), true, StandardCharsets.UTF_8));
      System.setProperty(Persistence.CLIENT_START, Long.toString(clientStart));
      System.setProperty(Persistence.CLIENT_CONSOLE, Boolean.toString(console));
      int code;
      Error broken = null;
      try {
        code = command.apply(args);
      } catch (RuntimeException e) {
        System.err.println("error: internal error: " + e);
        code = 70;
      } catch (Error e) {
        System.err.println("error: internal error: " + e);
        code = 70;
        broken = e;
      }
      System.out.flush();
      System.err.flush();
      ended.set(true);
      frames.exit(code);
      if (broken != null) {
        // A JVM that ran out of memory (or worse) is no place for the next run: the next client starts a new agent.
        Runtime.getRuntime().halt(70);
      }
    } catch (IOException e) {
      // The client went away; endWithClient has seen to the run.
    } finally {
      System.setOut(out);
      System.setErr(err);
      lastRunEnded = System.nanoTime();
      busy.set(false);
    }
  }

  /**
   * The client sends nothing after its request: its socket closing means it is gone (Ctrl-C). A run
   * still going then ends with the whole agent, as a run of the client's own JVM would have.
   */
  private static void endWithClient(SocketChannel client, AtomicBoolean ended) {
    Thread watch = new Thread(() -> {
      try {
        // On the channel itself: its stream adapters lock it for reads and writes alike.
        ByteBuffer nothing = ByteBuffer.allocate(64);
        while (client.read(nothing) >= 0) {
          nothing.clear();
        }
      } catch (IOException e) {
        // Closed: the same as the end.
      }
      if (!ended.get()) {
        Runtime.getRuntime().halt(130);
      }
    }, "deployer-agent-client");
    watch.setDaemon(true);
    watch.start();
  }

  private void exitWhenIdle() {
    while (true) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
      if (!busy.get() && System.nanoTime() - lastRunEnded > idle.toNanos() && busy.compareAndSet(false, true)) {
        try {
          // Only our own socket: another agent may have taken the name since.
          if (Objects.equals(Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
              socketKey)) {
            Files.deleteIfExists(socket);
          }
        } catch (IOException e) {
          // Gone already.
        }
        KeptConnections.closeAll();
        System.exit(0);
      }
    }
  }

  /** Frames to the client, whole, from any of a run's threads. */
  private static final class FrameWriter {
    private final SocketChannel client;

    FrameWriter(SocketChannel client) {
      this.client = client;
    }

    synchronized void signal(int kind) throws IOException {
      writeFully(ByteBuffer.wrap(new byte[] {(byte) kind}));
    }

    synchronized void exit(int code) throws IOException {
      writeFully(ByteBuffer.allocate(5).put((byte) Persistence.EXIT).putInt(code).flip());
    }

    synchronized void bytes(int kind, byte[] bytes, int offset, int length) throws IOException {
      writeFully(ByteBuffer.allocate(5 + length).put((byte) kind).putInt(length).put(bytes, offset, length).flip());
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
      while (buffer.hasRemaining()) {
        client.write(buffer);
      }
    }
  }

  /** A run's stdout or stderr, as frames to the client. */
  private static final class Frames extends OutputStream {
    private final FrameWriter frames;
    private final int kind;

    Frames(FrameWriter frames, int kind) {
      this.frames = frames;
      this.kind = kind;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      frames.bytes(kind, bytes, offset, length);
    }
  }
}
