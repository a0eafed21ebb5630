package dev.memlayer.store.pgvector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of the test server, which a test can cut (close every
 * connection and refuse new ones), black-hole (keep connections open but forward nothing) and
 * restore, without touching the shared server.
 */
final class TcpProxy implements AutoCloseable {

    enum Mode { FORWARD, REFUSE, BLACKHOLE }

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;
    private volatile ServerSocket server;
    private volatile boolean closed;

    TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = s.getLocalPort();
        listen(s);
    }

    int port() {
        return port;
    }

    /** Closes every open connection and refuses new ones (connection refused). */
    synchronized void cut() throws IOException {
        mode = Mode.REFUSE;
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        dropAll();
    }

    /** Keeps accepting and keeps connections open, but forwards nothing: a hung server. */
    synchronized void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /** Forwards again (listening on the same port). */
    synchronized void restore() throws IOException {
        if (mode == Mode.BLACKHOLE) {
            dropAll();
        }
        mode = Mode.FORWARD;
        if (server == null) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listen(s);
        }
    }

    private void dropAll() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        sockets.clear();
    }

    private void listen(ServerSocket s) {
        server = s;
        Thread.ofVirtual().start(() -> {
            while (!closed && !s.isClosed()) {
                try {
                    Socket client = s.accept();
                    sockets.add(client);
                    if (mode == Mode.BLACKHOLE) {
                        continue; // hold it open, never answer
                    }
                    Socket upstream = new Socket(targetHost, targetPort);
                    sockets.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // server socket closed by cut() or close()
                }
            }
        });
    }

    private void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (mode == Mode.BLACKHOLE && !from.isClosed()) {
                        Thread.sleep(20); // swallow: nothing is forwarded while black-holed
                    }
                    if (from.isClosed()) {
                        break;
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection cut
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        closed = true;
        ServerSocket s = server;
        if (s != null) {
            s.close();
        }
        dropAll();
    }
}
