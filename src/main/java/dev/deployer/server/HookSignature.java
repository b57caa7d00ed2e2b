package dev.deployer.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic hook's signature, the Standard Webhooks way: {@code webhook-id},
 * {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature} ({@code v1,<base64
 * HMAC-SHA256 of "id.timestamp.body">}, several separated by spaces while a secret is rotated).
 * A timestamp further than {@link #TOLERANCE} from now is refused, so a captured request goes
 * stale; within it, the id is what a replay repeats, and the caller refuses ids it has seen.
 */
final class HookSignature {
  static final Duration TOLERANCE = Duration.ofMinutes(5);

  /** A verified request: its id, to be refused when it comes again. */
  record Verified(String id) {}

  private HookSignature() {}

  /** The secret's key bytes: base64 after a {@code whsec_} prefix, else the text's UTF-8 bytes. */
  static byte[] key(String secret) {
    if (secret.startsWith("whsec_")) {
      try {
        return Base64.getDecoder().decode(secret.substring(6));
      } catch (IllegalArgumentException e) {
        // Not base64 after all: the whole text is the key, as for any other secret.
      }
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  static Verified verify(String secret, String id, String timestamp, String signatures, byte[] body, Instant now)
      throws Refusal {
    if (id == null || timestamp == null || signatures == null) {
      throw new Refusal(401, "a generic hook is signed: webhook-id, webhook-timestamp and webhook-signature headers"
          + " (v1,<base64 HMAC-SHA256 of \"id.timestamp.body\">)");
    }
    if (id.isEmpty() || id.length() > 256) {
      throw new Refusal(401, "webhook-id must be 1 to 256 characters");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new Refusal(401, "webhook-timestamp must be Unix seconds");
    }
    byte[] signed = concat((id + "." + timestamp.trim() + ".").getBytes(StandardCharsets.UTF_8), body);
    byte[] expected = hmac(key(secret), signed);
    boolean matched = false;
    for (String candidate : signatures.trim().split(" +")) {
      if (!candidate.startsWith("v1,")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(candidate.substring(3));
      } catch (IllegalArgumentException e) {
        continue;
      }
      matched |= MessageDigest.isEqual(expected, given);
    }
    if (!matched) {
      throw new Refusal(401, "webhook-signature does not match this project's signing_secret");
    }
    // Checked after the signature, so the age of a request is only told to one who could sign it.
    if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
      throw new Refusal(401, "webhook-timestamp is more than " + TOLERANCE.toMinutes()
          + " minutes from the server's time; send a fresh request (and check the clocks)");
    }
    return new Verified(id);
  }

  /** The old scheme, behind legacy_signature: X-Signature-256 is "sha256=" and the hex HMAC of the body. */
  static boolean legacy(String secret, byte[] body, String header) {
    if (header == null) {
      return false;
    }
    String expected = "sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), header.trim().getBytes(StandardCharsets.UTF_8));
  }

  /** The v1 signature of a request, as a sender makes it (for tests and the README's example). */
  static String sign(String secret, String id, long timestamp, byte[] body) {
    byte[] signed = concat((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    return "v1," + Base64.getEncoder().encodeToString(hmac(key(secret), signed));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
