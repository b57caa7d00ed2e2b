package dev.deployer.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.docker.ContainerSpec;
import dev.deployer.docker.Docker;
import dev.deployer.docker.DockerCommands;
import dev.deployer.docker.DockerException;
import dev.deployer.docker.HealthGate;
import dev.deployer.docker.HealthWait;
import dev.deployer.docker.HttpProbe;
import dev.deployer.docker.ProxySettings;
import dev.deployer.docker.Release;
import dev.deployer.proxy.CaddyConfig;
import dev.deployer.proxy.HostProxy;
import dev.deployer.proxy.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A swap behind the host's proxy, where nobody notices: the new container starts beside the live
 * one, on the proxy's network at an address of its own, and gets no request until Docker calls it
 * healthy and the proxy has fetched {@code health_path} from it. Then the route is switched, the
 * old container's requests finish (up to {@code drain_timeout}), it is stopped and removed, and
 * the new one takes the service's name. A new version that is never healthy is removed; the old one
 * never stopped serving.
 *
 * <p>Cut off at any point, the next run finishes or undoes it by what the proxy routes to: a
 * container the route leads to is the live one, any other new one never served and goes.
 */
final class ProxiedSwap {
  static final String NEXT = "_next_";
  private static final int LOG_LINES = 20;
  private static final String PROXY_LOCK = "deployer-proxy";

  private final TaskContext ctx;
  private final Docker docker;
  private final HostProxy proxy;

  ProxiedSwap(TaskContext ctx) {
    this.ctx = ctx;
    this.docker = ctx.docker();
    this.proxy = new HostProxy(docker);
  }

  /** The live container's route as the proxy has it, or null (no proxy, no route). */
  Route route(String name) {
    return proxy.running() ? proxy.routes().get(name) : null;
  }

  /** The route leads to the live container, on the port, name and TLS the settings ask. */
  static boolean routedTo(Route route, LiveContainer live, ProxySettings settings) {
    return route != null && route.matches(settings) && leadsTo(route, live)
        && route.upstream().endsWith(":" + settings.appPort());
  }

  private static boolean leadsTo(Route route, LiveContainer live) {
    return live.container().flatMap(HostProxy::address)
        .map(ip -> route.upstream().startsWith(ip + ":")).orElse(false);
  }

  /** What --check says: where the route leads now, and to what it would lead. */
  static TaskResult planRoute(TaskResult plan, Route route, LiveContainer live, ProxySettings settings, String image) {
    String before = route == null ? "no route"
        : leadsTo(route, live) && live.current() != null ? live.current().image() : route.upstream();
    return plan.withDiff("route " + settings.address(), before, image + " (once healthy)");
  }

  /** Points the route at a live container that is already what was asked for (the proxy lost it, or it moved). */
  TaskResult reroute(String name, LiveContainer live, ProxySettings settings, String proxyImage) {
    ensureProxy(proxyImage);
    String ip = live.container().flatMap(HostProxy::address).orElseThrow();
    Route before = switchRoute(Route.of(name, settings, ip + ":" + settings.appPort()));
    return TaskResult.changed("routed " + settings.address() + " to " + name + " (" + live.current().image() + ")")
        .withDiff("route " + settings.address(), before == null ? "no route" : before.upstream(), ip + ":" + settings.appPort());
  }

  /**
   * Runs a release beside the live container and switches the route to it once it is healthy.
   *
   * @param runImage what docker create runs: the release's image, or for a rollback its exact image ID
   * @param proxyImage the proxy's image, should the host have none yet
   */
  TaskResult swap(Release release, String runImage, HealthSettings health, List<Release> kept, LiveContainer live,
      String proxyImage) {
    ContainerSpec spec = release.config();
    ProxySettings settings = spec.proxy();
    String name = spec.name();
    ensureProxy(proxyImage);
    String next = name + NEXT + Long.toString(ctx.clock().millis(), 36);
    String address = proxy.freeAddress();
    ContainerSpec onProxyNetwork = spec.onNetwork(HostProxy.NETWORK, settings);
    String upstream = address + ":" + settings.appPort();
    HealthGate.Outcome outcome;
    HealthWait wait;
    try {
      docker.run("creating the new container", DockerCommands.create(next, runImage, onProxyNetwork, release.labels(kept), address));
      if (spec.network() != null && !spec.network().equals(HostProxy.NETWORK)) {
        docker.run("joining the network " + spec.network(), DockerCommands.networkConnect(spec.network(), next));
      }
      docker.run("starting the new container", DockerCommands.start(next));
      wait = ContainerSwap.waitFor(docker, next, health);
      HttpProbe throughProxy = new HttpProbe("http://" + upstream + settings.healthPath(), 200, null);
      List<Supplier<Optional<String>>> checks = new ArrayList<>();
      checks.add(() -> throughProxy.failureFrom(ctx.remote(), HostProxy.CONTAINER));
      health.probes().forEach(probe -> checks.add(() -> probe.failure(ctx.remote())));
      outcome = ctx.healthGate().awaitChecks(next, wait, checks);
    } catch (DockerException e) {
      return discard(next, live, e.getMessage());
    }
    if (!outcome.healthy()) {
      return discard(next, live, "the new container is not healthy: " + outcome.detail() + " (" + wait.reason() + ")");
    }
    Optional<JsonNode> old = live.container();
    // A container that published the proxy's port itself (deployed before it was proxied) must free the port first.
    boolean switchOver = old.map(c -> publishes(c, settings.port())).orElse(false);
    if (switchOver) {
      docker.run("stopping the old container, which holds port " + settings.port(), DockerCommands.stop(name, spec.stopTimeout()));
    }
    Route before;
    try {
      before = switchRoute(Route.of(name, settings, upstream));
    } catch (DockerException e) {
      if (switchOver) {
        docker.attempt(DockerCommands.start(name));
      }
      return discard(next, live, e.getMessage());
    }
    long drainStarted = System.nanoTime();
    if (before != null && !before.upstream().equals(upstream)) {
      drain(before.upstream(), old.map(c -> drainSeconds(c, settings)).orElse(settings.drainSeconds()));
    }
    String drained = HealthWait.seconds(java.time.Duration.ofNanos(System.nanoTime() - drainStarted));
    if (old.isPresent()) {
      String oldId = old.get().path("Id").asText();
      docker.run("stopping the old container", DockerCommands.stop(oldId, spec.stopTimeout()));
      docker.run("removing the old container", DockerCommands.remove(oldId));
    }
    docker.run("naming the new container " + name, DockerCommands.rename(next, name));
    Release current = live.current();
    return TaskResult.changed("deployed " + release.image() + (current == null ? "" : " (was " + current.image() + ")")
            + "; " + outcome.detail() + " (" + wait.reason() + "); " + settings.address() + " switched"
            + (before == null ? "" : ", old requests drained in " + drained)
            + (switchOver ? "; the old container published port " + settings.port() + " itself and was stopped first" : ""))
        .withDiff("image", current == null ? "absent" : current.image(), release.image())
        .withDiff("route " + settings.address(), before == null ? "no route" : before.upstream(), upstream)
        .withData("image", release.image())
        .withData("image_id", release.imageId())
        .withData("waited_seconds", outcome.waited().toSeconds());
  }

  /**
   * Puts right what a proxied swap cut off midway left: containers {@code NAME_next_*}. One the
   * route leads to is the live one (the switch happened): the swap is finished. The others never
   * served a request and are removed.
   *
   * @return the live container afterwards
   */
  LiveContainer recover(String name, LiveContainer live, StringBuilder notes) {
    List<String> nexts = nextContainers(name);
    if (nexts.isEmpty()) {
      return live;
    }
    Route route = route(name);
    String routedIp = route == null ? null : route.upstream().replaceAll(":[0-9]+$", "");
    String serving = null;
    for (String next : nexts) {
      Optional<JsonNode> container = docker.inspectContainer(next);
      boolean runs = container.map(c -> c.path("State").path("Running").asBoolean()).orElse(false);
      if (runs && routedIp != null && container.flatMap(HostProxy::address).map(routedIp::equals).orElse(false)) {
        serving = next;
      }
    }
    for (String next : nexts) {
      if (!next.equals(serving)) {
        docker.run("removing a container no swap switched to", DockerCommands.forceRemove(next));
      }
    }
    if (serving == null) {
      notes.append("removed ").append(nexts.size()).append(" new container(s) left by a swap cut off before its switch; ");
      return live;
    }
    if (live.container().isPresent()) {
      ProxySettings settings = live.current() == null ? null : live.current().config().proxy();
      live.container().flatMap(HostProxy::address).ifPresent(ip -> {
        if (settings != null) {
          drain(ip + ":" + settings.appPort(), settings.drainSeconds());
        }
      });
      String oldId = live.container().get().path("Id").asText();
      docker.run("stopping the old container", DockerCommands.stop(oldId, live.current() == null ? 10 : live.current().config().stopTimeout()));
      docker.run("removing the old container", DockerCommands.remove(oldId));
    }
    docker.run("naming the new container " + name, DockerCommands.rename(serving, name));
    LiveContainer now = LiveContainer.of(docker.inspectContainer(name));
    notes.append("finished a swap cut off after its switch: ").append(now.current() == null ? name : now.current().image())
        .append(" serves; ");
    return now;
  }

  List<String> nextContainers(String name) {
    List<String> nexts = new ArrayList<>(docker.containerNames("name=^" + name + NEXT));
    nexts.removeIf(n -> !n.startsWith(name + NEXT));
    return nexts;
  }

  /** The new container never got a request: it goes, with its last log lines in the report. */
  private TaskResult discard(String next, LiveContainer live, String why) {
    String logs = docker.inspectContainer(next).isPresent() ? docker.logTail(next, LOG_LINES) : "(no container)";
    var removed = docker.attempt(DockerCommands.forceRemove(next));
    String old = live.current() == null ? (live.container().isPresent() ? "the old container" : null) : live.current().image();
    return TaskResult.failed(why + "; it never received a request"
        + (old == null ? "" : " and " + old + " kept serving")
        + (removed.ok() ? "" : "; removing it failed (" + removed.errorSummary() + "), the next run removes it")
        + ". Last log lines:\n" + logs);
  }

  /** Takes a service's route off the proxy (the service leaves it for a plain swap); returns the route, or null. */
  Route dropRoute(String name) {
    if (!proxy.running()) {
      return null;
    }
    try (DeployLock lock = DeployLock.acquire(ctx.remote(), PROXY_LOCK, ctx.run(), ctx.clock().instant())) {
      Map<String, Route> routes = new TreeMap<>(proxy.routes());
      Route dropped = routes.remove(name);
      if (dropped != null) {
        proxy.load(routes);
      }
      return dropped;
    }
  }

  /** Puts back a route {@link #dropRoute} took off, when the plain swap that followed failed. */
  void restoreRoute(Route route) {
    switchRoute(route);
  }

  /** Sets one route under the proxy's lock (two deploys on one host must not each write back the other's old routes). */
  private Route switchRoute(Route wanted) {
    try (DeployLock lock = DeployLock.acquire(ctx.remote(), PROXY_LOCK, ctx.run(), ctx.clock().instant())) {
      Map<String, Route> routes = new TreeMap<>(proxy.routes());
      String conflict = CaddyConfig.conflict(routes, wanted);
      if (conflict != null) {
        throw new DockerException(conflict);
      }
      Route before = routes.put(wanted.service(), wanted);
      if (!wanted.equals(before)) {
        proxy.load(routes);
      }
      return before;
    }
  }

  /** Waits until the proxy holds no connection to the old container, or the drain timeout has passed. */
  private void drain(String upstream, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline && proxy.connectionsTo(upstream) > 0) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The old container's own drain timeout, from its release; else the new one's. */
  private static int drainSeconds(JsonNode container, ProxySettings fallback) {
    Release release = Release.current(container);
    return release != null && release.config().proxy() != null ? release.config().proxy().drainSeconds() : fallback.drainSeconds();
  }

  private void ensureProxy(String image) {
    if (!proxy.running()) {
      TaskResult made = EnsureProxyTask.ensure(ctx, image == null ? EnsureProxyTask.DEFAULT_IMAGE : image);
      if (made.status() == Status.FAILED) {
        throw new DockerException(made.message());
      }
    }
  }

  private static boolean publishes(JsonNode container, int port) {
    for (JsonNode bindings : container.path("HostConfig").path("PortBindings")) {
      for (JsonNode binding : bindings) {
        if (binding.path("HostPort").asText().equals(Integer.toString(port))) {
          return true;
        }
      }
    }
    return false;
  }
}
