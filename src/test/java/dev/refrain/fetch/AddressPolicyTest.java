package dev.refrain.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
  private final AddressPolicy strict = AddressPolicy.of(false);

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, loopback",
    "127.255.0.9, loopback",
    "::1, loopback",
    "10.0.0.1, private",
    "172.16.0.1, private",
    "172.31.255.255, private",
    "192.168.1.1, private",
    "fc00::1, private",
    "fd12:3456::1, private",
    "fec0::1, private",
    "169.254.169.254, cloud metadata",
    "169.254.1.1, link-local",
    "fe80::1, link-local",
    "0.0.0.0, unspecified",
    "0.1.2.3, unspecified",
    "::, unspecified",
    "100.64.0.1, carrier-grade NAT",
    "100.127.255.255, carrier-grade NAT",
    "224.0.0.1, multicast",
    "ff02::1, multicast",
    "255.255.255.255, broadcast",
    "240.0.0.1, reserved",
    "::127.0.0.1, loopback",
    "64:ff9b::a00:1, private",
    "2002:a9fe:a9fe::1, cloud metadata",
  })
  void refusesNonPublicAddresses(String literal, String kind) throws Exception {
    assertThat(strict.refusal(InetAddress.getByName(literal)))
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("refused: ").contains(kind));
  }

  @Test
  void refusesIpv4MappedForms() throws Exception {
    // The parser turns ::ffff:a.b.c.d into an IPv4 address; build the IPv6 form by hand too.
    assertThat(strict.refusal(InetAddress.getByName("::ffff:127.0.0.1"))).isPresent();
    byte[] mapped = new byte[16];
    mapped[10] = mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 169; mapped[13] = (byte) 254; mapped[14] = (byte) 169; mapped[15] = (byte) 254;
    assertThat(strict.refusal(Inet6Address.getByAddress(null, mapped, -1)))
        .hasValueSatisfying(reason -> assertThat(reason).contains("cloud metadata"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "169.253.0.1", "2606:4700::1111", "::ffff:8.8.8.8"})
  void allowsPublicAddresses(String literal) throws Exception {
    assertThat(strict.refusal(InetAddress.getByName(literal))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1", "10.0.0.1", "169.254.169.254", "fe80::1"})
  void allowPrivateAllowsEverything(String literal) throws Exception {
    assertThat(AddressPolicy.of(true).refusal(InetAddress.getByName(literal))).isEmpty();
  }

  @Test
  void messageIsHuman() throws Exception {
    assertThat(strict.refusal(InetAddress.getByName("127.0.0.1"))).hasValue("refused: 127.0.0.1 is a loopback address");
    assertThat(strict.refusalForHost("localhost")).hasValueSatisfying(reason -> assertThat(reason).startsWith("refused: localhost (").contains("loopback"));
  }

  @Test
  void checksHostsAndLiterals() {
    assertThat(strict.refusalForHost("[::1]")).isPresent();
    assertThat(strict.refusalForHost("169.254.169.254")).isPresent();
    assertThat(strict.refusalForHost("8.8.8.8")).isEmpty();
    assertThat(strict.refusalForHost("no-such-host.invalid")).hasValue("cannot resolve host no-such-host.invalid");
  }
}
