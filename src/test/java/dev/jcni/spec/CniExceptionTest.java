package dev.jcni.spec;

import dev.jcni.json.Json;
import dev.jcni.json.JsonFieldException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CniExceptionTest {

    @Test
    void factoriesUseSpecCodes() {
        assertEquals(1, CniException.incompatibleVersion("m", "d").code());
        assertEquals(2, CniException.unsupportedField("k", "v").code());
        assertEquals(3, CniException.unknownContainer("gone").code());
        assertEquals(4, CniException.invalidEnv("CNI_X", "bad").code());
        assertEquals(5, CniException.ioFailure("io", new IOException("disk")).code());
        assertEquals(6, CniException.decodeFailure("json", "").code());
        assertEquals(7, CniException.invalidConfig("k", "bad").code());
        assertEquals(11, CniException.tryAgainLater("busy").code());
        assertEquals(50, CniException.notReady("no").code());
        assertEquals(51, CniException.limitedConnectivity("no").code());
        assertEquals(142, CniException.pluginSpecific(142, "m", "d").code());
        assertEquals(999, CniException.internal(new IllegalStateException("x")).code());
    }

    @Test
    void messagesNameTheirSubject() {
        assertEquals("unsupported field: ipMasq=yes", CniException.unsupportedField("ipMasq", "yes").msg());
        assertEquals("invalid environment variable CNI_IFNAME: too long", CniException.invalidEnv("CNI_IFNAME", "too long").msg());
        assertEquals("invalid config: key bridge: too long", CniException.invalidConfig("bridge", "too long").msg());
        assertEquals("disk", CniException.ioFailure("io", new IOException("disk")).details());
    }

    @Test
    void invalidConfigKeepsTheJsonKeyPath() {
        CniException e = CniException.invalidConfig(new JsonFieldException("ipam.subnet", "expected string, got integer"));
        assertEquals(7, e.code());
        assertEquals("invalid config: key ipam.subnet: expected string, got integer", e.msg());
    }

    @Test
    void pluginSpecificCodesStartAt100() {
        assertThrows(IllegalArgumentException.class, () -> CniException.pluginSpecific(99, "m", ""));
    }

    @Test
    void internalKeepsClassAndMessageInDetails() {
        RuntimeException cause = new IllegalStateException("boom");
        CniException e = CniException.internal(cause);
        assertEquals("internal error", e.msg());
        assertEquals("java.lang.IllegalStateException: boom", e.details());
        assertSame(cause, e.getCause());
    }

    @Test
    void jsonOmitsEmptyDetails() {
        assertEquals("{\"cniVersion\":\"0.4.0\",\"code\":7,\"msg\":\"m\"}",
                Json.write(new CniException(7, "m", null).toJson("0.4.0")));
        assertEquals("{\"cniVersion\":\"1.1.0\",\"code\":11,\"msg\":\"busy\",\"details\":\"lock held\"}",
                Json.write(new CniException(ErrorCode.TRY_AGAIN_LATER, "busy", "lock held").toJson("1.1.0")));
    }

    @Test
    void exceptionMessageCarriesCodeMsgAndDetails() {
        assertEquals("CNI error 4: m (d)", new CniException(4, "m", "d").getMessage());
        assertEquals("CNI error 4: m", new CniException(4, "m", "").getMessage());
    }

    @Test
    void errorCodeLookup() {
        assertEquals(ErrorCode.LIMITED_CONNECTIVITY, ErrorCode.of(51).orElseThrow());
        assertTrue(ErrorCode.of(100).isEmpty());
    }
}
