package dev.memlayer.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 for fault tests: forwards to a target until told to
 * {@link #blackhole() swallow traffic} (a hung server or a cut cable: requests vanish, no reply),
 * {@link #kill() refuse connections} (a stopped server), or {@link #cutAfter(long) stop forwarding
 * client bytes after a given count} (a request cut in the middle), and then to
 * {@link #restore() forward again} on the same port.
 */
final class TcpProxy implements AutoCloseable {

    private enum Mode { FORWARD, BLACKHOLE }

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile Mode mode = Mode.FORWARD;
    private final AtomicLong upstreamBudget = new AtomicLong(Long.MAX_VALUE);

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

    /** Keeps connections open but forwards nothing more, in either direction. */
    void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    /** Forwards at most {@code bytes} more bytes from clients to the server, then swallows the rest. */
    void cutAfter(long bytes) {
        upstreamBudget.set(bytes);
    }

    /** Closes every connection and stops listening: connecting is refused. */
    void kill() throws IOException {
        mode = Mode.BLACKHOLE;
        ServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        closeConnections();
    }

    /** Drops the connections of a fault and forwards again, listening on the same port. */
    void restore() throws IOException {
        closeConnections();
        upstreamBudget.set(Long.MAX_VALUE);
        mode = Mode.FORWARD;
        if (server == null) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listen(s);
        }
    }

    private void closeConnections() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sockets.clear();
    }

    private void listen(ServerSocket s) {
        server = s;
        Thread.ofVirtual().name("tcp-proxy-accept").start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(targetHost, targetPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream, true);
                    pump(upstream, client, false);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        Thread.ofVirtual().name("tcp-proxy-pump").start(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (mode == Mode.BLACKHOLE) {
                        continue;
                    }
                    int send = n;
                    if (upstream) {
                        long budget = upstreamBudget.get();
                        send = (int) Math.min(n, Math.max(0, budget));
                        if (budget != Long.MAX_VALUE) {
                            upstreamBudget.addAndGet(-send);
                        }
                    }
                    if (send > 0) {
                        out.write(buf, 0, send);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // connection closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        kill();
    }
}
