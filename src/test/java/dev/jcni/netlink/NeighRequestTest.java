package dev.jcni.netlink;

import dev.jcni.netlink.codec.Hex;
import dev.jcni.netlink.codec.MessageParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.jcni.netlink.codec.Hex.assertBytes;
import static dev.jcni.netlink.codec.Rtnl.*;
import static org.junit.jupiter.api.Assertions.*;

/** RTM_NEWNEIGH requests against rtnetlink.h (ndmsg) and neighbour.h (NDA_*, NTF_*, NUD_*). */
class NeighRequestTest {

    @BeforeAll
    static void littleEndian() { Hex.assumeLittleEndian(); }

    @Test
    void replacePermanentIpv4Neighbour() {
        Neighbor n = Neighbor.permanent(6, Inet.parse("192.0.2.9"), "02:00:00:00:00:09");
        byte[] b = NeighOps.request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, n).build(1, 0);
        assertBytes("""
                30000000 1c00 0505 01000000 00000000  # len 48, RTM_NEWNEIGH (28), REQUEST|ACK|REPLACE|CREATE
                02 00 0000                            # ndmsg: AF_INET, pad1, pad2
                06000000                              #   ndm_ifindex 6
                8000 00 00                            #   ndm_state NUD_PERMANENT (u16), ndm_flags 0, ndm_type 0
                0800 0100 c0000209                    # NDA_DST 192.0.2.9
                0a00 0200 020000000009 0000           # NDA_LLADDR: len 10, 2 pad
                """, b);
    }

    @Test
    void appendVxlanFdbEntry() {
        Neighbor n = Neighbor.fdb(7, "00:00:00:00:00:00", Inet.parse("192.0.2.7"));
        byte[] b = NeighOps.request(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, n).build(1, 0);
        assertBytes("""
                30000000 1c00 050c 01000000 00000000  # len 48, REQUEST|ACK|CREATE|APPEND (0xc05)
                07 00 0000                            # ndmsg: AF_BRIDGE
                07000000                              #   ndm_ifindex 7
                8000 02 00                            #   NUD_PERMANENT, NTF_SELF, type 0
                0800 0100 c0000207                    # NDA_DST: the remote VTEP
                0a00 0200 000000000000 0000           # NDA_LLADDR all-zero: flood to this VTEP
                """, b);
    }

    @Test
    void theNeighbourParserReadsBackTheRequest() {
        Neighbor n = Neighbor.permanent(6, Inet.parse("2001:db8::9"), "02:00:00:00:00:0A");
        byte[] b = NeighOps.request(RTM_NEWNEIGH, 0, n).build(1, 0);
        Neighbor back = NeighOps.parse(MessageParser.parse(b, b.length).getFirst());
        assertEquals(AF_INET6, back.family());
        assertEquals(new Neighbor(AF_INET6, 6, Inet.parse("2001:db8::9"), "02:00:00:00:00:0a", NUD_PERMANENT, 0), back);
    }
}
