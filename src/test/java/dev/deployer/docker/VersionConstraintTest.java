package dev.deployer.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionConstraintTest {
  @Test
  void comparisons() {
    assertTrue(VersionConstraint.parse(">=24.0").allows("24.0.7"));
    assertTrue(VersionConstraint.parse(">=20.10").allows("20.10.24+dfsg1"));
    assertFalse(VersionConstraint.parse(">=24.0").allows("20.10.24"));
    assertTrue(VersionConstraint.parse("<28").allows("27.5.1"));
    assertFalse(VersionConstraint.parse(">24").allows("24.0.0"));
    assertTrue(VersionConstraint.parse(">=24, <28").allows("27.3.1"));
    assertFalse(VersionConstraint.parse(">=24, <28").allows("28.0.0"));
  }

  @Test
  void wildcardsAndBareVersionsMatchByPrefix() {
    assertTrue(VersionConstraint.parse("27.3.*").allows("27.3.1"));
    assertFalse(VersionConstraint.parse("27.3.*").allows("27.4.0"));
    assertTrue(VersionConstraint.parse("20.10.24").allows("20.10.24+dfsg1"));
    assertFalse(VersionConstraint.parse("20.10.24").allows("20.10.25"));
    assertTrue(VersionConstraint.parse("27").allows("27.0.3"));
    assertFalse(VersionConstraint.parse("!=27.*").allows("27.1.0"));
  }

  @Test
  void numbersIgnoreDistroSuffixes() {
    assertEquals(List.of(20, 10, 24), VersionConstraint.numbers("20.10.24+dfsg1-1+deb12u1+b6"));
  }

  @Test
  void nonsenseIsRejected() {
    assertThrows(dev.deployer.yaml.ConfigException.class, () -> VersionConstraint.parse(">= latest"));
  }
}
