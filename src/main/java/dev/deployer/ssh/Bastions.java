package dev.deployer.ssh;

import com.jcraft.jsch.Session;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions to bastions, shared: every host behind one bastion goes through one session to it,
 * opened by the first host that needs it and closed when the last one behind it is done. A
 * chain of bastions shares each link the same way.
 */
final class Bastions {
  /** Opens one bastion's session, through the session before it (or directly, for null). */
  @FunctionalInterface
  interface Opener {
    Session open(SshTarget bastion, Session through);
  }

  /** A hold on a bastion's session; released once. */
  final class Lease {
    private final String key;
    private final Session session;
    private boolean released;

    private Lease(String key, Session session) {
      this.key = key;
      this.session = session;
    }

    Session session() {
      return session;
    }

    void release() {
      synchronized (Bastions.this) {
        if (released) {
          return;
        }
        released = true;
        Shared shared = open.get(key);
        if (shared != null && --shared.holders == 0) {
          open.remove(key);
          shared.session.disconnect();
          if (shared.parent != null) {
            shared.parent.release();
          }
        }
      }
    }
  }

  private static final class Shared {
    final Session session;
    final Lease parent;
    int holders;

    Shared(Session session, Lease parent) {
      this.session = session;
      this.parent = parent;
    }
  }

  private final Opener opener;
  private final Map<String, Shared> open = new HashMap<>();

  Bastions(Opener opener) {
    this.opener = opener;
  }

  /** The session to the last of {@code chain}, opening what is not open yet. */
  synchronized Lease acquire(List<SshTarget> chain) {
    SshTarget last = chain.get(chain.size() - 1);
    String key = last.chainKey();
    Shared shared = open.get(key);
    if (shared == null || !shared.session.isConnected()) {
      Lease parent = chain.size() > 1 ? acquire(chain.subList(0, chain.size() - 1)) : null;
      try {
        shared = new Shared(opener.open(last, parent == null ? null : parent.session()), parent);
      } catch (RuntimeException e) {
        if (parent != null) {
          parent.release();
        }
        throw e;
      }
      open.put(key, shared);
    }
    shared.holders++;
    return new Lease(key, shared.session);
  }
}
