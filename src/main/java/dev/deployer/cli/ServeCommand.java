package dev.deployer.cli;

import dev.deployer.server.DeployServer;
import dev.deployer.server.ServerConfig;
import dev.deployer.ssh.SshOptions;
import dev.deployer.ssh.HostKeyChecking;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer serve}: deploy on registry webhooks and uploads, with a queue and a status API. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpWidth = 110,
    header = "Serves the deploy API: webhooks, uploads, status and logs.",
    description = {
      "Serves the deploy API: Docker Hub and signed generic webhooks, uploads of a docker save tar "
          + "and/or a tar.gz package, a queue (one deployment at a time per project; a newer one supersedes "
          + "queued ones), status, stats and logs. Deployments live in SQLite under data_dir, so a restart "
          + "loses nothing. SIGTERM stops taking requests and lets the active deployment finish.",
      "",
      "Endpoints under api_root (default /deploy): /, /list, /info, /stat, /upload, "
          + "/status/{project}, /status/{project}/{deployment}, /logs/{project}/{deployment}, /deployments, "
          + "/hooks/dockerhub/{hook_token}, /hooks/generic/{project}. README shows a curl for each. The "
          + "server's log (one line per request, errors with stacks) goes to standard error."
    },
    footer = {"", "Example:", "  deployer serve -c server.yml"})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "server.yml",
      description = "The server's config (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = "--host-key-checking", paramLabel = "MODE", defaultValue = "strict",
      converter = HostKeyCheckingConverter.class, description = "strict (default), accept-new or off, as for play.")
  HostKeyChecking hostKeyChecking;

  @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts for hosts whose inventory names none.")
  Path knownHosts;

  @Option(names = "--ipd-conf", paramLabel = "FILE", defaultValue = "/etc/ipd.conf",
      description = "IPD's KEY=VALUE file, read where the environment has no value (default: ${DEFAULT-VALUE}, when it exists).")
  Path ipdConf;

  @Override
  public Integer call() throws Exception {
    java.util.Map<String, String> ipd = java.nio.file.Files.isReadable(ipdConf) ? dev.deployer.server.IpdConf.read(ipdConf) : java.util.Map.of();
    ServerConfig settings = ServerConfig.load(config, name -> System.getenv(name) != null ? System.getenv(name) : ipd.get(name));
    SshOptions ssh = SshOptions.of(
        hostKeyChecking, knownHosts, SshOptions.defaults().connectTimeout(), Duration.ofMinutes(30));
    String version = new VersionProvider().getVersion()[0];
    DeployServer server = new DeployServer(settings, ssh, version);
    server.start();
    spec.commandLine().getOut().println("deployer serve: listening on " + server.address());
    spec.commandLine().getOut().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    DeployServer running = server;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "deployer-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
