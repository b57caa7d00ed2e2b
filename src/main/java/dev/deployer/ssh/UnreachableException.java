package dev.deployer.ssh;

/** The host cannot be reached or refused us (network, host key, login): it is "unreachable". */
public class UnreachableException extends RemoteException {
  public UnreachableException(String message) {
    super(message);
  }

  public UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
