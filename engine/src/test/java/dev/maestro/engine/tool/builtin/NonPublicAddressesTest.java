package dev.maestro.engine.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NonPublicAddressesTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.255.0.1", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1",
      "169.254.169.254", "100.64.0.1", "100.127.255.255", "224.0.0.251", "255.255.255.255",
      "::", "::1", "fe80::1", "fec0::1", "fc00::1", "fd00:ec2::254", "ff02::1",
      "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::"})
  void non_public_addresses_are_recognised(String address) throws UnknownHostException {
    assertThat(NonPublicAddresses.reason(InetAddress.getByName(address))).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700:4700::1111", "64:ff9b::808:808",
      "2002:808:808::"})
  void public_addresses_pass(String address) throws UnknownHostException {
    assertThat(NonPublicAddresses.reason(InetAddress.getByName(address))).isEmpty();
  }
}
