package dev.jcni.ipam;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReservationKeyTest {

    @Test
    void acceptsSpecShapedValues() {
        assertDoesNotThrow(() -> new ReservationKey("a1b2c3_d.e-f", "eth0"));
        assertDoesNotThrow(() -> new ReservationKey("x", "123456789012345"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-abc", ".abc", "_abc", "../etc", "a/b", "a b", "a\nb", "ä"})
    void rejectsContainerIdsOutsideTheSpecPattern(String id) {
        var e = assertThrows(IllegalArgumentException.class, () -> new ReservationKey(id, "eth0"));
        assertTrue(e.getMessage().contains("container ID"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "a:b", "a b", "a\nb", "1234567890123456"})
    void rejectsBadInterfaceNames(String ifname) {
        var e = assertThrows(IllegalArgumentException.class, () -> new ReservationKey("c1", ifname));
        assertTrue(e.getMessage().contains("interface name"), e.getMessage());
    }
}
