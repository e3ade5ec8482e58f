package com.example.weft;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A web server on loopback for the examples, so that their IO is real and needs no network.
 *
 * <p>{@code GET /page?size=BYTES&delay=MILLIS} answers after {@code delay} ms with {@code size}
 * bytes; {@code GET /fail} answers 500. Each request is served on its own virtual thread.
 */
public final class LocalWebServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private LocalWebServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server on an ephemeral loopback port. */
    public static LocalWebServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("example-web-server-", 1).factory());
        server.setExecutor(executor);
        server.createContext("/page", LocalWebServer::page);
        server.createContext("/fail", exchange -> respond(exchange, 500, "failing on purpose\n".getBytes(StandardCharsets.UTF_8)));
        server.start();
        return new LocalWebServer(server, executor);
    }

    /** Returns the address of a page of {@code size} bytes that takes {@code delayMillis} to arrive. */
    public URI page(int size, long delayMillis) {
        return base().resolve("/page?size=" + size + "&delay=" + delayMillis);
    }

    /** Returns the address of a page that always fails with HTTP 500. */
    public URI failing() {
        return base().resolve("/fail");
    }

    private URI base() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/");
    }

    private static void page(HttpExchange exchange) throws IOException {
        int size = 0;
        long delay = 0;
        String query = exchange.getRequestURI().getQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[0].equals("size")) {
                    size = Integer.parseInt(kv[1]);
                } else if (kv.length == 2 && kv[0].equals("delay")) {
                    delay = Long.parseLong(kv[1]);
                }
            }
        }
        try {
            Thread.sleep(delay); // the page's simulated latency
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) 'w');
        respond(exchange, 200, body);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops the server at once and ends its threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
