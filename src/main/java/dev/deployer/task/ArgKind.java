package dev.deployer.task;

/** What an argument holds, which decides how it is rendered and checked. */
public enum ArgKind {
  STRING,
  BOOLEAN,
  INTEGER,
  /** A shell line whose {{values}} are quoted where they land, or a list of literal arguments. */
  COMMAND,
  STRING_LIST,
  /** A list of arguments, or a string split into words as a shell (or Compose) would. */
  WORDS,
  STRING_MAP,
  /** A mapping with its own keys, which the task checks (such as swap_container's health). */
  MAPPING,
  /** A mapping or a list of them (such as http probes), which the task checks. */
  MAPPINGS
}
