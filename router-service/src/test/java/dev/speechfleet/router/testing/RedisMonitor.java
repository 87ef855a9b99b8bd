package dev.speechfleet.router.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every command the Redis server executes, seen through {@code MONITOR} on a connection of its own:
 * what the router really sends, not what it says it sends.
 */
public final class RedisMonitor implements AutoCloseable {

    private final Socket socket;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private RedisMonitor(Socket socket) throws IOException {
        this.socket = socket;
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String ok = in.readLine();
        if (ok == null || !ok.startsWith("+OK")) {
            throw new IOException("MONITOR refused: " + ok);
        }
        reader = Thread.ofPlatform().daemon().name("redis-monitor").start(() -> read(in));
    }

    /** Starts monitoring the Redis of {@code redisUrl} ({@code redis://[user:password@]host:port}). */
    public static RedisMonitor start(String redisUrl) {
        URI uri = URI.create(redisUrl.split(",")[0].trim());
        try {
            Socket socket = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
            OutputStream out = socket.getOutputStream();
            if (uri.getUserInfo() != null) {
                String[] user = uri.getUserInfo().split(":", 2);
                String auth = user.length == 2 && !user[0].isEmpty() ? "AUTH " + user[0] + " " + user[1]
                        : "AUTH " + user[user.length - 1];
                out.write((auth + "\r\n").getBytes(StandardCharsets.UTF_8));
                socket.getInputStream().read(new byte[64]);
            }
            out.write("MONITOR\r\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new RedisMonitor(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(BufferedReader in) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line);
            }
        } catch (IOException e) {
            // closed
        }
    }

    /**
     * Commands seen so far whose text contains every one of {@code parts}, ignoring case (for example a
     * command name and a key: clients send command names in either case).
     */
    public long count(String... parts) {
        return commands.stream().map(line -> line.toLowerCase(java.util.Locale.ROOT)).filter(line -> {
            for (String part : parts) {
                if (!line.contains(part.toLowerCase(java.util.Locale.ROOT))) {
                    return false;
                }
            }
            return true;
        }).count();
    }

    @Override
    public void close() {
        try {
            socket.close();
            reader.join(1000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
