package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.api.protocol.SeldonJsonException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void multipartFilesBecomeBinDataOrStrData() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"binData\"; filename=\"x.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\u0001\u0002\r\n--b--\r\n";
        assertThat(SeldonJson.message(RequestBodies.json("multipart/form-data; boundary=b", null, bytes(body)), "")
                        .getBinData()
                        .toByteArray())
                .containsExactly(1, 2);
        String text = "--b\r\nContent-Disposition: form-data; name=\"strData\"\r\n\r\nhello\r\n--b--\r\n";
        assertThat(RequestBodies.json("multipart/form-data; boundary=\"b\"", null, bytes(text))
                        .get("strData")
                        .asText())
                .isEqualTo("hello");
    }

    @Test
    void formFieldBeatsQueryAndBody() {
        assertThat(RequestBodies.json(
                                "application/x-www-form-urlencoded",
                                "json=%7B%22strData%22%3A%22q%22%7D",
                                bytes("json=%7B%22strData%22%3A%22f%22%7D"))
                        .get("strData")
                        .asText())
                .isEqualTo("f");
        assertThat(RequestBodies.json(null, "json=%7B%22strData%22%3A%22q%22%7D", new byte[0])
                        .get("strData")
                        .asText())
                .isEqualTo("q");
        assertThat(RequestBodies.json("text/plain", null, bytes("{\"strData\":\"b\"}"))
                        .get("strData")
                        .asText())
                .isEqualTo("b");
    }

    @Test
    void malformedBodiesAreNamed() {
        assertThatThrownBy(() -> RequestBodies.json("multipart/form-data", null, bytes("x")))
                .isInstanceOf(SeldonJsonException.class)
                .hasMessage("multipart/form-data without a boundary");
        String badJson = "--b\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{oops\r\n--b--\r\n";
        assertThatThrownBy(() -> RequestBodies.json("multipart/form-data; boundary=b", null, bytes(badJson)))
                .hasMessageStartingWith("data: invalid JSON");
        assertThatThrownBy(() -> RequestBodies.json(null, null, new byte[0])).hasMessageContaining("empty body");
    }
}
