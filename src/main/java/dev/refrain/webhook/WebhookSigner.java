package dev.refrain.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: `v1,` + base64 HMAC-SHA256 over `<id>.<timestamp>.<body>`. A
 * secret of the form `whsec_<base64>` keys with its decoded bytes, as Standard Webhooks libraries
 * expect; any other secret keys with its UTF-8 bytes.
 */
public final class WebhookSigner {
  private WebhookSigner() {}

  public static String sign(String id, long timestampSeconds, String body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keyBytes(secret), "HmacSHA256"));
      byte[] sig = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] keyBytes(String secret) {
    if (secret.startsWith("whsec_")) {
      try {
        return Base64.getDecoder().decode(secret.substring("whsec_".length()));
      } catch (IllegalArgumentException notBase64) {
        // Not a Standard Webhooks secret after all: fall through to the raw bytes.
      }
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }
}
