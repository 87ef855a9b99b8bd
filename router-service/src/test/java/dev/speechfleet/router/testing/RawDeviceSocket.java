package dev.speechfleet.router.testing;

import dev.speechfleet.client.Pcm;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * A device that speaks WebSocket over a plain socket it controls: a tiny receive buffer, and it reads
 * nothing until asked, so the router's writes to it back up as they do to a wedged or half-open device.
 */
public final class RawDeviceSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawDeviceSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects and upgrades; the receive buffer is set before connecting so the window stays small. */
    public static RawDeviceSocket connect(URI base, String deviceId, String token, int receiveBufferBytes) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(receiveBufferBytes);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            RawDeviceSocket device = new RawDeviceSocket(socket);
            device.upgrade(base.getHost() + ":" + base.getPort(), "/ws/" + deviceId, token);
            return device;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void upgrade(String host, String path, String token) throws IOException {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readHeaders();
        if (!status.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + status);
        }
    }

    /** Reads the response head byte by byte (nothing of the first frame is consumed); returns the status line. */
    private String readHeaders() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the upgrade");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
    }

    public void sendText(String text) {
        frame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendBinary(byte[] data) {
        frame(0x2, data);
    }

    /** Speaks {@code count} utterances of 300 ms of 16 kHz tone (three 100 ms frames), each cut by a flush. */
    public void speakUtterances(int count) {
        for (int i = 0; i < count; i++) {
            for (int frame = 0; frame < 3; frame++) {
                sendBinary(Pcm.tone(16000, 100, 8000));
            }
            sendText("{\"type\":\"flush\"}");
        }
    }

    /** Client frames are masked (RFC 6455); one final frame per message. */
    private void frame(int opcode, byte[] payload) {
        try {
            ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
            f.write(0x80 | opcode);
            if (payload.length < 126) {
                f.write(0x80 | payload.length);
            } else if (payload.length < 65536) {
                f.write(0x80 | 126);
                f.write(payload.length >> 8);
                f.write(payload.length);
            } else {
                f.write(0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    f.write((int) ((long) payload.length >> shift));
                }
            }
            byte[] mask = new byte[4];
            RANDOM.nextBytes(mask);
            f.write(mask);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ mask[i & 3]);
            }
            out.write(f.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads (now, finally) every frame until a close frame or the end of the stream, within
     * {@code timeout}; returns the close code, empty when the stream ended without one.
     */
    public Optional<Integer> readUntilClose(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Optional<Frame> frame = nextFrame(deadline);
                if (frame.isEmpty()) {
                    return Optional.empty();
                }
                byte[] payload = frame.get().payload();
                if (frame.get().opcode() == 0x8) {
                    return Optional.of(payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no close frame within " + timeout, e);
        } catch (IOException e) {
            return Optional.empty();
        }
        throw new AssertionError("no close frame within " + timeout);
    }

    /**
     * The next text message within {@code timeout} (other frames are skipped); empty when none came
     * in time or the stream ended.
     */
    public Optional<String> readText(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Optional<Frame> frame = nextFrame(deadline);
                if (frame.isEmpty()) {
                    return Optional.empty();
                }
                if (frame.get().opcode() == 0x1) {
                    return Optional.of(new String(frame.get().payload(), StandardCharsets.UTF_8));
                }
            }
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }

    /** A frame from the router, whole (the router does not mask). */
    private record Frame(int opcode, byte[] payload) {
    }

    /** The next frame, waiting until {@code deadline} at most; empty at the end of the stream. */
    private Optional<Frame> nextFrame(long deadline) throws IOException {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        int first = in.read();
        if (first < 0) {
            return Optional.empty();
        }
        return Optional.of(new Frame(first & 0x0f, readPayload(in)));
    }

    private static byte[] readPayload(DataInputStream in) throws IOException {
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return payload;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
