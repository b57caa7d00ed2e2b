package dev.deployer.ssh;

/** A remote operation that did not complete: a timeout, a failed transfer. */
public class RemoteException extends RuntimeException {
  public RemoteException(String message) {
    super(message);
  }

  public RemoteException(String message, Throwable cause) {
    super(message, cause);
  }
}
