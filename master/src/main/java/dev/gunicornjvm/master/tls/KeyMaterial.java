package dev.gunicornjvm.master.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key and its certificate chain as the operator gave them, not yet checked.
 *
 * @param keyOrigin  where the key came from, for messages ("--keyfile /etc/tls/key.pem")
 * @param certOrigin where the chain came from
 */
record KeyMaterial(PrivateKey key, List<X509Certificate> chain, String keyOrigin, String certOrigin) {
    KeyMaterial {
        chain = List.copyOf(chain);
    }
}
