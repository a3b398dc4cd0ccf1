//! The TCP front door: the three login lines a TCP-era client (up to about b20130815)
//! sends before its first packet.
//!
//! [`read_login`] reads from any async stream until it holds the three lines, parses them
//! with [`LoginRequest::parse`] and hands back an owned copy ([`OwnedLogin`]) together with
//! whatever the client sent after the third `\n` ([`TcpLogin::leftover`]): clients write
//! their first packets right behind the login, often in the same segment, and those bytes
//! are the start of the packet stream (anchor discards them; this does not).
//!
//! The rules (see `docs/design/server-research.md`, "TCP rules"):
//!
//! - Lines end in `\n` or `\r\n`.
//! - At most [`LoginLimits::max_len`] bytes are read before the login must be complete
//!   (default 4 KiB); more is [`TcpLoginError::TooLong`], and nothing past the limit is read.
//! - The whole login must arrive within [`LoginLimits::timeout`] (default 30 s), or
//!   [`TcpLoginError::Timeout`].
//! - A stream that starts like an HTTP request (`GET ` or `POST `, then a request line ending
//!   in ` HTTP/1.0` or ` HTTP/1.1`: a browser or HTTP client on the TCP port) is answered
//!   with a complete `302 Found` to [`LoginLimits::redirect`] and then
//!   [`TcpLoginError::StrayHttp`].
//! - End of stream before the third line is [`TcpLoginError::Closed`]; a body that does not
//!   parse is [`TcpLoginError::Invalid`]. Nothing the client sends makes this panic.
//!
//! The caller owns the socket: set `TCP_NODELAY` (and keepalive) on a
//! [`tokio::net::TcpStream`] before handing it over (`stream.set_nodelay(true)`), since the
//! server writes many small packets, and close the stream after any error.

use std::time::Duration;

use bytes::{Buf, BufMut, BytesMut};
use chio_packets::login::request::{ClientHashes, LoginRequest, LoginRequestError};
use chio_packets::login::version::ClientVersion;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The bounds on a TCP login.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginLimits {
    /// The most bytes read before the login must be complete.
    pub max_len: usize,
    /// How long the client has to send the whole login.
    pub timeout: Duration,
    /// Where a stray HTTP request is redirected (the `Location` of the `302`), such as
    /// `http://c.example.com/`.
    pub redirect: String,
}

impl Default for LoginLimits {
    /// 4 KiB, 30 s, `http://c.localhost/`.
    fn default() -> Self {
        Self { max_len: 4096, timeout: Duration::from_secs(30), redirect: "http://c.localhost/".to_owned() }
    }
}

/// An owned copy of a [`LoginRequest`]: see there for each field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OwnedLogin {
    /// Line 1: the username, as typed.
    pub username: String,
    /// Line 2: the MD5 of the password, 32 hex digits, as sent.
    pub password_md5: String,
    /// Line 3, field 1: the client version.
    pub version: ClientVersion,
    /// Line 3, field 2: the UTC offset in hours.
    pub utc_offset: i8,
    /// Line 3, field 3: whether the user lets others see their city.
    pub display_city: bool,
    /// Line 3, field 4: the client hashes, if sent.
    pub client_hashes: Option<OwnedClientHashes>,
    /// Line 3, field 5: whether the user accepts direct messages from friends only.
    pub block_non_friend_dms: bool,
}

/// An owned copy of [`ClientHashes`]: see there for each part.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OwnedClientHashes {
    /// MD5 of the client executable.
    pub executable_md5: String,
    /// The network adapters list (`None` if only the executable's MD5 was sent).
    pub adapters: Option<String>,
    /// MD5 of the adapters list.
    pub adapters_md5: Option<String>,
    /// MD5 of the client's uninstall id.
    pub uninstall_md5: Option<String>,
    /// MD5 of the disk signature.
    pub disk_md5: Option<String>,
}

impl OwnedLogin {
    /// The borrowed form, for everything that takes a [`LoginRequest`].
    pub fn as_request(&self) -> LoginRequest<'_> {
        LoginRequest {
            username: &self.username,
            password_md5: &self.password_md5,
            version: self.version,
            utc_offset: self.utc_offset,
            display_city: self.display_city,
            client_hashes: self.client_hashes.as_ref().map(|h| ClientHashes {
                executable_md5: &h.executable_md5,
                adapters: h.adapters.as_deref(),
                adapters_md5: h.adapters_md5.as_deref(),
                uninstall_md5: h.uninstall_md5.as_deref(),
                disk_md5: h.disk_md5.as_deref(),
            }),
            block_non_friend_dms: self.block_non_friend_dms,
        }
    }
}

impl From<LoginRequest<'_>> for OwnedLogin {
    fn from(r: LoginRequest<'_>) -> Self {
        Self {
            username: r.username.to_owned(),
            password_md5: r.password_md5.to_owned(),
            version: r.version,
            utc_offset: r.utc_offset,
            display_city: r.display_city,
            client_hashes: r.client_hashes.map(|h| OwnedClientHashes {
                executable_md5: h.executable_md5.to_owned(),
                adapters: h.adapters.map(str::to_owned),
                adapters_md5: h.adapters_md5.map(str::to_owned),
                uninstall_md5: h.uninstall_md5.map(str::to_owned),
                disk_md5: h.disk_md5.map(str::to_owned),
            }),
            block_non_friend_dms: r.block_non_friend_dms,
        }
    }
}

/// A TCP login read off the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpLogin {
    /// The parsed login lines.
    pub request: OwnedLogin,
    /// The bytes read after the third `\n`: the start of the packet stream. Feed them to
    /// the packet decoder before reading more from the stream.
    pub leftover: BytesMut,
}

/// Why a TCP login failed. After any of these, close the connection.
#[derive(Debug, thiserror::Error)]
pub enum TcpLoginError {
    /// The client sent `limit` bytes without finishing its login; nothing more was read.
    #[error("login longer than {limit} bytes")]
    TooLong {
        /// The limit ([`LoginLimits::max_len`]).
        limit: usize,
    },
    /// The client did not finish its login in time.
    #[error("login not complete in time")]
    Timeout,
    /// The client sent an HTTP request; it was answered with a redirect.
    #[error("HTTP request on the TCP port (redirected)")]
    StrayHttp,
    /// The stream ended before the login was complete.
    #[error("connection closed after {received} bytes of login")]
    Closed {
        /// How many bytes the client sent.
        received: usize,
    },
    /// The login lines do not parse.
    #[error("invalid login: {0}")]
    Invalid(#[from] LoginRequestError),
    /// Reading or writing the stream failed.
    #[error("login I/O: {0}")]
    Io(#[from] std::io::Error),
}

/// Reads a TCP login from `stream` (see the [module documentation](self) for the rules).
///
/// The stream is borrowed: on success keep reading packets from it, starting with
/// [`TcpLogin::leftover`]; on error close it.
pub async fn read_login<S>(stream: &mut S, limits: &LoginLimits) -> Result<TcpLogin, TcpLoginError>
where
    S: AsyncRead + AsyncWrite + Unpin + ?Sized,
{
    match tokio::time::timeout(limits.timeout, read_untimed(stream, limits)).await {
        Ok(result) => result,
        Err(_) => Err(TcpLoginError::Timeout),
    }
}

/// The search for the end of the login body (the third `\n`) in a buffer that only grows:
/// each byte is looked at once, however the body is split into reads.
#[derive(Default)]
struct BodyEnd {
    /// How much of the buffer was searched.
    searched: usize,
    /// The `\n`s found in it.
    line_ends: usize,
}

impl BodyEnd {
    /// The body's length ([`LoginRequest::body_len`]) once `buf` holds it.
    fn find(&mut self, buf: &[u8]) -> Option<usize> {
        for (at, &byte) in buf.iter().enumerate().skip(self.searched) {
            if byte == b'\n' {
                self.line_ends += 1;
                if self.line_ends == 3 {
                    return Some(at + 1);
                }
            }
        }
        self.searched = buf.len();
        None
    }
}

/// What the start of the stream says about HTTP.
enum HttpCheck {
    /// Not an HTTP request.
    No,
    /// Too early to tell.
    Unsure,
    /// An HTTP request line.
    Yes,
}

/// Whether `buf` starts with an HTTP request line. `searched` is how much of `buf` an
/// earlier call found without a `\n` (the buffer only grows between calls), so a request
/// line that arrives a byte at a time is searched once, not once per byte.
fn check_http(buf: &[u8], searched: &mut usize) -> HttpCheck {
    let method = [&b"GET "[..], &b"POST "[..]].into_iter().find(|m| buf.starts_with(m));
    if method.is_none() {
        let prefix_of_method = [&b"GET "[..], &b"POST "[..]].iter().any(|m| m.starts_with(buf));
        return if prefix_of_method { HttpCheck::Unsure } else { HttpCheck::No };
    }
    let from = (*searched).min(buf.len());
    let Some(end) = buf[from..].iter().position(|&b| b == b'\n').map(|at| from + at) else {
        *searched = buf.len();
        return HttpCheck::Unsure;
    };
    let line = buf[..end].strip_suffix(b"\r").unwrap_or(&buf[..end]);
    if line.ends_with(b" HTTP/1.1") || line.ends_with(b" HTTP/1.0") { HttpCheck::Yes } else { HttpCheck::No }
}

async fn read_untimed<S>(stream: &mut S, limits: &LoginLimits) -> Result<TcpLogin, TcpLoginError>
where
    S: AsyncRead + AsyncWrite + Unpin + ?Sized,
{
    let mut buf = BytesMut::with_capacity(limits.max_len.min(1024));
    let mut http_decided = false;
    let mut http_searched = 0;
    let mut body_end = BodyEnd::default();
    loop {
        if !http_decided {
            match check_http(&buf, &mut http_searched) {
                HttpCheck::No => http_decided = true,
                HttpCheck::Unsure => {}
                HttpCheck::Yes => {
                    let response = format!(
                        "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        limits.redirect
                    );
                    stream.write_all(response.as_bytes()).await?;
                    stream.flush().await?;
                    // The client may already be gone; the redirect was sent either way.
                    let _ = stream.shutdown().await;
                    return Err(TcpLoginError::StrayHttp);
                }
            }
        }
        if http_decided && let Some(len) = body_end.find(&buf) {
            let request = OwnedLogin::from(LoginRequest::parse(&buf[..len])?);
            buf.advance(len);
            return Ok(TcpLogin { request, leftover: buf });
        }
        let room = limits.max_len.saturating_sub(buf.len());
        if room == 0 {
            return Err(TcpLoginError::TooLong { limit: limits.max_len });
        }
        buf.reserve(room.min(4096));
        let read = stream.read_buf(&mut (&mut buf).limit(room)).await?;
        if read == 0 {
            // A stream that ended on an undecided HTTP-looking prefix is a short login.
            return Err(TcpLoginError::Closed { received: buf.len() });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use chio_packets::session::OsuPong;
    use chio_packets::wire::FrameDecoder;
    use chio_packets::{Context, Direction, FromClient, Packet};
    use tokio::net::{TcpListener, TcpStream};

    use super::*;

    const PASSWORD: &str = "5f4dcc3b5aa765d61d8327deb882cf99";

    /// A connected pair over loopback: (client, server).
    async fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (client, accepted) = tokio::join!(TcpStream::connect(addr), listener.accept());
        let server = accepted.unwrap().0;
        server.set_nodelay(true).unwrap();
        (client.unwrap(), server)
    }

    fn b20121203_login() -> String {
        format!("peppy\r\n{PASSWORD}\r\nb20121203|2|1|d41d8cd98f00b204e9800998ecf8427e\r\n")
    }

    #[tokio::test]
    async fn login_and_packets_in_one_write() {
        let (mut client, mut server) = pair().await;
        let ctx = Context::new(20121203);
        let mut wire = b20121203_login().into_bytes();
        let client_ctx = ctx.sent_by(Direction::ClientToServer);
        OsuPong.write(&mut wire, client_ctx).unwrap();
        OsuPong.write(&mut wire, client_ctx).unwrap();
        client.write_all(&wire).await.unwrap();

        let mut login = read_login(&mut server, &LoginLimits::default()).await.unwrap();
        assert_eq!(login.request.username, "peppy");
        assert_eq!(login.request.password_md5, PASSWORD);
        assert_eq!(login.request.version, ClientVersion::new(20121203));
        assert_eq!((login.request.utc_offset, login.request.display_city), (2, true));
        let hashes = login.request.client_hashes.as_ref().unwrap();
        assert_eq!(hashes.executable_md5, "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hashes.adapters, None);
        assert!(!login.request.block_non_friend_dms);
        assert_eq!(LoginRequest::parse_str(&b20121203_login()).unwrap(), login.request.as_request());

        let mut decoder = FrameDecoder::<FromClient>::new(ctx);
        let batch = decoder.decode(&mut login.leftover).unwrap().expect("two whole frames");
        let ids: Vec<_> = batch.iter().map(|f| f.unwrap().id).collect();
        assert_eq!(ids, [Some(OsuPong::ID), Some(OsuPong::ID)]);
        assert!(login.leftover.is_empty());
    }

    #[tokio::test]
    async fn login_split_byte_by_byte() {
        let (mut client, mut server) = pair().await;
        client.set_nodelay(true).unwrap();
        let body = format!("peppy\n{PASSWORD}\nb1700|-5|0|a:b:c:\n");
        let writer = tokio::spawn(async move {
            for byte in body.as_bytes() {
                client.write_all(&[*byte]).await.unwrap();
                client.flush().await.unwrap();
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            client
        });
        let login = read_login(&mut server, &LoginLimits::default()).await.unwrap();
        assert_eq!(login.request.version, ClientVersion::new(1700));
        assert_eq!(login.request.utc_offset, -5);
        assert_eq!(login.request.client_hashes.unwrap().adapters_md5.as_deref(), Some("c"));
        assert!(login.leftover.is_empty());
        drop(writer.await.unwrap());
    }

    #[tokio::test]
    async fn oversize_login_stops_at_the_limit() {
        let (mut client, mut server) = pair().await;
        let limits = LoginLimits::default();
        let sent = 10_000;
        let writer = tokio::spawn(async move {
            client.write_all(&vec![b'a'; sent]).await.unwrap();
            client.shutdown().await.unwrap();
            client
        });
        let error = read_login(&mut server, &limits).await.unwrap_err();
        assert!(matches!(error, TcpLoginError::TooLong { limit: 4096 }), "{error:?}");
        // Nothing past the limit was read: the rest is still in the socket.
        let mut rest = Vec::new();
        server.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest.len(), sent - limits.max_len);
        drop(writer.await.unwrap());
    }

    #[tokio::test]
    async fn login_that_never_ends_times_out() {
        let (mut client, mut server) = pair().await;
        client.write_all(b"peppy\r\n5f4dcc3b").await.unwrap();
        let limits = LoginLimits { timeout: Duration::from_millis(200), ..LoginLimits::default() };
        let start = Instant::now();
        let error = read_login(&mut server, &limits).await.unwrap_err();
        assert!(matches!(error, TcpLoginError::Timeout), "{error:?}");
        assert!(start.elapsed() >= Duration::from_millis(200));
        assert!(start.elapsed() < Duration::from_secs(5));
        drop(client);
    }

    #[tokio::test]
    async fn stray_http_gets_a_complete_redirect() {
        for request in ["GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", "POST /x HTTP/1.0\n\n"] {
            let (mut client, mut server) = pair().await;
            client.write_all(request.as_bytes()).await.unwrap();
            let limits =
                LoginLimits { redirect: "http://c.example.com/".to_owned(), ..LoginLimits::default() };
            let error = read_login(&mut server, &limits).await.unwrap_err();
            assert!(matches!(error, TcpLoginError::StrayHttp), "{error:?}");
            drop(server);
            let mut response = String::new();
            client.read_to_string(&mut response).await.unwrap();
            assert_eq!(
                response,
                "HTTP/1.1 302 Found\r\nLocation: http://c.example.com/\r\nContent-Length: 0\r\n\
                 Connection: close\r\n\r\n"
            );
        }
    }

    #[tokio::test]
    async fn a_user_named_get_is_not_http() {
        let (mut client, mut server) = pair().await;
        client
            .write_all(format!("GET rekt\n{PASSWORD}\nb20130303|0|0|a:b:c:d:e:|1\n").as_bytes())
            .await
            .unwrap();
        let login = read_login(&mut server, &LoginLimits::default()).await.unwrap();
        assert_eq!(login.request.username, "GET rekt");
        assert!(login.request.block_non_friend_dms);
    }

    #[tokio::test]
    async fn garbage_is_invalid() {
        let garbage: [&[u8]; 4] = [
            b"\n\n\n",
            b"\xff\xfe\x00\x01\n\x80\n\x04\x00\x00\x00\x00\x00\x00\n",
            b"peppy\nnot-a-hash\nb1|0\n",
            b"peppy\n5f4dcc3b5aa765d61d8327deb882cf99\nb20130303|x|0\n",
        ];
        for bytes in garbage {
            let (mut client, mut server) = pair().await;
            client.write_all(bytes).await.unwrap();
            let error = read_login(&mut server, &LoginLimits::default()).await.unwrap_err();
            assert!(matches!(error, TcpLoginError::Invalid(_)), "{bytes:?}: {error:?}");
        }
    }

    #[tokio::test]
    async fn eof_mid_login_is_closed() {
        for partial in [&b""[..], b"peppy\n5f4dcc3b", b"GE"] {
            let (mut client, mut server) = pair().await;
            client.write_all(partial).await.unwrap();
            client.shutdown().await.unwrap();
            let error = read_login(&mut server, &LoginLimits::default()).await.unwrap_err();
            assert!(
                matches!(error, TcpLoginError::Closed { received } if received == partial.len()),
                "{partial:?}: {error:?}"
            );
        }
    }

    #[test]
    fn http_check() {
        let check = |buf: &[u8]| check_http(buf, &mut 0);
        assert!(matches!(check(b""), HttpCheck::Unsure));
        assert!(matches!(check(b"POS"), HttpCheck::Unsure));
        assert!(matches!(check(b"GET / HTT"), HttpCheck::Unsure));
        assert!(matches!(check(b"GET / HTTP/1.1\r\n"), HttpCheck::Yes));
        assert!(matches!(check(b"GET bob\n"), HttpCheck::No));
        assert!(matches!(check(b"peppy\n"), HttpCheck::No));
        let mut b = BytesMut::new();
        b.put_slice(b"GETX");
        assert!(matches!(check(&b), HttpCheck::No));
    }

    /// A request line and a login arriving a byte at a time are decided as when they
    /// arrive whole, searching only the new bytes each time.
    #[test]
    fn searches_resume_where_they_stopped() {
        let line = b"GET / HTTP/1.1\r\n";
        let mut searched = 0;
        for end in 0..line.len() {
            assert!(matches!(check_http(&line[..end], &mut searched), HttpCheck::Unsure), "{end}");
            assert_eq!(searched, if end >= 4 { end } else { 0 });
        }
        assert!(matches!(check_http(line, &mut searched), HttpCheck::Yes));

        let login = format!("peppy\n{PASSWORD}\nb20121203|2|1|e1\n\x04\x00");
        let mut body_end = BodyEnd::default();
        let found: Vec<_> =
            (0..=login.len()).filter_map(|end| body_end.find(&login.as_bytes()[..end])).collect();
        assert_eq!(found.first(), LoginRequest::body_len(login.as_bytes()).as_ref());
    }
}
