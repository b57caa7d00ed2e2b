package dev.deployer.docker;

import dev.deployer.ssh.RemoteException;

/** A docker command that exited non-zero: never reported as success. */
public class DockerException extends RemoteException {
  public DockerException(String message) {
    super(message);
  }
}
