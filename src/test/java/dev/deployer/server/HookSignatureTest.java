package dev.deployer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HookSignatureTest {
  private static final byte[] BODY = "{\"image\":\"example/app\",\"tag\":\"v1\"}".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);

  @Test
  void theStandardWebhooksTestVectorVerifies() throws Refusal {
    // The example in the Standard Webhooks spec: whsec_ secret, id, timestamp, body and signature.
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    Instant then = Instant.ofEpochSecond(1614265330L);
    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", HookSignature.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body));
    assertEquals("msg_p5jXN8AQM9LWM0D4loKWxJek", HookSignature.verify(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", body, then).id());
  }

  @Test
  void anySignatureInTheListMayMatchWhileASecretIsRotated() throws Refusal {
    String good = HookSignature.sign("0123456789abcdef-new", "id1", NOW.getEpochSecond(), BODY);
    String old = HookSignature.sign("0123456789abcdef-old", "id1", NOW.getEpochSecond(), BODY);
    assertEquals("id1", HookSignature.verify("0123456789abcdef-new", "id1", String.valueOf(NOW.getEpochSecond()),
        old + " " + good, BODY, NOW).id());
  }

  @Test
  void aChangedBodyIdOrTimestampIsRefused() {
    String ts = String.valueOf(NOW.getEpochSecond());
    String sig = HookSignature.sign("0123456789abcdef", "id1", NOW.getEpochSecond(), BODY);
    byte[] other = "{\"image\":\"example/app\",\"tag\":\"v0\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals(401, refused(() -> HookSignature.verify("0123456789abcdef", "id1", ts, sig, other, NOW)));
    assertEquals(401, refused(() -> HookSignature.verify("0123456789abcdef", "id2", ts, sig, BODY, NOW)));
    assertEquals(401, refused(() -> HookSignature.verify("0123456789abcdef", "id1", String.valueOf(NOW.getEpochSecond() + 1), sig, BODY, NOW)));
    assertEquals(401, refused(() -> HookSignature.verify("0123456789abcdef", "id1", ts, null, BODY, NOW)));
    assertEquals(401, refused(() -> HookSignature.verify("0123456789abcdef", "id1", ts, "v1,!!notbase64", BODY, NOW)));
  }

  @Test
  void aTimestampMoreThanFiveMinutesOffIsRefusedEvenWhenSigned() throws Refusal {
    long old = NOW.getEpochSecond() - 600;
    String sig = HookSignature.sign("0123456789abcdef", "id1", old, BODY);
    Refusal stale = assertThrows(Refusal.class,
        () -> HookSignature.verify("0123456789abcdef", "id1", String.valueOf(old), sig, BODY, NOW));
    assertEquals(401, stale.status());
    assertTrue(stale.getMessage().contains("more than 5 minutes"), stale.getMessage());
    long recent = NOW.getEpochSecond() - 240;
    HookSignature.verify("0123456789abcdef", "id1", String.valueOf(recent),
        HookSignature.sign("0123456789abcdef", "id1", recent, BODY), BODY, NOW);
  }

  @Test
  void theLegacySchemeIsTheHexHmacOfTheBody() {
    String hex = HexFormat.of().formatHex(HookSignature.hmac("0123456789abcdef".getBytes(StandardCharsets.UTF_8), BODY));
    assertTrue(HookSignature.legacy("0123456789abcdef", BODY, "sha256=" + hex));
    assertFalse(HookSignature.legacy("0123456789abcdef", BODY, "sha256=00"));
    assertFalse(HookSignature.legacy("0123456789abcdef", BODY, null));
  }

  private interface Check {
    void run() throws Refusal;
  }

  private static int refused(Check check) {
    return assertThrows(Refusal.class, check::run).status();
  }
}
