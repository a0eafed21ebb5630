package dev.memlayer.store.pgvector.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Iterator;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Streams {@link RecordRows.Row}s into a table with {@code COPY ... FROM STDIN (FORMAT binary)}:
 * PostgreSQL's binary tuple format (big-endian; timestamps as microseconds and dates as days since
 * 2000-01-01; arrays with their element type's OID; {@code jsonb} as version byte 1 plus the text;
 * pgvector's {@code vector} as int16 dimension, int16 zero and float4 values). No float is ever
 * formatted as text, which is what makes COPY several times faster than INSERT for embeddings.
 */
public final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final long PG_EPOCH_SECONDS = 946_684_800L; // 2000-01-01T00:00:00Z
    private static final long PG_EPOCH_DAY = 10_957L;
    private static final int TEXT_OID = 25;
    private static final int FLUSH_BYTES = 1 << 20;

    private BinaryCopy() {
    }

    /**
     * Copies the rows into {@code target} (a quoted table name) in the connection's current
     * transaction.
     *
     * @param connection a connection of the PostgreSQL driver (or a pool's proxy for one)
     * @param target     the table to copy into, with the columns of {@link RecordRows#WRITE_COLUMNS}
     * @param rows       the rows; iterated once
     * @return how many rows were copied
     */
    public static long copy(Connection connection, String target, Iterator<RecordRows.Row> rows) throws SQLException {
        return copy(connection, target, rows, false);
    }

    /**
     * Like {@link #copy(Connection, String, Iterator)}, optionally with {@code FREEZE}: the rows are
     * written frozen and their pages all-visible (index-only scans need no heap visits), which the
     * server allows only when the table was created or truncated in the current transaction.
     *
     * @param connection a connection of the PostgreSQL driver (or a pool's proxy for one)
     * @param target     the table to copy into, with the columns of {@link RecordRows#WRITE_COLUMNS}
     * @param rows       the rows; iterated once
     * @param freeze     whether to copy with {@code FREEZE}
     * @return how many rows were copied
     */
    public static long copy(Connection connection, String target, Iterator<RecordRows.Row> rows, boolean freeze)
            throws SQLException {
        String sql = "COPY " + target + " (" + String.join(", ", RecordRows.WRITE_COLUMNS) + ") FROM STDIN (FORMAT binary"
                + (freeze ? ", FREEZE" : "") + ")";
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        long n = 0;
        try {
            Buffer buf = new Buffer();
            buf.out.write(SIGNATURE);
            buf.out.writeInt(0); // flags
            buf.out.writeInt(0); // header extension length
            while (rows.hasNext()) {
                writeRow(buf, rows.next().values());
                n++;
                if (buf.size() >= FLUSH_BYTES) {
                    in.writeToCopy(buf.array(), 0, buf.size());
                    buf.reset();
                }
            }
            buf.out.writeShort(-1); // trailer
            in.writeToCopy(buf.array(), 0, buf.size());
            in.endCopy();
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException | RuntimeException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static void writeRow(Buffer buf, Object[] v) throws IOException {
        DataOutputStream out = buf.out;
        out.writeShort(v.length);
        for (Object value : v) {
            switch (value) {
                case null -> out.writeInt(-1);
                case String s -> bytes(out, s.getBytes(StandardCharsets.UTF_8));
                case Boolean b -> {
                    out.writeInt(1);
                    out.writeByte(b ? 1 : 0);
                }
                case Short s -> {
                    out.writeInt(2);
                    out.writeShort(s);
                }
                case OffsetDateTime t -> {
                    out.writeInt(8);
                    long micros = (t.toEpochSecond() - PG_EPOCH_SECONDS) * 1_000_000L + t.getNano() / 1000;
                    out.writeLong(micros);
                }
                case LocalDate d -> {
                    out.writeInt(4);
                    out.writeInt((int) (d.toEpochDay() - PG_EPOCH_DAY));
                }
                case String[] array -> textArray(buf, array);
                case float[] vector -> {
                    out.writeInt(4 + 4 * vector.length);
                    out.writeShort(vector.length);
                    out.writeShort(0);
                    out.write(buf.floats(vector));
                }
                case Jsonb j -> {
                    byte[] text = j.text().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(1 + text.length);
                    out.writeByte(1);
                    out.write(text);
                }
                default -> throw new IllegalArgumentException("no binary COPY encoding for " + value.getClass());
            }
        }
    }

    private static void textArray(Buffer buf, String[] array) throws IOException {
        byte[][] elements = new byte[array.length][];
        int size = 12 + (array.length == 0 ? 0 : 8);
        for (int i = 0; i < array.length; i++) {
            elements[i] = array[i].getBytes(StandardCharsets.UTF_8);
            size += 4 + elements[i].length;
        }
        DataOutputStream out = buf.out;
        out.writeInt(size);
        out.writeInt(array.length == 0 ? 0 : 1); // dimensions
        out.writeInt(0); // no nulls
        out.writeInt(TEXT_OID);
        if (array.length > 0) {
            out.writeInt(array.length);
            out.writeInt(1); // lower bound
        }
        for (byte[] e : elements) {
            bytes(out, e);
        }
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * A {@code jsonb} value for COPY (plain strings are copied as {@code text}).
     *
     * @param text the JSON text
     */
    public record Jsonb(String text) {
    }

    /** A byte buffer whose array can be handed to the driver without copying. */
    private static final class Buffer {
        private final Bytes bytes = new Bytes();
        private final DataOutputStream out = new DataOutputStream(bytes);
        private ByteBuffer scratch = ByteBuffer.allocate(0);

        /** @return the values as big-endian float4s (a bulk copy, not one call per value) */
        byte[] floats(float[] values) {
            if (scratch.capacity() != 4 * values.length) {
                scratch = ByteBuffer.allocate(4 * values.length).order(ByteOrder.BIG_ENDIAN);
            }
            scratch.clear();
            scratch.asFloatBuffer().put(values);
            return scratch.array();
        }

        int size() {
            return bytes.size();
        }

        byte[] array() {
            return bytes.buffer();
        }

        void reset() {
            bytes.reset();
        }
    }

    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(FLUSH_BYTES + (1 << 16));
        }

        byte[] buffer() {
            return buf;
        }
    }
}
