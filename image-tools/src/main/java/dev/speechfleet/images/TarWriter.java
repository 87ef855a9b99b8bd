package dev.speechfleet.images;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A POSIX ustar archive writer, for image layers and {@code docker save} archives: directories and
 * regular files with owner 0:0, fixed modification time (reproducible layers), names up to 255
 * characters (split into ustar's prefix and name).
 */
final class TarWriter implements Closeable {

    private static final int BLOCK = 512;
    private static final long MTIME = 0;

    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String name, int mode) throws IOException {
        header(name.endsWith("/") ? name : name + "/", mode, 0, '5');
    }

    void file(String name, int mode, byte[] content) throws IOException {
        header(name, mode, content.length, '0');
        out.write(content);
        pad(content.length);
    }

    private void header(String name, int mode, long size, char type) throws IOException {
        byte[] header = new byte[BLOCK];
        String prefix = "";
        String shortName = name;
        if (name.length() > 100) {
            int slash = -1;
            for (int i = Math.min(155, name.length() - 1); i > 0 && slash < 0; i--) {
                int rest = name.length() - i - 1;
                if (name.charAt(i) == '/' && rest > 0 && rest <= 100) {
                    slash = i;
                }
            }
            if (slash < 0) {
                throw new IOException("name too long for ustar: " + name);
            }
            prefix = name.substring(0, slash);
            shortName = name.substring(slash + 1);
        }
        put(header, 0, 100, shortName);
        put(header, 100, 8, octal(mode, 7));
        put(header, 108, 8, octal(0, 7));
        put(header, 116, 8, octal(0, 7));
        put(header, 124, 12, octal(size, 11));
        put(header, 136, 12, octal(MTIME, 11));
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = (byte) type;
        put(header, 257, 6, "ustar");
        put(header, 263, 2, "00");
        put(header, 265, 32, "root");
        put(header, 297, 32, "root");
        put(header, 345, 155, prefix);
        long checksum = 0;
        for (byte b : header) {
            checksum += b & 0xff;
        }
        put(header, 148, 8, octal(checksum, 6) + "\0 ");
        out.write(header);
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    private static String octal(long value, int digits) {
        String octal = Long.toOctalString(value);
        return "0".repeat(Math.max(0, digits - octal.length())) + octal;
    }

    private static void put(byte[] header, int at, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > length) {
            throw new IllegalArgumentException("tar header field too long: " + value);
        }
        System.arraycopy(bytes, 0, header, at, bytes.length);
    }

    /** Writes the two zero blocks that end an archive. */
    @Override
    public void close() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.close();
    }
}
