package dev.deployer.server;

/** Why a request from outside is refused, with its HTTP status; nothing has been queued. */
final class Refusal extends Exception {
  private final int status;

  Refusal(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
