package dev.speechfleet.router.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The HTTP refusal of a WebSocket upgrade that a connection attempt must end in. */
public final class RefusedUpgrade {

    private RefusedUpgrade() {
    }

    /** Runs the attempt and returns its handshake refusal; fails the test when it ends any other way. */
    public static WebSocketHandshakeException of(ThrowingCallable connect) {
        Throwable failure = catchThrowable(connect);
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        assertThat(cause).isInstanceOf(WebSocketHandshakeException.class);
        return (WebSocketHandshakeException) cause;
    }

    /** The HTTP status of the refusal. */
    public static int status(ThrowingCallable connect) {
        return of(connect).getResponse().statusCode();
    }
}
