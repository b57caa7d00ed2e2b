package dev.deployer.task;

/** One field that differs between what a host has and what the playbook asks for. */
public record Change(Object before, Object after) {}
