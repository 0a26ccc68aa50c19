package dev.jcni.netlink.codec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Strict attribute parsing: lengths that overrun or undercut raise, typed accessors check sizes. */
class AttributesTest {

    @BeforeAll
    static void littleEndian() { Hex.assumeLittleEndian(); }

    private static Attributes attrs(String annotated) {
        return Attributes.parse(ByteBuffer.wrap(Hex.parse(annotated)).order(ByteOrder.nativeOrder()));
    }

    @Test
    void typedAccessorsAndTypeFlagsMasked() throws Exception {
        Attributes a = attrs("""
                0500 0700 fe 000000          # u8 254
                0600 0900 feff 0000          # u16 65534
                0600 0f40 12b5 0000          # u16 big-endian 4789, with NLA_F_NET_BYTEORDER set on the type
                0800 0400 efbeadde           # u32
                0c00 0300 6272696467650000   # "bridge" + two NULs (len 12): both trimmed
                0700 1400 6e6f6e             # "non" without NUL
                00                           # (pad)
                0800 0500 c0000201           # IPv4 address
                1400 0600 20010db8000000000000000000000001  # IPv6 address
                0c00 1280                    # nest, type 18|NLA_F_NESTED
                  0800 0100 2a000000         #   u32 42
                0800 0400 01000000           # a second type 4
                """);
        assertEquals(List.of(7, 9, 15, 4, 3, 20, 5, 6, 18, 4), a.types(), "NLA_F_NESTED and NLA_F_NET_BYTEORDER masked off");
        assertEquals(254, a.u8(7).orElseThrow());
        assertEquals(65534, a.u16(9).orElseThrow());
        assertEquals(4789, a.u16be(15).orElseThrow());
        assertEquals(0xdeadbeef, a.u32(4).orElseThrow(), "find returns the first of repeated types");
        assertEquals(2, a.all(4).size());
        assertEquals(1, a.all(4).get(1).getInt(0));
        assertEquals("bridge", a.string(3).orElseThrow());
        assertEquals("non", a.string(20).orElseThrow());
        assertEquals(InetAddress.getByName("192.0.2.1"), a.address(5).orElseThrow());
        assertEquals(InetAddress.getByName("2001:db8::1"), a.address(6).orElseThrow());
        assertEquals(42, a.nested(18).orElseThrow().u32(1).orElseThrow());
        assertTrue(a.has(18));
        assertFalse(a.has(99));
        assertEquals(Optional.empty(), a.u32(99));
        assertEquals(Optional.empty(), a.nested(99));
    }

    @Test
    void valuesAreIndependentViewsBoundedToTheirAttribute() {
        Attributes a = attrs("0600 0100 aabb 0000 0800 0200 01020304");
        ByteBuffer v = a.find(1).orElseThrow();
        assertEquals(2, v.remaining());
        v.get();
        assertEquals(2, a.find(1).orElseThrow().remaining(), "each find returns a fresh view");
        assertArrayEquals(new byte[]{(byte) 0xaa, (byte) 0xbb}, a.bytes(1).orElseThrow());
    }

    @Test
    void parsingStartsAtTheBufferPosition() {
        ByteBuffer b = ByteBuffer.wrap(Hex.parse("deadbeef 0800 0100 2a000000")).order(ByteOrder.nativeOrder());
        b.position(4);
        assertEquals(42, Attributes.parse(b).u32(1).orElseThrow());
        assertEquals(4, b.position(), "the caller's buffer is not moved");
    }

    @Test
    void afterSkipsTheFamilyHeader() {
        ByteBuffer body = ByteBuffer.wrap(Hex.parse("02180000 03000000 0800 0200 0af00005")).order(ByteOrder.nativeOrder());
        assertEquals(List.of(2), Attributes.after(body, 8).types());
        assertEquals(List.of(), Attributes.after(ByteBuffer.allocate(8), 8).types());
    }

    @Test
    void aBodyShorterThanItsFamilyHeaderIsTruncated() {
        assertThrows(NetlinkCodecException.Truncated.class, () -> Attributes.after(ByteBuffer.allocate(11), 12));
    }

    @Test
    void aLastAttributeWithoutTrailingPaddingIsAccepted() {
        assertEquals(0xab, attrs("0500 0100 ab").u8(1).orElseThrow());
    }

    @Test
    void nlaLenBeyondTheRemainingBytesIsTruncated() {
        var e = assertThrows(NetlinkCodecException.Truncated.class, () -> attrs("""
                0800 0100 2a000000   # fine
                0c00 0200 01000000   # claims 12, only 8 left
                """));
        assertTrue(e.getMessage().contains("type 2"), e.getMessage());
    }

    @Test
    void nlaLenBelowTheHeaderSizeIsCorrupt() {
        assertThrows(NetlinkCodecException.Corrupt.class, () -> attrs("0200 0100 00000000"));
        assertThrows(NetlinkCodecException.Corrupt.class, () -> attrs("0000 0100 00000000"), "0 must not loop forever");
        assertThrows(NetlinkCodecException.Corrupt.class, () -> attrs("0300 0100 00000000"));
    }

    @Test
    void leftoverBytesTooShortForAHeaderAreTruncated() {
        assertThrows(NetlinkCodecException.Truncated.class, () -> attrs("0800 0100 2a000000 0800"));
    }

    @Test
    void aNestIsBoundedByItsOwnLengthNotTheMessage() {
        Attributes a = attrs("""
                0c00 1280            # nest of 12 bytes
                  0c00 0100 2a000000 #   child claims 12 but the nest holds only 8
                0800 0300 00000000   # bytes after the nest must not be borrowed
                """);
        assertThrows(NetlinkCodecException.Truncated.class, () -> a.nested(18));
    }

    @Test
    void aU32AttributeWithTwoBytesIsTruncated() {
        Attributes a = attrs("0600 0400 dc05 0000");
        var e = assertThrows(NetlinkCodecException.Truncated.class, () -> a.u32(4));
        assertTrue(e.getMessage().contains("needs 4"), e.getMessage());
    }

    @Test
    void shortU16AndEmptyU8AreTruncated() {
        Attributes a = attrs("0500 0100 01 000000 0400 0200");
        assertThrows(NetlinkCodecException.Truncated.class, () -> a.u16(1));
        assertThrows(NetlinkCodecException.Truncated.class, () -> a.u16be(1));
        assertThrows(NetlinkCodecException.Truncated.class, () -> a.u8(2));
    }

    @Test
    void anAddressOfAnyOtherSizeThanFourOrSixteenIsCorrupt() {
        Attributes a = attrs("0900 0100 c000020100 000000 0a00 0200 020000000001 0000");
        assertThrows(NetlinkCodecException.Corrupt.class, () -> a.address(1));
        assertThrows(NetlinkCodecException.Corrupt.class, () -> a.address(2), "a MAC is not an IP address");
    }
}
