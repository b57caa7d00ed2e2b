package dev.deployer.template;

/** A template that cannot be rendered for a host: a missing variable, a loop, bad syntax. */
public class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message);
  }
}
