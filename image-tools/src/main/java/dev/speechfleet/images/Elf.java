package dev.speechfleet.images;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a 64-bit little-endian ELF file needs to run: the shared libraries it names ({@code DT_NEEDED})
 * and its program interpreter ({@code PT_INTERP}, the dynamic loader). Enough to copy a JVM's native
 * dependencies into an image without {@code ldd}.
 */
record Elf(List<String> needed, Optional<String> interpreter) {

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;

    static Elf read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    static Elf read(byte[] bytes, String name) {
        ByteBuffer elf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes[4] != 2 || bytes[5] != 1) {
            throw new IllegalArgumentException(name + " is not a 64-bit little-endian ELF file");
        }
        long phoff = elf.getLong(0x20);
        int phentsize = Short.toUnsignedInt(elf.getShort(0x36));
        int phnum = Short.toUnsignedInt(elf.getShort(0x38));
        List<long[]> loads = new ArrayList<>();
        long dynamicOffset = -1;
        String interpreter = null;
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            int type = elf.getInt(at);
            long offset = elf.getLong(at + 8);
            long vaddr = elf.getLong(at + 16);
            long filesz = elf.getLong(at + 32);
            if (type == PT_LOAD) {
                loads.add(new long[] {vaddr, offset, filesz});
            } else if (type == PT_DYNAMIC) {
                dynamicOffset = offset;
            } else if (type == PT_INTERP) {
                interpreter = string(bytes, (int) offset);
            }
        }
        List<String> needed = new ArrayList<>();
        if (dynamicOffset >= 0) {
            List<Long> names = new ArrayList<>();
            long strtab = -1;
            for (int at = (int) dynamicOffset; ; at += 16) {
                long tag = elf.getLong(at);
                long value = elf.getLong(at + 8);
                if (tag == 0) {
                    break;
                }
                if (tag == DT_NEEDED) {
                    names.add(value);
                } else if (tag == DT_STRTAB) {
                    strtab = fileOffset(loads, value, name);
                }
            }
            for (long nameOffset : names) {
                needed.add(string(bytes, (int) (strtab + nameOffset)));
            }
        }
        return new Elf(List.copyOf(needed), Optional.ofNullable(interpreter));
    }

    private static long fileOffset(List<long[]> loads, long vaddr, String name) {
        for (long[] load : loads) {
            if (vaddr >= load[0] && vaddr < load[0] + load[2]) {
                return vaddr - load[0] + load[1];
            }
        }
        throw new IllegalArgumentException(name + ": address " + Long.toHexString(vaddr) + " is in no loaded segment");
    }

    private static String string(byte[] bytes, int at) {
        int end = at;
        while (bytes[end] != 0) {
            end++;
        }
        return new String(bytes, at, end - at, StandardCharsets.US_ASCII);
    }
}
