package dev.speechfleet.router.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientMessageParserTest {

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1,2]", "\"start\"", "{\"type\":7}", "{}", ""})
    void malformedMessagesAreMalformedJson(String text) {
        assertThat(violation(text).error()).isEqualTo(ProtocolError.MALFORMED_JSON);
    }

    @Test
    void anUnknownTypeIsNamedInTheError() {
        ProtocolViolation v = violation("{\"type\":\"pause\"}");

        assertThat(v.error()).isEqualTo(ProtocolError.UNKNOWN_TYPE);
        assertThat(v.getMessage()).contains("pause");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"start\",\"sample_rate\":\"16000\"}",
        "{\"type\":\"start\",\"sample_rate\":16000.5}",
        "{\"type\":\"start\",\"last_seq\":\"3\",\"session_id\":\"s\"}",
        "{\"type\":\"start\",\"consensus\":\"whisper\"}",
        "{\"type\":\"start\",\"consensus\":[1,2]}",
        "{\"type\":\"start\",\"language\":\"\"}",
        "{\"type\":\"start\",\"policy\":5}"})
    void wrongFieldTypesAreAnInvalidStart(String text) {
        assertThat(violation(text).error()).isEqualTo(ProtocolError.INVALID_START);
    }

    @Test
    void defaultsFillAMinimalStart() {
        ClientMessage.Start start = (ClientMessage.Start) ClientMessageParser.parse("{\"type\":\"start\"}");

        assertThat(start.sampleRate()).isEqualTo(16000);
        assertThat(start.encoding()).isEqualTo("pcm_s16le");
        assertThat(start.language()).isEqualTo("en");
        assertThat(start.consensus()).isEmpty();
    }

    @Test
    void keytermsAreReadTidiedAndBounded() {
        ClientMessage.Start start = (ClientMessage.Start) ClientMessageParser.parse(
                "{\"type\":\"start\",\"keyterms\":[\"Kitchen\",\"  Hue   lights\",\"KITCHEN\"]}");

        assertThat(start.keyterms()).containsExactly("Kitchen", "Hue lights");
        assertThat(((ClientMessage.Start) ClientMessageParser.parse("{\"type\":\"start\"}")).keyterms()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"start\",\"keyterms\":\"Kitchen\"}",
        "{\"type\":\"start\",\"keyterms\":[\"Kitchen\",3]}",
        "{\"type\":\"start\",\"keyterms\":[\"\"]}",
        "{\"type\":\"start\",\"keyterms\":[\"a b c d e f g\"]}",
        "{\"type\":\"start\",\"keyterms\":[\"tab\\tinside\"]}"})
    void malformedKeytermsAreAnInvalidStart(String text) {
        assertThat(violation(text).error()).isEqualTo(ProtocolError.INVALID_START);
    }

    private static ProtocolViolation violation(String text) {
        return catchThrowableOfType(ProtocolViolation.class, () -> ClientMessageParser.parse(text));
    }
}
