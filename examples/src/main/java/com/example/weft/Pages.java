package com.example.weft;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * Fetches pages from a {@link LocalWebServer}, in whichever JVM calls it: the examples' parent or
 * a process pool's worker. Each JVM makes one {@link HttpClient} on first use, whose own work runs
 * on virtual threads.
 */
final class Pages {
    private Pages() {
    }

    /** One client per JVM, made on first use (in a worker JVM: by its first task). */
    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .executor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("example-http-", 1).factory()))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** GETs {@code uri} and returns the body; a status other than 200 is an {@link IOException}. */
    static byte[] fetch(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = Client.INSTANCE.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + uri.getPath());
        }
        return response.body();
    }
}
