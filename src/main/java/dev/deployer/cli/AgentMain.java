package dev.deployer.cli;

import dev.deployer.persist.Agent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** The entry point of a persistent agent (started by {@link dev.deployer.persist.AgentClient}): runs command lines as {@link Main} does. */
public final class AgentMain {
  private AgentMain() {}

  /** @param args the socket to serve on, and the seconds to wait for the next run */
  public static void main(String[] args) throws IOException {
    Agent.serve(Path.of(args[0]), Duration.ofSeconds(Long.parseLong(args[1])), Main::run);
  }
}
