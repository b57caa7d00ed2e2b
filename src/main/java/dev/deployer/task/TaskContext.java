package dev.deployer.task;

import dev.deployer.ssh.Remote;
import java.nio.file.Path;

/**
 * What a task may use on one host.
 *
 * @param check true under --check: read the host, change nothing
 * @param playbookDir local paths in a playbook are relative to its directory
 */
public record TaskContext(String host, Remote remote, boolean check, Path playbookDir) {}
