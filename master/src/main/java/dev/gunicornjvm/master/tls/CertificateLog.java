package dev.gunicornjvm.master.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** One log line per generation about the certificate it serves: a renewal shows, and so does an expiry coming. */
final class CertificateLog {
    private static final Logger LOG = LogManager.getLogger("gunicorn.error");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Let's Encrypt certificates last 90 days and certbot renews them 30 days ahead: 14 days left is late. */
    static final Duration SOON = Duration.ofDays(14);

    private CertificateLog() {
    }

    static void served(X509Certificate certificate, Instant now) {
        Instant end = certificate.getNotAfter().toInstant();
        String line = "TLS certificate " + certificate.getSubjectX500Principal().getName() + " (serial "
                + certificate.getSerialNumber().toString(16) + ") valid until " + DATE.format(end);
        if (Duration.between(now, end).compareTo(SOON) < 0) {
            LOG.warn("{}: expires in {} hours (renew it, then send HUP)", line, Duration.between(now, end).toHours());
        } else {
            LOG.info(line);
        }
    }
}
