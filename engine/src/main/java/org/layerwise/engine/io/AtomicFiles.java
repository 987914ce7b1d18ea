package org.layerwise.engine.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes outputs so that readers see either the old file or the complete new one, never a half-written one:
 * everything goes to a hidden temporary sibling ({@code .name.<random>.partial}) in the same directory, is
 * forced to disk, and is then renamed over the target in one atomic move. When the writer fails or the job
 * is cancelled (an exception, including {@code JobCancelledException}, or an interrupt), the temporary is
 * deleted and the target is left as it was. A process killed mid-write leaves at most a {@code .partial}
 * sibling behind, never a truncated target.
 */
public final class AtomicFiles {
    /** Marks temporaries so leftovers of a killed process are recognisable. */
    public static final String PARTIAL_SUFFIX = ".partial";

    private AtomicFiles() {}

    /** Writes bytes to a stream; may throw anything, in which case nothing reaches the target. */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Fills a fresh, empty directory; may throw anything, in which case nothing reaches the target. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void fill(Path directory) throws IOException;
    }

    /** Writes {@code target} through {@code writer}; returns {@code target}. */
    public static Path write(Path target, StreamWriter writer) throws IOException {
        if (Files.isDirectory(target)) {
            throw new IOException("Cannot write " + target.toAbsolutePath()
                    + ": a folder of that name is in the way. Choose another file name or folder.");
        }
        Path parent = parentOf(target);
        Files.createDirectories(parent);
        Path temp = temporarySibling(target);
        boolean moved = false;
        try {
            // a FileChannel stream is interruptible: cancelling a job (which interrupts it) stops a long write
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                writer.writeTo(new UnclosableStream(out));
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temp, target);
            moved = true;
            syncDirectory(parent);
            return target;
        } finally {
            if (!moved) Files.deleteIfExists(temp);
        }
    }

    public static Path writeBytes(Path target, byte[] bytes) throws IOException {
        return write(target, out -> out.write(bytes));
    }

    public static Path writeString(Path target, String text) throws IOException {
        return writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Builds a directory (e.g. a saved model: config, weights, tokenizer) in a temporary sibling and moves it
     * into place only when {@code writer} returned normally. An existing target directory is replaced: it is
     * first renamed aside, so a crash between the two renames leaves the old copy as a {@code .partial} sibling
     * rather than losing it.
     */
    public static Path writeDirectory(Path target, DirectoryWriter writer) throws IOException {
        Path parent = parentOf(target);
        Files.createDirectories(parent);
        Path temp = temporarySibling(target);
        Files.createDirectory(temp);
        boolean moved = false;
        try {
            writer.fill(temp);
            forceTree(temp);
            replaceDirectory(temp, target);
            moved = true;
            syncDirectory(parent);
            return target;
        } finally {
            if (!moved) deleteTree(temp);
        }
    }

    /** Copies a file or a whole directory tree to {@code target} atomically (replacing what was there). */
    public static Path copy(Path source, Path target) throws IOException {
        if (!Files.exists(source)) {
            throw new NoSuchFileException(source.toString(), null, "cannot copy: the source does not exist");
        }
        if (Files.isDirectory(source)) {
            return writeDirectory(target, dir -> copyTree(source, dir));
        }
        return write(target, out -> Files.copy(source, out));
    }

    /** Total size in bytes of a file, or of every file under a directory. */
    public static long size(Path path) throws IOException {
        if (!Files.isDirectory(path)) return Files.size(path);
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Deletes a file or a directory tree; missing is fine. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static Path temporarySibling(Path target) {
        String random = UUID.randomUUID().toString().substring(0, 8);
        return parentOf(target).resolve("." + target.getFileName() + "." + random + PARTIAL_SUFFIX);
    }

    private static Path parentOf(Path target) {
        Path absolute = target.toAbsolutePath();
        if (absolute.getFileName() == null) throw new IllegalArgumentException("not a file path: " + target);
        return absolute.getParent();
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // same directory, so this only happens on odd file systems; a plain replace is the best left
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void replaceDirectory(Path temp, Path target) throws IOException {
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            moveIntoPlace(temp, target);
            return;
        }
        Path old = temporarySibling(target);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            moveIntoPlace(temp, target);
        } catch (IOException e) {
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE); // put the old copy back
            throw e;
        }
        deleteTree(old);
    }

    private static void copyTree(Path source, Path into) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException("copy interrupted");
                Files.createDirectories(into.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (Thread.currentThread().isInterrupted()) throw new java.io.InterruptedIOException("copy interrupted");
                Files.copy(file, into.resolve(source.relativize(file).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void forceTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is harmless. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open directories; NTFS journals renames itself
        }
    }

    /** Writers that close the stream they were given must not close it before it is forced to disk. */
    private static final class UnclosableStream extends java.io.FilterOutputStream {
        UnclosableStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
