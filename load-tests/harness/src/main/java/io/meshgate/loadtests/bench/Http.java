package io.meshgate.loadtests.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Single requests for readiness checks and the gateway's management endpoints (the load itself comes from wrk and
 * h2load). HTTP/1.1 only; any certificate is accepted, since the benchmark's certificates are self-signed.
 */
public final class Http {

    static {
        // readiness checks send the Host header the gateway routes by
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .sslContext(trustAll())
            .build();

    private Http() {
    }

    /** The status of a GET, or -1 if there was no answer. */
    public static int status(String url, @Nullable String host) {
        try {
            return CLIENT.send(request(url, host), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of a GET answered 200, or null. */
    public static @Nullable String body(String url) {
        try {
            HttpResponse<String> response = CLIENT.send(request(url, null), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Polls every 50 ms until a GET answers 200; returns the milliseconds that took, or -1 after {@code timeout} or
     * once {@code process} has died.
     */
    public static long awaitOk(String url, @Nullable String host, Duration timeout, @Nullable Process process) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (status(url, host) == 200) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (process != null && !process.isAlive()) {
                return -1;
            }
            Sleep.millis(50);
        }
        return -1;
    }

    private static HttpRequest request(String url, @Nullable String host) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
        if (host != null) {
            builder.header("Host", host);
        }
        return builder.build();
    }

    private static SSLContext trustAll() {
        TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {any}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
