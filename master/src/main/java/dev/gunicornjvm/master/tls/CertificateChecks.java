package dev.gunicornjvm.master.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.List;

/**
 * What OpenSSL would only find at the first handshake (or never), found when the master reads the keys:
 * a key that is not the certificate's, a chain out of order, a certificate expired or not yet valid.
 * Each is one line naming the file and the fix; at start it stops the master, on HUP it refuses the reload.
 */
final class CertificateChecks {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final byte[] PROBE = "gunicorn-jvm key check".getBytes(StandardCharsets.US_ASCII);

    private CertificateChecks() {
    }

    static void check(KeyMaterial m, Instant now) {
        List<X509Certificate> chain = m.chain();
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(m.certOrigin() + ": no certificate for the key (add the certificate"
                    + " chain, leaf first)");
        }
        if (!matches(m.key(), chain.get(0))) {
            for (int i = 1; i < chain.size(); i++) {
                if (matches(m.key(), chain.get(i))) {
                    throw new IllegalArgumentException(m.certOrigin() + ": the chain is in the wrong order: the key's"
                            + " certificate (" + subject(chain.get(i)) + ") is number " + (i + 1) + " (put it first,"
                            + " then the CA that issued it, and so on)");
                }
            }
            throw new IllegalArgumentException(m.keyOrigin() + ": the private key does not match the certificate ("
                    + subject(chain.get(0)) + ") in " + m.certOrigin() + " (give the key the certificate was made for)");
        }
        X509Certificate leaf = chain.get(0);
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new IllegalArgumentException(m.certOrigin() + ": the certificate (" + subject(leaf) + ") expired on "
                    + date(leaf.getNotAfter()) + " (renew it)");
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new IllegalArgumentException(m.certOrigin() + ": the certificate (" + subject(leaf) + ") is not valid"
                    + " before " + date(leaf.getNotBefore()) + " (check this machine's clock, or use the current one)");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                throw new IllegalArgumentException(m.certOrigin() + ": certificate " + (i + 2) + " ("
                        + subject(chain.get(i + 1)) + ") did not issue certificate " + (i + 1) + " (issued by "
                        + chain.get(i).getIssuerX500Principal().getName() + "): order the chain leaf first, each"
                        + " certificate followed by its issuer, and leave out unrelated ones");
            }
        }
    }

    /** True when the certificate's public key verifies what the private key signs. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a key that cannot sign (or one the JDK does not know): the handshake will tell
        }
        try {
            Signature sign = signature(algorithm);
            sign.initSign(key);
            sign.update(PROBE);
            byte[] signed = sign.sign();
            Signature verify = signature(algorithm);
            verify.initVerify(certificate.getPublicKey());
            verify.update(PROBE);
            return verify.verify(signed);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a key of another type or curve than the certificate's
        }
    }

    private static Signature signature(String algorithm) throws GeneralSecurityException {
        Signature s = Signature.getInstance(algorithm);
        if (algorithm.equals("RSASSA-PSS")) {
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        return s;
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    private static String date(Date date) {
        return DATE.format(date.toInstant());
    }
}
