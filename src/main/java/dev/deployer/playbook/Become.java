package dev.deployer.playbook;

import java.util.Map;

/**
 * Whether tasks run as another user through sudo (Ansible's become), and as whom. Set on a task,
 * a play, or as the variables {@code ansible_become} / {@code ansible_become_user} (inventory,
 * vars, -e, --become); the nearest one set wins, and a field left unset takes the next one's.
 *
 * @param enabled true, false, or null (not said here)
 * @param user the user to become, or null (not said here; root in the end)
 */
public record Become(Boolean enabled, String user) {
  public static final Become UNSET = new Become(null, null);

  /** This, with what it leaves unset taken from {@code outer}. */
  public Become over(Become outer) {
    return new Become(enabled != null ? enabled : outer.enabled, user != null ? user : outer.user);
  }

  public boolean on() {
    return Boolean.TRUE.equals(enabled);
  }

  public String userOrRoot() {
    return user == null ? "root" : user;
  }

  /** What a host's variables say: ansible_become and ansible_become_user. */
  public static Become fromVars(Map<String, Object> vars) {
    Object enabled = vars.get("ansible_become");
    Object user = vars.get("ansible_become_user");
    return new Become(enabled == null ? null : dev.deployer.template.Conditions.isTrue(enabled),
        user == null ? null : user.toString());
  }

  /** sudo's password from the host's variables (ansible_become_pass or _password), or null. */
  public static String password(Map<String, Object> vars) {
    Object pass = vars.containsKey("ansible_become_pass") ? vars.get("ansible_become_pass") : vars.get("ansible_become_password");
    return pass == null ? null : pass.toString();
  }
}
