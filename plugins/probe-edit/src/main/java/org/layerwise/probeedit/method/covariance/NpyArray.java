package org.layerwise.probeedit.method.covariance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A NumPy .npy array read into float64 (dtypes f4/f8/i1/i2/i4/i8/u1/u4/u8, either byte order, C order), and the
 * members of a .npz (a zip of .npy files, stored or deflated) by name without ".npy".
 */
public record NpyArray(long[] shape, double[] data) {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public static NpyArray read(InputStream in, String name) throws IOException {
        byte[] all = in.readAllBytes();
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY"))
            throw new IOException(name + " is not a .npy array (no \\x93NUMPY magic)");
        int major = all[6];
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = major == 1 ? bb.getShort(8) & 0xffff : bb.getInt(8);
        int headerStart = major == 1 ? 10 : 12;
        String header = new String(all, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) throw new IOException(name + ": unreadable .npy header " + header.strip());
        if (f.find() && f.group(1).equals("True")) throw new IOException(name + ": Fortran-order arrays are not supported; save with C order");
        String[] dims = s.group(1).split(",");
        long count = 1;
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        for (long x : shape) count *= x;
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        ByteBuffer data = ByteBuffer.wrap(all, headerStart + headerLen, all.length - headerStart - headerLen).slice().order(order);
        if (data.remaining() < count * size) throw new IOException(name + ": " + data.remaining() + " data bytes, the shape needs " + count * size);
        double[] out = new double[Math.toIntExact(count)];
        for (int i = 0; i < out.length; i++) {
            int at = i * size;
            out[i] = switch (kind + "" + size) {
                case "f8" -> data.getDouble(at);
                case "f4" -> data.getFloat(at);
                case "i8", "u8" -> data.getLong(at);
                case "i4" -> data.getInt(at);
                case "u4" -> data.getInt(at) & 0xffffffffL;
                case "i2" -> data.getShort(at);
                case "u1", "b1" -> data.get(at) & 0xff;
                case "i1" -> data.get(at);
                default -> throw new IOException(name + ": dtype " + d.group(2) + d.group(3) + " is not supported");
            };
        }
        return new NpyArray(shape, out);
    }

    /** Every member of a .npz stream, by name without ".npy". */
    public static Map<String, NpyArray> readNpz(InputStream in, String name) throws IOException {
        Map<String, NpyArray> out = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String member = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                out.put(member, read(new ByteArrayOutputStreamInput(zip).stream(), name + ":" + e.getName()));
            }
        }
        if (out.isEmpty()) throw new IOException(name + " is not a .npz file (no zip members)");
        return out;
    }

    /** Writes a float64 little-endian .npy (version 1). */
    public void write(OutputStream out) throws IOException {
        StringBuilder sh = new StringBuilder("(");
        for (long x : shape) sh.append(x).append(shape.length == 1 ? "," : ", ");
        String dims = shape.length > 1 ? sh.substring(0, sh.length() - 2) + ")" : sh + ")";
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': " + dims + ", }";
        int pad = 16 - (10 + header.length() + 1) % 16;
        header = header + " ".repeat(pad % 16) + "\n";
        ByteBuffer h = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.write(h.array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : data) b.putDouble(v);
        out.write(b.array());
    }

    /** Reads the current zip member fully without closing the zip. */
    private record ByteArrayOutputStreamInput(ZipInputStream zip) {
        InputStream stream() throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            zip.transferTo(buf);
            return new java.io.ByteArrayInputStream(buf.toByteArray());
        }
    }

    public static Map<String, NpyArray> readNpz(java.nio.file.Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return readNpz(in, file.toString());
        }
    }
}
