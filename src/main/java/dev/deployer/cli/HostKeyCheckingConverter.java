package dev.deployer.cli;

import dev.deployer.ssh.HostKeyChecking;
import picocli.CommandLine;

/** --host-key-checking as a mode, so a wrong word is a usage error before anything runs. */
final class HostKeyCheckingConverter implements CommandLine.ITypeConverter<HostKeyChecking> {
  @Override
  public HostKeyChecking convert(String value) {
    try {
      return HostKeyChecking.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
