package dev.deployer.unit;

import dev.deployer.yaml.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one order into the playbook tasks that carry it out: {@code container} for create, start,
 * stop, restart and remove; {@code docker_build} or a pull for build; {@code volume_backup} and
 * {@code volume_restore} for each of a container's own volumes; {@code exec}; {@code docker_image}
 * for tag, commit, push and remove_image; {@code check} for the daemon and job checks.
 */
final class OrderTasks {
  private final UnitPlaybook.Request request;
  private final Unit unit;
  private final TestNames names;

  OrderTasks(UnitPlaybook.Request request, TestNames names) {
    this.request = request;
    this.unit = request.unit();
    this.names = names;
  }

  List<Map<String, Object>> of(Order order) {
    UnitContainer container = unit.containers().get(order.container());
    Map<String, Object> args = order.args();
    return switch (order.action()) {
      case "build" -> withSources(container, build(container));
      case "create" -> withSources(container, container(order, container, "created"));
      case "start" -> withSources(container, container(order, container, Boolean.TRUE.equals(args.get("restart")) ? "restarted" : "started"));
      case "restart" -> withSources(container, container(order, container, "restarted"));
      case "stop" -> List.of(task(order, "container", stopOrRemove(order, "stopped")));
      case "remove" -> {
        Map<String, Object> remove = stopOrRemove(order, "absent");
        if (Boolean.TRUE.equals(args.get("volumes"))) {
          remove.put("remove_volumes", true);
        }
        yield List.of(task(order, "container", remove));
      }
      case "remove_image" -> List.of(task(order, "docker_image", map("action", "remove", "image", container.image())));
      case "backup" -> backups(order, container);
      case "restore" -> restores(order, container);
      case "exec" -> List.of(exec(order));
      case "tag" -> List.of(task(order, "docker_image",
          map("action", "tag", "source", container.image(), "image", required(order, "image"))));
      case "commit" -> List.of(task(order, "docker_image", commit(order)));
      case "push" -> List.of(task(order, "docker_image",
          map("action", "push", "image", args.getOrDefault("image", container.image()))));
      case "check" -> checks(order, container);
      default -> throw new IllegalStateException("no tasks for order " + order.action());
    };
  }

  /** A task of the playbook, named for its order ("start web", and the twin's name in a test). */
  private Map<String, Object> task(Order order, String type, Map<String, Object> args) {
    Map<String, Object> task = new LinkedHashMap<>();
    String real = names.container(order.container());
    task.put("name", order.action() + " " + order.container() + (real.equals(order.container()) ? "" : " (as " + real + ")"));
    task.put(type, args);
    return task;
  }

  private Map<String, Object> container(Order order, UnitContainer container, String state) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("name", names.container(container.name()));
    container.config().forEach((key, value) -> {
      switch (key) {
        case "volumes" -> args.put(key, UnitContainer.strings(value).stream().map(names::volume).toList());
        case "volumes_from" -> args.put(key, UnitContainer.strings(value).stream().map(names::volumesFrom).toList());
        // A twin publishes nothing: the live container holds those ports. Checks reach it at its address.
        case "ports" -> {
          if (!names.pseudo()) {
            args.put(key, value);
          }
        }
        default -> args.put(key, names.strings(value));
      }
    });
    if (order.args().get("timeout") != null) {
      args.put("stop_timeout", order.args().get("timeout"));
    }
    args.put("state", state);
    return task(order, "container", args);
  }

  /**
   * A container built from sources here gets them sent to its build context first, so any order
   * that may build (build, and create or start when the image is missing) finds them there.
   */
  private List<Map<String, Object>> withSources(UnitContainer container, Map<String, Object> task) {
    if (container.buildSrc() == null) {
      return List.of(task);
    }
    Map<String, Object> sync = new LinkedHashMap<>();
    sync.put("name", "send the build context of " + container.name());
    sync.put("sync_dir", map("src", container.buildSrc().toString(), "dest", container.build().get("context"), "delete", true));
    return List.of(sync, task);
  }

  private Map<String, Object> stopOrRemove(Order order, String state) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("name", names.container(order.container()));
    args.put("state", state);
    Object timeout = order.args().get("timeout") != null ? order.args().get("timeout")
        : unit.containers().get(order.container()).config().get("stop_timeout");
    if (timeout != null) {
      args.put("stop_timeout", timeout);
    }
    return args;
  }

  private Map<String, Object> build(UnitContainer container) {
    Order order = Order.of("build", container.name());
    if (!container.built()) {
      return task(order, "docker_image", map("action", "pull", "image", container.image()));
    }
    Map<String, Object> args = new LinkedHashMap<>(container.build());
    args.put("image", container.image());
    return task(order, "docker_build", args);
  }

  /** One backup per volume of the container (or the one path the order names). */
  private List<Map<String, Object>> backups(Order order, UnitContainer container) {
    Map<String, Object> args = order.args();
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (String path : paths(order, container)) {
      Map<String, Object> backup = new LinkedHashMap<>();
      backup.put("container", names.container(container.name()));
      backup.put("path", path);
      backup.put("dest", args.getOrDefault("dest", "{{dest}}"));
      putIfPresent(backup, "name", args.get("name"));
      putIfPresent(backup, "fetch", args.getOrDefault("fetch", request.has("fetch") ? "{{fetch}}" : null));
      putIfPresent(backup, "keep", args.getOrDefault("keep", request.given().containsKey("keep") ? number(request.given().get("keep"), "keep") : null));
      putIfPresent(backup, "stop", args.getOrDefault("stop", request.given().containsKey("stop") ? true : null));
      tasks.add(named(task(order, "volume_backup", backup), path));
    }
    return tasks;
  }

  /** One restore per volume: by default the newest backup of it in dest. */
  private List<Map<String, Object>> restores(Order order, UnitContainer container) {
    Map<String, Object> args = order.args();
    List<Map<String, Object>> tasks = new ArrayList<>();
    for (String path : paths(order, container)) {
      Map<String, Object> restore = new LinkedHashMap<>();
      restore.put("container", names.container(container.name()));
      restore.put("path", path);
      if (args.containsKey("src") || args.containsKey("upload") || args.containsKey("newest_in")) {
        for (String key : List.of("src", "upload", "newest_in")) {
          putIfPresent(restore, key, args.get(key));
        }
      } else {
        restore.put("newest_in", "{{dest}}");
      }
      putIfPresent(restore, "force", args.getOrDefault("force", request.given().containsKey("force") ? true : null));
      tasks.add(named(task(order, "volume_restore", restore), path));
    }
    return tasks;
  }

  private static List<String> paths(Order order, UnitContainer container) {
    if (order.args().get("path") != null) {
      return List.of(String.valueOf(order.args().get("path")));
    }
    if (!container.hasOwnVolumes()) {
      throw new ConfigException(order.location(), order.action() + " " + container.name()
          + ": it has no volumes of its own (list them under volumes:, or give path:)");
    }
    return container.ownVolumePaths();
  }

  private Map<String, Object> exec(Order order) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("container", names.container(order.container()));
    order.args().forEach((key, value) -> args.put(key, names.strings(value)));
    return task(order, "exec", args);
  }

  private Map<String, Object> commit(Order order) {
    Map<String, Object> args = map("action", "commit", "container", names.container(order.container()), "image",
        required(order, "image"));
    putIfPresent(args, "message", order.args().get("message"));
    putIfPresent(args, "changes", order.args().get("changes"));
    return args;
  }

  /** The daemon check (answers retried while it starts) and the job check of a container. */
  private List<Map<String, Object>> checks(Order order, UnitContainer container) {
    List<Map<String, Object>> tasks = new ArrayList<>();
    if (!container.daemon().isEmpty()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> args = (Map<String, Object>) names.strings(container.daemon());
      if (args.get("from") != null) {
        args.put("from", names.container(String.valueOf(args.get("from"))));
      }
      args.putIfAbsent("retries", 15);
      args.putIfAbsent("delay", 1);
      Map<String, Object> task = task(order, "check", args);
      task.put("name", "daemon " + container.name() + " answers");
      tasks.add(task);
    }
    if (!container.job().isEmpty()) {
      Map<String, Object> job = new LinkedHashMap<>();
      job.put("container", names.container(container.name()));
      job.putAll(container.job());
      Map<String, Object> task = task(order, "check", map("job", job));
      task.put("name", "job " + container.name() + " ends well");
      tasks.add(task);
    }
    return tasks;
  }

  private static Object required(Order order, String key) {
    Object value = order.args().get(key);
    if (value == null) {
      throw new ConfigException(order.location(), order.action() + " " + order.container() + " needs " + key + ":");
    }
    return value;
  }

  private static Object number(String text, String param) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(null, "--" + param + " must be a number, not '" + text + "'");
    }
  }

  private static Map<String, Object> named(Map<String, Object> task, String path) {
    task.put("name", task.get("name") + " " + path);
    return task;
  }

  private static void putIfPresent(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
