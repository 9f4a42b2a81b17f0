package dev.refrain.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The base URL and client address of a request, from who sent it and what its proxies said. */
class ForwardingTest {
  private static final String NODE = "http://localhost:8080";
  private final Forwarding behindProxy = new Forwarding(NODE, false, List.of("10.0.0.0/8", "::1"));

  @Test
  void aRequestStraightToUsGetsTheNodesBase() {
    assertThat(behindProxy.of("203.0.113.7", false, headers()))
        .isEqualTo(new Forwarding.Caller(NODE, "203.0.113.7"));
  }

  @Test
  void forwardedHeadersFromAnyOtherPeerAreIgnored() {
    Forwarding.Caller c = behindProxy.of("203.0.113.7", false, headers("X-Forwarded-Host", "evil.example",
        "X-Forwarded-Proto", "https", "Forwarded", "for=198.51.100.1;host=evil.example", "X-Forwarded-For", "198.51.100.1"));
    assertThat(c).isEqualTo(new Forwarding.Caller(NODE, "203.0.113.7"));
  }

  @Test
  void noProxyIsTrustedUnlessConfigured() {
    Forwarding none = new Forwarding(NODE, false, List.of());
    assertThat(none.of("127.0.0.1", false, headers("X-Forwarded-Host", "evil.example")).base()).isEqualTo(NODE);
  }

  @Test
  void xForwardedHeadersFromATrustedProxyMakeTheBase() {
    Forwarding.Caller c = behindProxy.of("10.1.2.3", false, headers("Host", "internal:8080",
        "X-Forwarded-Proto", "https", "X-Forwarded-Host", "Music.Example.com", "X-Forwarded-For", "203.0.113.7"));
    assertThat(c).isEqualTo(new Forwarding.Caller("https://music.example.com", "203.0.113.7"));
  }

  @Test
  void portAndPrefixAreHonoured() {
    Forwarding.Caller c = behindProxy.of("10.1.2.3", false, headers("X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "music.example.com", "X-Forwarded-Port", "8443", "X-Forwarded-Prefix", "/refrain/"));
    assertThat(c.base()).isEqualTo("https://music.example.com:8443/refrain");
    assertThat(behindProxy.of("10.1.2.3", false, headers("X-Forwarded-Proto", "https", "X-Forwarded-Host",
        "music.example.com:443")).base()).isEqualTo("https://music.example.com");
  }

  @Test
  void withoutAForwardedHostTheTrustedProxysHostHeaderIsUsed() {
    assertThat(behindProxy.of("10.1.2.3", false, headers("Host", "music.example.com", "X-Forwarded-Proto", "https")).base())
        .isEqualTo("https://music.example.com");
  }

  @Test
  void theProtoDefaultsToTheConnections() {
    assertThat(behindProxy.of("10.1.2.3", true, headers("X-Forwarded-Host", "music.example.com")).base())
        .isEqualTo("https://music.example.com");
  }

  @Test
  void aTrustedProxyWithoutForwardedHeadersIsAClientLikeAnyOther() {
    assertThat(behindProxy.of("10.1.2.3", false, headers("Host", "music.example.com")))
        .isEqualTo(new Forwarding.Caller(NODE, "10.1.2.3"));
  }

  @Test
  void rfc7239ElementsAreBelievedFromTheRightWhileTheyComeFromTrustedProxies() {
    // The client wrote the first element itself; our proxy (10.1.2.3) appended the second.
    Forwarding.Caller spoofed = behindProxy.of("10.1.2.3", false, headers("Forwarded",
        "for=10.9.9.9;host=evil.example;proto=http, for=203.0.113.7;host=music.example.com;proto=https"));
    assertThat(spoofed).isEqualTo(new Forwarding.Caller("https://music.example.com", "203.0.113.7"));
    // Two trusted proxies: the outer one (which saw the client) names what the client asked for.
    Forwarding.Caller chain = behindProxy.of("10.1.2.3", false, headers("Forwarded",
        "for=203.0.113.7;host=music.example.com;proto=https", "Forwarded", "for=10.0.0.2;host=inner;proto=http"));
    assertThat(chain).isEqualTo(new Forwarding.Caller("https://music.example.com", "203.0.113.7"));
  }

  @Test
  void xForwardedForIsWalkedTheSameWay() {
    Forwarding.Caller c = behindProxy.of("10.1.2.3", false, headers("X-Forwarded-For", "10.9.9.9, 203.0.113.7, 10.0.0.2",
        "X-Forwarded-Host", "music.example.com"));
    assertThat(c.client()).isEqualTo("203.0.113.7");
  }

  @Test
  void ipv6NodesAndPeers() {
    Forwarding.Caller c = behindProxy.of("[0:0:0:0:0:0:0:1]", false, headers("Forwarded",
        "for=\"[2001:db8:cafe::17]:4711\";proto=https;host=\"[2001:db8::1]:8443\""));
    assertThat(c).isEqualTo(new Forwarding.Caller("https://[2001:db8::1]:8443", "2001:db8:cafe::17"));
  }

  @Test
  void anyPartThatIsNoPartOfAUrlLeavesTheNodesBase() {
    for (String[] bad : new String[][] {
        {"X-Forwarded-Host", "evil.example/path"}, {"X-Forwarded-Host", "user@evil.example"}, {"X-Forwarded-Host", "a b"},
        {"X-Forwarded-Host", "evil.example\r\nX: y"}, {"X-Forwarded-Proto", "javascript"}, {"X-Forwarded-Port", "99999"},
        {"X-Forwarded-Port", "0"}, {"X-Forwarded-Port", "80a"}, {"X-Forwarded-Prefix", "/a/../b"}, {"X-Forwarded-Prefix", "no-slash"},
        {"X-Forwarded-Prefix", "/a?b"}, {"X-Forwarded-Prefix", "//evil.example"}}) {
      Map<String, List<String>> h = new HashMap<>(Map.of("x-forwarded-host", List.of("music.example.com"), "x-forwarded-proto", List.of("https")));
      h.put(bad[0].toLowerCase(Locale.ROOT), List.of(bad[1]));
      assertThat(behindProxy.of("10.1.2.3", false, name -> h.getOrDefault(name.toLowerCase(Locale.ROOT), List.of())).base())
          .as("%s: %s", bad[0], bad[1]).isEqualTo(NODE);
    }
  }

  @Test
  void aMalformedForwardedHeaderIsNotBelieved() {
    assertThat(behindProxy.of("10.1.2.3", false, headers("Forwarded", "for=\"203.0.113.7;host=evil.example")))
        .isEqualTo(new Forwarding.Caller(NODE, "10.1.2.3"));
    assertThat(behindProxy.of("10.1.2.3", false, headers("Forwarded", "host")).base()).isEqualTo(NODE);
  }

  @Test
  void hostNamesAreNeverResolvedToDecideTrust() {
    // "localhost" would resolve to a trusted address; a proxy chain is trusted by literal addresses only.
    Forwarding loopback = new Forwarding(NODE, false, List.of("127.0.0.0/8"));
    assertThat(loopback.of("127.0.0.1", false, headers("X-Forwarded-For", "203.0.113.7, localhost",
        "X-Forwarded-Host", "music.example.com")).client()).isEqualTo("localhost");
  }

  @Test
  void theOperatorsPublicBaseUrlWinsButTheClientIsStillKnown() {
    Forwarding fixed = new Forwarding("https://music.example.com", true, List.of("10.0.0.0/8"));
    assertThat(fixed.of("10.1.2.3", false, headers("X-Forwarded-Host", "other.example", "X-Forwarded-For", "203.0.113.7")))
        .isEqualTo(new Forwarding.Caller("https://music.example.com", "203.0.113.7"));
  }

  /** Whatever a trusted proxy passes on, the answer is the node's base or a URL of scheme, host, port and path only. */
  @Test
  void anyBytesInTheHeadersGiveAWellFormedBaseOrTheNodes() {
    java.util.Random random = new java.util.Random(15);
    String alphabet = "aZ09.-_:;,=\"[]/\\ \t@?#%&*!$'()+~|^`{}<>\u00e9\u0000";
    java.util.regex.Pattern url = java.util.regex.Pattern.compile("https?://[a-z0-9.\\[\\]:-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*");
    String[] names = {"Forwarded", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Forwarded-For", "Host"};
    for (int i = 0; i < 20_000; i++) {
      Map<String, List<String>> h = new HashMap<>();
      for (String name : names) {
        if (random.nextInt(3) == 0) continue;
        StringBuilder v = new StringBuilder();
        for (int n = random.nextInt(40); n > 0; n--) v.append(alphabet.charAt(random.nextInt(alphabet.length())));
        h.put(name.toLowerCase(Locale.ROOT), List.of(v.toString()));
      }
      Forwarding.Caller c = behindProxy.of("10.1.2.3", random.nextBoolean(), name -> h.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
      assertThat(c.base().equals(NODE) || url.matcher(c.base()).matches()).as("%s from %s", c.base(), h).isTrue();
      assertThat(c.client()).isNotNull();
    }
  }

  @Test
  void forwardedLinesParse() {
    List<List<String[]>> e = ForwardedHeader.parse("For=\"[2001:db8::1]:80\";Proto=https, for=192.0.2.43 ;by=\"a,b;c\"");
    assertThat(e).hasSize(2);
    assertThat(e.get(0).get(0)).containsExactly("for", "[2001:db8::1]:80");
    assertThat(e.get(0).get(1)).containsExactly("proto", "https");
    assertThat(e.get(1).get(1)).containsExactly("by", "a,b;c");
    assertThat(ForwardedHeader.parse("for=\"a\\\"b\"").get(0).get(0)).containsExactly("for", "a\"b");
    assertThat(ForwardedHeader.parse("=x")).isNull();
    assertThat(ForwardedHeader.parse("for=a b")).isNull();
    assertThat(ForwardedHeader.parse("x".repeat(9000) + "=1")).isNull();
  }

  /** Headers as a request has them: names case-insensitive, each line a value. */
  private static java.util.function.Function<String, List<String>> headers(String... pairs) {
    Map<String, List<String>> h = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      h.computeIfAbsent(pairs[i].toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return name -> h.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }
}
