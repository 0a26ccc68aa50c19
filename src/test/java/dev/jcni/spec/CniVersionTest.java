package dev.jcni.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CniVersionTest {

    @Test
    void supportedVersions() {
        assertEquals(List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"), CniVersion.supportedStrings());
        assertEquals(CniVersion.V1_1_0, CniVersion.LATEST);
        assertTrue(CniVersion.parse("0.4.0").isSupported());
        assertFalse(CniVersion.parse("0.2.0").isSupported());
        assertFalse(CniVersion.parse("1.2.0").isSupported());
    }

    @Test
    void parsesAndPrints() {
        assertEquals(new CniVersion(1, 10, 3), CniVersion.parse("1.10.3"));
        assertEquals("0.3.1", CniVersion.parse("0.3.1").toString());
    }

    @Test
    void comparesNumerically() {
        assertTrue(CniVersion.parse("0.10.0").compareTo(CniVersion.V0_4_0) > 0);
        assertTrue(CniVersion.V0_3_1.compareTo(CniVersion.V0_3_0) > 0);
        assertTrue(CniVersion.V1_0_0.compareTo(CniVersion.V0_4_0) > 0);
        assertEquals(0, CniVersion.parse("1.1.0").compareTo(CniVersion.V1_1_0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.0", "1.0.0.0", "v1.0.0", "1.0.0-rc1", "01.0.0", " 1.0.0", "a.b.c", "1..0"})
    void malformedIsIncompatibleVersion(String text) {
        CniException e = assertThrows(CniException.class, () -> CniVersion.parse(text));
        assertEquals(1, e.code());
        assertTrue(e.msg().contains(text), e.msg());
    }

    @Test
    void nullDoesNotParse() {
        assertTrue(CniVersion.tryParse(null).isEmpty());
    }

    @Test
    void featurePredicatesPerVersion() {
        // version, check, status+gc, ip version field, 1.1.0 result fields
        Object[][] table = {
                {"0.3.0", false, false, true, false},
                {"0.3.1", false, false, true, false},
                {"0.4.0", true, false, true, false},
                {"1.0.0", true, false, false, false},
                {"1.1.0", true, true, false, true},
        };
        for (Object[] row : table) {
            CniVersion v = CniVersion.parse((String) row[0]);
            assertEquals(row[1], v.supportsCheck(), "check " + v);
            assertEquals(row[2], v.supportsStatusAndGc(), "status/gc " + v);
            assertEquals(row[3], v.hasIpVersionField(), "ip version " + v);
            assertEquals(row[4], v.hasExtendedResultFields(), "1.1 fields " + v);
        }
    }

    @Test
    void commandsKnowWhenTheyAppeared() {
        assertEquals(CniVersion.V0_4_0, Command.CHECK.since());
        assertEquals(CniVersion.V1_1_0, Command.STATUS.since());
        assertEquals(CniVersion.V1_1_0, Command.GC.since());
        assertEquals(Command.GC, Command.parse("GC").orElseThrow());
        assertTrue(Command.parse("add").isEmpty());
    }
}
