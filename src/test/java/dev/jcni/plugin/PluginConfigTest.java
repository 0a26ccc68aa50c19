package dev.jcni.plugin;

import dev.jcni.ipam.IpPrefix;
import dev.jcni.spec.CniException;
import dev.jcni.spec.Dns;
import dev.jcni.spec.NetConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** jcni's own config keys: defaults, every accepted form, and code 7 naming the key for every bad value. */
class PluginConfigTest {

    /** A config with the well-known keys and {@code keys} (a JSON fragment starting with a comma, or empty). */
    static PluginConfig parse(String keys) {
        String json = "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"jcni\"" + keys + "}";
        return PluginConfig.from(NetConf.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Asserts that {@code keys} is refused with code 7 and that the message names {@code key}. */
    static CniException rejected(String keys, String key) {
        CniException e = assertThrows(CniException.class, () -> parse(keys), keys);
        assertEquals(7, e.code(), "code for " + keys + ": " + e.msg());
        assertTrue(e.msg().contains(key), "msg should name " + key + ": " + e.msg());
        return e;
    }

    private static final String CIDR = ",\"podcidr\":\"10.240.0.0/24\"";

    @Test
    void defaults() {
        PluginConfig c = parse(CIDR);
        assertEquals("net1", c.network());
        assertEquals(List.of(IpPrefix.parse("10.240.0.0/24")), c.podCidrs());
        assertEquals("cni0", c.bridge());
        assertEquals(PluginConfig.DEFAULT_BRIDGE, c.bridge());
        assertEquals(Path.of("/var/lib/cni/jcni"), c.dataDir());
        assertEquals(Path.of("/var/lib/cni/jcni/net1"), c.networkDir());
        assertNull(c.mtu(), "no mtu means: the node's default-route interface, else 1500");
        assertTrue(c.hairpinMode());
        assertNull(c.logFile());
        assertNull(c.ipam());
        assertTrue(c.dns().isEmpty());
    }

    @Test
    void everyKeySet() {
        PluginConfig c = parse("""
                ,"podcidr":"10.240.0.0/24","bridge":"br-pods","dataDir":"/tmp/jcni-data","mtu":1450,
                "hairpinMode":false,"logFile":"/var/log/jcni.log",
                "dns":{"nameservers":["10.96.0.10"],"domain":"cluster.local","search":["svc.cluster.local"],"options":["ndots:5"]}
                """);
        assertEquals("br-pods", c.bridge());
        assertEquals(Path.of("/tmp/jcni-data"), c.dataDir());
        assertEquals(Path.of("/tmp/jcni-data/net1"), c.networkDir());
        assertEquals(1450, c.mtu());
        assertFalse(c.hairpinMode());
        assertEquals(Path.of("/var/log/jcni.log"), c.logFile());
        assertEquals(new Dns(List.of("10.96.0.10"), "cluster.local", List.of("svc.cluster.local"), List.of("ndots:5")), c.dns());
    }

    @Test
    void unknownKeysAreIgnored() {
        PluginConfig c = parse(CIDR + """
                ,"futureKey":{"nested":[1,2,{"x":null}]},"capabilities":{"portMappings":true},
                "runtimeConfig":{"portMappings":[]},"args":{"cni":{"ips":["10.240.0.9"]}},"Bridge":7
                """);
        assertEquals(parse(CIDR), c);
    }

    // ---- podcidr / podcidrs / ipam ---------------------------------------------------------------

    @Test
    void podcidrHostBitsAreCleared() {
        assertEquals(List.of(IpPrefix.parse("10.240.0.0/24")), parse(",\"podcidr\":\"10.240.0.7/24\"").podCidrs());
    }

    @Test
    void podcidrMayBeIpv6() {
        PluginConfig c = parse(",\"podcidr\":\"fd00:10:240::/64\"");
        assertEquals(List.of(IpPrefix.parse("fd00:10:240::/64")), c.podCidrs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.240.0.0/30", "fd00:10:240::/126"})
    void smallestUsableRangesAreAccepted(String cidr) {
        assertEquals(1, parse(",\"podcidr\":\"" + cidr + "\"").podCidrs().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.240.0.0/33", "banana", "10.240.0.0", "10.240.0.0/", "10.240.0.0/24/1", "10.240.0.256/24",
            "10.240.0.0/31", "10.240.0.0/32", "fd00::/127", "fd00::/129", ""})
    void badPodcidrIsCode7NamingPodcidr(String cidr) {
        rejected(",\"podcidr\":\"" + cidr + "\"", "podcidr");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true", "[\"10.240.0.0/24\"]", "{}"})
    void podcidrOfTheWrongTypeIsCode7(String value) {
        rejected(",\"podcidr\":" + value, "podcidr");
    }

    @Test
    void podcidrIsRequiredWithoutPodcidrsOrIpam() {
        CniException e = rejected("", "podcidr");
        assertTrue(e.msg().contains("podcidrs") && e.msg().contains("ipam"), "msg says what else would do: " + e.msg());
    }

    @Test
    void podcidrsDualStackKeepsOrder() {
        assertEquals(List.of(IpPrefix.parse("10.240.0.0/24"), IpPrefix.parse("fd00:10:240::/64")),
                parse(",\"podcidrs\":[\"10.240.0.0/24\",\"fd00:10:240::/64\"]").podCidrs());
        assertEquals(List.of(IpPrefix.parse("fd00:10:240::/64"), IpPrefix.parse("10.240.0.0/24")),
                parse(",\"podcidrs\":[\"fd00:10:240::/64\",\"10.240.0.0/24\"]").podCidrs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"10.240.0.0/24\"]", "[\"fd00:10:240::/64\"]"})
    void podcidrsWithOneRange(String list) {
        assertEquals(1, parse(",\"podcidrs\":" + list).podCidrs().size());
    }

    @Test
    void podcidrsWinsOverPodcidr() {
        PluginConfig c = parse(",\"podcidr\":\"10.241.0.0/24\",\"podcidrs\":[\"10.240.0.0/24\",\"fd00:10:240::/64\"]");
        assertEquals(List.of(IpPrefix.parse("10.240.0.0/24"), IpPrefix.parse("fd00:10:240::/64")), c.podCidrs());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "[\"10.240.0.0/24\",\"10.241.0.0/24\"]",      // two IPv4 ranges
            "[\"fd00:10:240::/64\",\"fd00:10:241::/64\"]", // two IPv6 ranges
            "[\"10.240.0.0/24\",\"10.240.0.0/24\"]",      // the same twice
            "[]",
            "[\"banana\"]",
            "[\"10.240.0.0/24\",\"10.240.1.0/33\"]",
            "[\"10.240.0.0/24\",5]",
            "\"10.240.0.0/24\"",                           // a string, not a list
            "{}"})
    void badPodcidrsIsCode7NamingPodcidrs(String value) {
        rejected(",\"podcidrs\":" + value, "podcidrs");
    }

    @Test
    void ipamAloneDelegates() {
        PluginConfig c = parse(",\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.240.0.0/24\"}]],\"dataDir\":\"/tmp/hl\"}");
        assertEquals(List.of(), c.podCidrs(), "no built-in ranges when only ipam is given");
        assertEquals("host-local", c.ipam().get("type"));
        assertEquals("/tmp/hl", c.ipam().get("dataDir"));
        assertInstanceOf(DelegatedAddresses.class, AddressSource.of(c));
    }

    @Test
    void ipamWinsOverPodcidrForAddresses() {
        PluginConfig c = parse(CIDR + ",\"ipam\":{\"type\":\"host-local\"}");
        assertInstanceOf(DelegatedAddresses.class, AddressSource.of(c));
    }

    @Test
    void withoutIpamTheBuiltinAllocatorServes() {
        assertInstanceOf(BuiltinAddresses.class, AddressSource.of(parse(CIDR)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"type\":\"\"}", "{\"type\":5}", "{\"type\":null}", "{\"ranges\":[]}"})
    void ipamWithoutATypeIsCode7NamingIpamType(String ipam) {
        rejected(",\"ipam\":" + ipam, "ipam.type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"host-local\"", "[]", "5"})
    void ipamThatIsNotAnObjectIsCode7NamingIpam(String ipam) {
        rejected(",\"ipam\":" + ipam, "ipam");
    }

    // ---- bridge ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"br0", "cni0", "a", "fifteen-chars-x", "br_pods.1"})
    void validBridgeNames(String name) {
        assertEquals(name, parse(CIDR + ",\"bridge\":\"" + name + "\"").bridge());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sixteen-chars-xx", "a/b", "a:b", "a b", ".", "..", "tab\\tx"})
    void badBridgeIsCode7NamingBridge(String name) {
        rejected(CIDR + ",\"bridge\":\"" + name + "\"", "bridge");
    }

    @Test
    void bridgeOfTheWrongTypeIsCode7() {
        rejected(CIDR + ",\"bridge\":5", "bridge");
    }

    // ---- dataDir -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"var/lib/cni", "./data", "", "data"})
    void relativeDataDirIsCode7NamingDataDir(String dir) {
        rejected(CIDR + ",\"dataDir\":\"" + dir + "\"", "dataDir");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true", "[\"/tmp\"]"})
    void dataDirOfTheWrongTypeIsCode7(String value) {
        rejected(CIDR + ",\"dataDir\":" + value, "dataDir");
    }

    // ---- mtu ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {576, 1280, 1450, 1500, 9000, 65535})
    void mtuInRange(int mtu) {
        assertEquals(mtu, parse(CIDR + ",\"mtu\":" + mtu).mtu());
    }

    @ParameterizedTest
    @ValueSource(strings = {"575", "10", "0", "-1", "65536", "99999999999", "\"x\"", "\"1500\"", "1500.5", "true", "[1500]"})
    void badMtuIsCode7NamingMtu(String value) {
        rejected(CIDR + ",\"mtu\":" + value, "mtu");
    }

    // ---- hairpinMode, logFile ----------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"true,true", "false,false"})
    void hairpinMode(String json, boolean expected) {
        assertEquals(expected, parse(CIDR + ",\"hairpinMode\":" + json).hairpinMode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"yes\"", "1", "\"true\""})
    void badHairpinModeIsCode7NamingIt(String value) {
        rejected(CIDR + ",\"hairpinMode\":" + value, "hairpinMode");
    }

    @Test
    void logFile() {
        assertEquals(Path.of("/run/jcni/cni.log"), parse(CIDR + ",\"logFile\":\"/run/jcni/cni.log\"").logFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "true", "{}"})
    void badLogFileIsCode7NamingIt(String value) {
        rejected(CIDR + ",\"logFile\":" + value, "logFile");
    }

    @Test
    void keysAreReadFromTheTopLevelOnly() {
        // A key inside runtimeConfig (or any other section) does not count as jcni's own key.
        rejected(",\"runtimeConfig\":{\"podcidr\":\"10.240.0.0/24\"}", "podcidr");
    }
}
