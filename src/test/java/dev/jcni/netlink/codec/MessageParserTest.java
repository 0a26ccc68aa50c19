package dev.jcni.netlink.codec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.jcni.netlink.codec.Rtnl.*;
import static org.junit.jupiter.api.Assertions.*;

/** Splitting datagrams into messages; every length is checked against the bytes really received. */
class MessageParserTest {

    @BeforeAll
    static void littleEndian() { Hex.assumeLittleEndian(); }

    @Test
    void splitsMessagesAtAlignedBoundariesAndBoundsEachBody() {
        List<Message> ms = Hex.messages("""
                11000000 1000 0200 05000000 39300000  # len 17, RTM_NEWLINK, MULTI, seq 5, pid 12345
                ab 000000                             # 1-byte body, 3 pad bytes not counted in nlmsg_len
                14000000 0300 0200 05000000 39300000  # NLMSG_DONE, len 20
                00000000
                """);
        assertEquals(2, ms.size());
        Message first = ms.get(0);
        assertEquals(RTM_NEWLINK, first.type());
        assertTrue(first.isMulti());
        assertFalse(first.dumpInterrupted());
        assertEquals(5, first.seq());
        assertEquals(12345, first.portId());
        assertEquals(1, first.body().remaining(), "the body stops at nlmsg_len, not at the padding");
        assertEquals((byte) 0xab, first.view().get(0));
        assertEquals(NLMSG_DONE, ms.get(1).type());
        assertEquals(4, ms.get(1).body().remaining());
    }

    @Test
    void aLastMessageWithoutItsTrailingPaddingIsAccepted() {
        List<Message> ms = Hex.messages("11000000 1000 0000 01000000 00000000 ab");
        assertEquals(1, ms.size());
        assertEquals(1, ms.getFirst().body().remaining());
    }

    @Test
    void onlyTheReceivedLengthIsParsedNotTheWholeBuffer() {
        byte[] buf = Hex.parse("""
                14000000 0300 0200 01000000 00000000 00000000  # NLMSG_DONE (20 bytes received)
                ffffffff ffffffff ffffffff ffffffff            # stale bytes from an earlier, longer datagram
                """);
        List<Message> ms = MessageParser.parse(buf, 20);
        assertEquals(1, ms.size());
        assertEquals(NLMSG_DONE, ms.getFirst().type());
    }

    @Test
    void flagsAndTypeAreReadUnsigned() {
        Message m = Hex.messages("10000000 ffff 1280 ffffffff ffffffff").getFirst();
        assertEquals(0xffff, m.type());
        assertEquals(0x8012, m.flags());
        assertTrue(m.dumpInterrupted());
        assertEquals(-1, m.seq());
    }

    @Test
    void anEmptyDatagramHoldsNoMessages() {
        assertEquals(List.of(), MessageParser.parse(new byte[0], 0));
    }

    @Test
    void aDatagramCutMidHeaderIsTruncated() {
        assertThrows(NetlinkCodecException.Truncated.class, () -> Hex.messages("14000000 0300 0200 0100"));
    }

    @Test
    void aSecondMessageCutMidHeaderIsTruncatedNotDropped() {
        assertThrows(NetlinkCodecException.Truncated.class, () -> Hex.messages("""
                14000000 1c00 0200 01000000 00000000 00000000  # a whole 20-byte message
                30000000 1c00 0200                             # then 8 bytes of the next header
                """));
    }

    @Test
    void nlmsgLenBeyondTheDataIsTruncated() {
        var e = assertThrows(NetlinkCodecException.Truncated.class, () -> Hex.messages("""
                30000000 1000 0000 01000000 00000000  # claims 48 bytes
                00000000                              # but only 20 arrived
                """));
        assertTrue(e.getMessage().contains("claims 48"), e.getMessage());
    }

    @Test
    void nlmsgLenBeyondTheDataIsTruncatedEvenAfterAGoodMessage() {
        assertThrows(NetlinkCodecException.Truncated.class, () -> Hex.messages("""
                14000000 1c00 0200 01000000 00000000 00000000  # good
                40000000 1c00 0200 01000000 00000000 00000000  # claims 64, 20 present
                """));
    }

    @ParameterizedTest
    @ValueSource(strings = {"00000000", "08000000", "0f000000", "ffffffff", "00000080"})
    void nlmsgLenShorterThanTheHeaderIsCorrupt(String len) {
        // 0 would also loop forever if accepted; negative values must not wrap around.
        assertThrows(NetlinkCodecException.Corrupt.class,
                () -> Hex.messages(len + " 1000 0000 01000000 00000000 00000000"));
    }
}
