package dev.jcni.agent.source.etcd;

import dev.jcni.ipam.IpAddresses;
import dev.jcni.ipam.IpPrefix;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubnetKeysTest {
    private final SubnetKeys keys = new SubnetKeys("/jcni");

    @Test
    void layout() {
        IpPrefix b = IpPrefix.parse("10.244.1.0/24");
        assertEquals("/jcni/subnets/", keys.subnetsPrefix());
        assertEquals("/jcni/subnets/10.244.1.0-24", keys.subnetKey(b));
        assertEquals("/jcni/nodes/n1", keys.nodeKey("n1"));
        assertEquals(Optional.of(b), keys.cidrOf("/jcni/subnets/10.244.1.0-24"));
    }

    @Test
    void onlyCanonicalBlockKeysNameABlock() {
        for (String k : new String[] {"/jcni/subnets/10.244.1.5-24", "/jcni/subnets/10.244.1.0",
                "/jcni/subnets/10.244.1.0-", "/jcni/subnets/10.244.01.0-24", "/jcni/subnets/x-24",
                "/jcni/subnets/fd00::-64", "/other/subnets/10.244.1.0-24", "/jcni/subnets/10.244.1.0-024"}) {
            assertEquals(Optional.empty(), keys.cidrOf(k), k);
        }
    }

    @Test
    void ownerValueRoundTrips() {
        SubnetKeys.Owner o = new SubnetKeys.Owner("n1", IpAddresses.parse("192.168.1.11"));
        String json = SubnetKeys.ownerValue(o);
        assertEquals("{\"node\":\"n1\",\"ip\":\"192.168.1.11\"}", json);
        assertEquals(o, SubnetKeys.parseOwner(json));
    }

    @Test
    void badValuesSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubnetKeys.parseOwner("{\"node\":\"n1\"}"))
                .getMessage().contains("ip"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SubnetKeys.parseOwner("{\"node\":\"n1\",\"ip\":\"nope\"}")).getMessage().contains("nope"));
        assertThrows(IllegalArgumentException.class, () -> SubnetKeys.parseOwner("not json"));
        assertThrows(IllegalArgumentException.class, () -> SubnetKeys.parseOwner("{\"node\":\"\",\"ip\":\"1.2.3.4\"}"));
    }
}
