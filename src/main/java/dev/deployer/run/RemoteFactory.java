package dev.deployer.run;

import dev.deployer.inventory.Host;
import dev.deployer.ssh.Remote;

/** Opens the connection to a host; SSH in real runs, a stand-in in planning tests. */
@FunctionalInterface
public interface RemoteFactory {
  /** @throws dev.deployer.ssh.UnreachableException when the host cannot be reached */
  Remote connect(Host host);
}
