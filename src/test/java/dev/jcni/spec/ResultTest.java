package dev.jcni.spec;

import dev.jcni.json.Json;
import dev.jcni.json.JsonFieldException;
import dev.jcni.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTest {

    /** A result using every field, including the 1.1.0-only ones. */
    static Result full() {
        return new Result(CniVersion.V1_1_0,
                List.of(new Interface("cni0", "0a:58:0a:f0:00:01", 1450, null, null, null),
                        new Interface("eth0", "0a:58:0a:f0:00:05", 1450, "/var/run/netns/pod1", "/run/vhost.sock", "0000:00:1f.6")),
                List.of(new IpConfig("10.240.0.5/24", "10.240.0.1", 1),
                        new IpConfig("fd00::5/64", "fd00::1", 1)),
                List.of(new Route("0.0.0.0/0", "10.240.0.1", 1400, 1360, 100, 254, 0),
                        new Route("::/0", null)),
                new Dns(List.of("10.96.0.10"), "cluster.local", List.of("default.svc.cluster.local"), List.of("ndots:5")));
    }

    private static final String INTERFACES_BEFORE_1_1 = "\"interfaces\":["
            + "{\"name\":\"cni0\",\"mac\":\"0a:58:0a:f0:00:01\"},"
            + "{\"name\":\"eth0\",\"mac\":\"0a:58:0a:f0:00:05\",\"sandbox\":\"/var/run/netns/pod1\"}]";
    private static final String ROUTES_BEFORE_1_1 = "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.240.0.1\"},{\"dst\":\"::/0\"}]";
    private static final String DNS = "\"dns\":{\"nameservers\":[\"10.96.0.10\"],\"domain\":\"cluster.local\","
            + "\"search\":[\"default.svc.cluster.local\"],\"options\":[\"ndots:5\"]}";
    private static final String IPS_WITH_VERSION = "\"ips\":["
            + "{\"version\":\"4\",\"interface\":1,\"address\":\"10.240.0.5/24\",\"gateway\":\"10.240.0.1\"},"
            + "{\"version\":\"6\",\"interface\":1,\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\"}]";
    private static final String IPS_WITHOUT_VERSION = "\"ips\":["
            + "{\"interface\":1,\"address\":\"10.240.0.5/24\",\"gateway\":\"10.240.0.1\"},"
            + "{\"interface\":1,\"address\":\"fd00::5/64\",\"gateway\":\"fd00::1\"}]";

    private static String expected(String version) {
        return switch (version) {
            case "0.3.0", "0.3.1", "0.4.0" -> "{\"cniVersion\":\"" + version + "\"," + INTERFACES_BEFORE_1_1 + ","
                    + IPS_WITH_VERSION + "," + ROUTES_BEFORE_1_1 + "," + DNS + "}";
            case "1.0.0" -> "{\"cniVersion\":\"1.0.0\"," + INTERFACES_BEFORE_1_1 + ","
                    + IPS_WITHOUT_VERSION + "," + ROUTES_BEFORE_1_1 + "," + DNS + "}";
            case "1.1.0" -> "{\"cniVersion\":\"1.1.0\",\"interfaces\":["
                    + "{\"name\":\"cni0\",\"mac\":\"0a:58:0a:f0:00:01\",\"mtu\":1450},"
                    + "{\"name\":\"eth0\",\"mac\":\"0a:58:0a:f0:00:05\",\"mtu\":1450,\"sandbox\":\"/var/run/netns/pod1\","
                    + "\"socketPath\":\"/run/vhost.sock\",\"pciID\":\"0000:00:1f.6\"}],"
                    + IPS_WITHOUT_VERSION + ","
                    + "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.240.0.1\",\"mtu\":1400,\"advmss\":1360,"
                    + "\"priority\":100,\"table\":254,\"scope\":0},{\"dst\":\"::/0\"}],"
                    + DNS + "}";
            default -> throw new IllegalArgumentException(version);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void rendersEachVersionExactly(String version) {
        assertEquals(expected(version), Json.write(full().toJson(version)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    void parsesEachVersionAndConvertsToEveryOther(String from) {
        Result parsed = Result.fromJson(JsonObject.parse(expected(from)));
        assertEquals(CniVersion.parse(from), parsed.cniVersion());
        for (String to : CniVersion.supportedStrings()) {
            String rendered = Json.write(parsed.toJson(to));
            if (from.equals("1.1.0") || !to.equals("1.1.0")) {
                assertEquals(expected(to), rendered, from + " -> " + to);
            } else {
                // fields that only 1.1.0 has cannot be recovered from an older result
                assertEquals(expected("1.0.0").replace("\"1.0.0\"", "\"1.1.0\""), rendered, from + " -> " + to);
            }
        }
    }

    @Test
    void roundTripOf110IsLossless() {
        Result r = full();
        assertEquals(r, Result.fromJson(JsonObject.parse(Json.write(r.toJson(CniVersion.V1_1_0)))));
        assertEquals(Json.write(r.toJson(CniVersion.V1_1_0)), Json.write(r));
    }

    @Test
    void ipamResultHasNoInterfacesOrIndexes() {
        Result ipam = new Result(null, null, List.of(new IpConfig("10.240.0.5/24", "10.240.0.1", null)),
                List.of(new Route("0.0.0.0/0", null)), null);
        assertEquals("{\"cniVersion\":\"0.4.0\",\"ips\":[{\"version\":\"4\",\"address\":\"10.240.0.5/24\","
                + "\"gateway\":\"10.240.0.1\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}", Json.write(ipam.toJson("0.4.0")));
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.240.0.5/24\",\"gateway\":\"10.240.0.1\"}],"
                + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}", Json.write(ipam.toJson("1.0.0")));
        assertEquals(Json.write(ipam.toJson(CniVersion.LATEST)), Json.write(ipam), "no version: latest");
    }

    @Test
    void emptyResultIsJustTheVersion() {
        assertEquals("{\"cniVersion\":\"1.1.0\"}", Json.write(new Result(null, null, null, null, null).toJson("1.1.0")));
        assertEquals("{\"cniVersion\":\"1.0.0\"}", Json.write(Result.fromJson(Map.of("cniVersion", "1.0.0"))));
    }

    @Test
    void familyComesFromTheAddressNotTheInputField() {
        Result r = Result.fromJson(JsonObject.parse(
                "{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\",\"address\":\"2001:db8::1/64\"}]}"));
        assertEquals("6", r.ips().get(0).family());
        assertNull(r.ips().get(0).interfaceIndex());
    }

    @Test
    void olderOrUnknownRenderingIsRefused() {
        CniException e = assertThrows(CniException.class, () -> full().toJson("0.2.0"));
        assertEquals(1, e.code());
        assertEquals(1, assertThrows(CniException.class, () -> full().toJson("banana")).code());
    }

    @Test
    void invalidResultsNameTheKey() {
        assertEquals("ips[0].address", fieldError("{\"ips\":[{\"gateway\":\"10.0.0.1\"}]}"));
        assertEquals("ips[0].address", fieldError("{\"ips\":[{\"address\":\"10.0.0.5\"}]}"));
        assertEquals("ips[0].interface", fieldError("{\"ips\":[{\"address\":\"10.0.0.5/8\",\"interface\":\"0\"}]}"));
        assertEquals("interfaces[1].name", fieldError("{\"interfaces\":[{\"name\":\"a\"},{\"mac\":\"x\"}]}"));
        assertEquals("interfaces[0].name", fieldError("{\"interfaces\":[{\"name\":\"\"}]}"));
        assertEquals("routes[0].dst", fieldError("{\"routes\":[{\"gw\":\"10.0.0.1\"}]}"));
        assertEquals("routes[0].table", fieldError("{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"table\":\"main\"}]}"));
        assertEquals("dns.nameservers[0]", fieldError("{\"dns\":{\"nameservers\":[1]}}"));
        assertEquals("ips", fieldError("{\"ips\":{}}"));
        assertEquals("cniVersion", fieldError("{\"cniVersion\":\"0.2.0\",\"ip4\":{}}"));
        assertEquals("cniVersion", fieldError("{\"cniVersion\":\"one\"}"));
    }

    @Test
    void recordsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new IpConfig("10.0.0.1", null, null));
        assertThrows(IllegalArgumentException.class, () -> new Interface("", null, null));
        assertThrows(IllegalArgumentException.class, () -> new Route(null, null));
    }

    @Test
    void dnsEmptiness() {
        assertTrue(Dns.EMPTY.isEmpty());
        assertTrue(new Dns(null, "", null, null).isEmpty());
        assertTrue(!new Dns(null, null, List.of("svc"), null).isEmpty());
    }

    private static String fieldError(String json) {
        return assertThrows(JsonFieldException.class, () -> Result.fromJson(JsonObject.parse(json))).key();
    }
}
