// AcceptedSsl: finds the OpenSSL connection behind an accepted TLS socket by
// its file descriptor. Poco keeps the SSL* private, and its SecureSocketImpl
// retries WANT_WRITE in a loop while its inner socket believes it blocks, so
// a connection handed off from Poco to an event loop (a watch) is written
// with OpenSSL's own non-blocking calls on this SSL*.
//
// Thread safety: all functions are safe to call concurrently. The SSL* is
// owned by the Poco socket; the caller keeps that socket alive while using
// it and uses it from one thread at a time.
#ifndef BERTH_KERNEL_API_TLS_ACCEPTED_SSL_H_
#define BERTH_KERNEL_API_TLS_ACCEPTED_SSL_H_

#include <openssl/ssl.h>

namespace berth::tls {

// Records, for every handshake that completes on a connection made from
// `ctx`, its SSL* under its socket's fd. Installs ctx's info callback.
void TrackAcceptedSsl(SSL_CTX* ctx);

// The SSL* of the connection whose handshake last completed on `fd`, or
// null. Sound only for an fd whose connection completed its handshake and
// is still open (a new connection on a reused fd replaces the entry when
// its handshake completes, before it can carry a request).
SSL* AcceptedSslForFd(int fd);

}  // namespace berth::tls

#endif  // BERTH_KERNEL_API_TLS_ACCEPTED_SSL_H_
