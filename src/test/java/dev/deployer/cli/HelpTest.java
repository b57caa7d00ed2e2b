package dev.deployer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What `deployer --help` and each command's help read like. */
class HelpTest {
  private static List<CommandLine> everyCommand(CommandLine root) {
    List<CommandLine> all = new ArrayList<>(List.of(root));
    root.getSubcommands().values().forEach(sub -> all.addAll(everyCommand(sub)));
    return all;
  }

  /** The line a command has in its parent's list: its header, or else its description's first line. */
  private static String summary(CommandLine command) {
    var usage = command.getCommandSpec().usageMessage();
    return usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
  }

  @Test
  void everySummaryIsOneWholeSentence() {
    for (CommandLine command : everyCommand(Main.commandLine())) {
      String name = command.getCommandSpec().qualifiedName();
      String summary = summary(command);
      assertTrue(summary.endsWith("."), name + ": \"" + summary + "\" does not end a sentence");
      assertFalse(summary.substring(0, summary.length() - 1).contains(". "), name + ": more than one sentence: " + summary);
    }
  }

  /**
   * Descriptions are paragraphs for picocli to wrap at the terminal's width, not lines broken by
   * hand at some width: each line ends a sentence or introduces what follows, or is an indented
   * example kept as written.
   */
  @Test
  void descriptionsAreWholeParagraphsWrappedAtTheTerminalsWidth() {
    for (CommandLine command : everyCommand(Main.commandLine())) {
      String name = command.getCommandSpec().qualifiedName();
      assertTrue(command.isUsageHelpAutoWidth(), name + " wraps at a fixed width");
      for (String text : command.getCommandSpec().usageMessage().description()) {
        String line = text.replaceAll("(%n)+$", "");
        assertTrue(line.isEmpty() || line.startsWith("  ") || line.matches("(?s).*[.:]\\)?"),
            name + ": a line broken mid-sentence: " + line);
      }
    }
  }

  @Test
  void aRunBuildsOnlyTheCommandItNamesAndHelpOrATypoGetsThemAll() {
    assertEquals(List.of("play"), List.copyOf(Main.commandLine("play", "site.yml").getSubcommands().keySet()));
    assertEquals(List.of("unit"), List.copyOf(Main.commandLine("unit", "list").getSubcommands().keySet()));
    int all = DeployerCommand.SUBCOMMANDS.size();
    assertEquals(all, Main.commandLine("--help").getSubcommands().size());
    assertEquals(all, Main.commandLine("help", "play").getSubcommands().size());
    assertEquals(all, Main.commandLine("plya").getSubcommands().size());
    assertEquals(all, Main.commandLine().getSubcommands().size());
    StringWriter out = new StringWriter();
    CommandLine play = Main.commandLine("play", "--help");
    play.setOut(new PrintWriter(out, true));
    assertEquals(0, play.execute("play", "--help"));
    assertTrue(out.toString().contains("Task types:"), "play's help still ends with the task types");
  }

  @Test
  void theTopHelpListsEveryCommandOnOneLineAtEightyColumns() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setUsageHelpAutoWidth(false);
    cli.setUsageHelpWidth(80);
    cli.setOut(new PrintWriter(out, true));
    assertEquals(0, cli.execute("--help"));
    String help = out.toString();
    assertTrue(help.replaceAll("\\s+", " ").contains("rendered with Mustache and run over parallel SSH sessions"), help);
    List<String> listed = help.lines().dropWhile(line -> !line.equals("Commands:")).skip(1)
        .takeWhile(line -> !line.isBlank()).toList();
    assertEquals(cli.getSubcommands().size(), listed.size(), "one line each:\n" + String.join("\n", listed));
    listed.forEach(line -> assertTrue(line.endsWith("."), line));
  }
}
