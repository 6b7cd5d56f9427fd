package dev.gunicornjvm.master.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * What one PEM file holds: its certificates in order, and at most one private key, decrypted. Every
 * form people have is read: PKCS#8 ("PRIVATE KEY"), encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY"),
 * PKCS#1 ("RSA PRIVATE KEY", also encrypted the old OpenSSL way with Proc-Type/DEK-Info), SEC1
 * ("EC PRIVATE KEY"), with or without "EC PARAMETERS", and a key and certificates in one file.
 *
 * <p>BouncyCastle parses and decrypts (the JDK reads only unencrypted PKCS#8); the key it gives back
 * is the JDK's own, so the PKCS#12 files workers load need nothing but the JDK.
 *
 * @param key the private key, or null when the file holds none
 */
record PemFile(List<X509Certificate> certificates, PrivateKey key) {
    PemFile {
        certificates = List.copyOf(certificates);
    }

    /**
     * @param option   the option that names the file, for the messages
     * @param password the key's password, or null
     * @throws IllegalArgumentException with one line saying what is wrong with the file and how to fix it
     */
    static PemFile read(String option, Path file, byte[] content, char[] password) {
        String where = option + " " + file;
        List<X509Certificate> certificates = new ArrayList<>();
        PrivateKey key = null;
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (Reader text = new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(text)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    certificates.add(certs.getCertificate(holder));
                } else if (o instanceof X509TrustedCertificateBlock trusted) {
                    certificates.add(certs.getCertificate(trusted.getCertificateHolder()));
                } else {
                    PrivateKey found = key(where, o, password);
                    if (found != null && key != null) {
                        throw new IllegalArgumentException(where + ": holds more than one private key (keep only the"
                                + " one the certificate was made for)");
                    }
                    key = found != null ? found : key;
                }
            }
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException(where + ": not a valid PEM file (" + oneLine(e) + ")");
        }
        return new PemFile(certificates, key);
    }

    /** The private key a PEM object is, or null for objects that are not keys (EC PARAMETERS, a CRL). */
    private static PrivateKey key(String where, Object o, char[] password) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(Bc.PROVIDER).build(required(where, password))));
            }
            if (o instanceof PEMEncryptedKeyPair encrypted) {
                return converter.getKeyPair(encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                        .setProvider(Bc.PROVIDER).build(required(where, password)))).getPrivate();
            }
        } catch (PKCSException | OperatorCreationException | org.bouncycastle.openssl.EncryptionException e) {
            throw new IllegalArgumentException(where + ": wrong password for the encrypted key (check"
                    + " --keyfile-password)");
        } catch (org.bouncycastle.openssl.PEMException e) {
            if (o instanceof PEMEncryptedKeyPair) {
                throw new IllegalArgumentException(where + ": wrong password for the encrypted key (check"
                        + " --keyfile-password)");
            }
            throw new IllegalArgumentException(where + ": cannot read the private key (" + oneLine(e) + ")");
        }
        return null;
    }

    private static char[] required(String where, char[] password) {
        if (password == null) {
            throw new IllegalArgumentException(where + ": the private key is encrypted (give its password with"
                    + " --keyfile-password env:VAR or file:PATH)");
        }
        return password;
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** BouncyCastle's provider, made only when an encrypted key needs it, and never registered JVM-wide. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
