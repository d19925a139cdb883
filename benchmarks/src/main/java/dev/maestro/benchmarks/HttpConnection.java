package dev.maestro.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket, for the load generator: writes a
 * prepared request, reads the status and the body (Content-Length or chunked) into a reused
 * buffer, and reads server-sent events line by line. It shares the machine's cores with the
 * server under test, so it does as little as it can (20-25 us of CPU per request here).
 */
final class HttpConnection implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;
  private final StringBuilder line = new StringBuilder(256);

  HttpConnection(String host, int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 10_000);
    socket.setSoTimeout(60_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Sent as a bearer token with every request when set: Maestro's API needs one. */
  private static final String TOKEN = System.getenv("MAESTRO_TOKEN");

  /** The bytes of a request; {@code body} null for none. */
  static byte[] request(String method, String path, String host, int port, String body) {
    return request(method, path, host, port, body, TOKEN);
  }

  /** The bytes of a request with this bearer token (null for none). */
  static byte[] request(String method, String path, String host, int port, String body, String token) {
    var sb = new StringBuilder(256);
    sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n");
    if (token != null) {
      sb.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    if (content != null) {
      sb.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
    }
    sb.append("\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
    if (content == null) {
      return head;
    }
    byte[] all = new byte[head.length + content.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(content, 0, all, head.length, content.length);
    return all;
  }

  /** When the first byte of the last response arrived ({@code System.nanoTime()}). */
  private long firstByteNanos;

  long firstByteNanos() {
    return firstByteNanos;
  }

  /** Sends the request and reads the whole response; returns its status. */
  int exchange(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    int status = readHead();
    readBody();
    return status;
  }

  /** Sends the request and reads the status line and headers only (for a stream). */
  int open(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    return readHead();
  }

  private long contentLength;
  private boolean chunked;
  private int bodyBytes;

  /** Size of the last response's body. */
  int bodyBytes() {
    return bodyBytes;
  }

  private int readHead() throws IOException {
    if (pos == limit) {
      fill();
    }
    firstByteNanos = System.nanoTime();
    String status = readLine();
    if (status == null) {
      throw new EOFException("the server closed the connection");
    }
    contentLength = -1;
    chunked = false;
    while (true) {
      String h = readLine();
      if (h == null) {
        throw new EOFException("the server closed the connection in the headers");
      }
      if (h.isEmpty()) {
        break;
      }
      int colon = h.indexOf(':');
      if (colon > 0) {
        String name = h.substring(0, colon);
        if (name.equalsIgnoreCase("content-length")) {
          contentLength = Long.parseLong(h.substring(colon + 1).strip());
        } else if (name.equalsIgnoreCase("transfer-encoding") && h.toLowerCase().contains("chunked")) {
          chunked = true;
        }
      }
    }
    return Integer.parseInt(status.substring(9, 12));
  }

  private void readBody() throws IOException {
    bodyBytes = 0;
    if (chunked) {
      while (true) {
        String size = readLine();
        int semi = size.indexOf(';');
        long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
        if (n == 0) {
          while (!readLine().isEmpty()) {
            // trailers
          }
          return;
        }
        skip(n);
        readLine();
      }
    }
    if (contentLength < 0) {
      throw new IOException("response has neither Content-Length nor chunked encoding; cannot keep the connection alive");
    }
    skip(contentLength);
  }

  private void skip(long n) throws IOException {
    bodyBytes += (int) n;
    while (n > 0) {
      if (pos == limit && !fill()) {
        throw new EOFException("the server closed the connection in a body");
      }
      int k = (int) Math.min(n, limit - pos);
      pos += k;
      n -= k;
    }
  }

  /** The next line of the response head or a chunk header (without CR LF), at most {@link #MAX_LINE} characters kept; null at the end. */
  private String readLine() throws IOException {
    line.setLength(0);
    while (true) {
      if (pos == limit && !fill()) {
        return line.isEmpty() ? null : line.toString();
      }
      byte b = buf[pos++];
      if (b == '\n') {
        return trimmed();
      }
      if (line.length() < MAX_LINE) {
        line.append((char) (b & 0xff));
      }
    }
  }

  /** Lines longer than this are cut: the load generator needs ids, event names and headers, not event data. */
  static final int MAX_LINE = 200;
  private long chunkLeft;
  private boolean streamEnded;

  /**
   * The next line of the body of a response opened with {@link #open}, de-chunked when the body
   * is chunked, cut at {@link #MAX_LINE} characters (event data is not needed); null at its end.
   */
  String readStreamLine() throws IOException {
    if (!chunked) {
      return readLine();
    }
    line.setLength(0);
    while (true) {
      if (chunkLeft == 0) {
        if (streamEnded || !nextChunk()) {
          streamEnded = true;
          return line.isEmpty() ? null : line.toString();
        }
      }
      if (pos == limit && !fill()) {
        throw new EOFException("the server closed the connection in a chunk");
      }
      // scan the run of bytes available in this chunk for the end of the line
      int end = (int) Math.min(limit, pos + chunkLeft);
      for (int i = pos; i < end; i++) {
        byte b = buf[i];
        if (b == '\n') {
          chunkLeft -= i + 1 - pos;
          pos = i + 1;
          return trimmed();
        }
        if (line.length() < MAX_LINE) {
          line.append((char) (b & 0xff));
        }
      }
      chunkLeft -= end - pos;
      pos = end;
    }
  }

  private boolean nextChunk() throws IOException {
    String save = line.toString();
    String size = readLine();
    if (size != null && size.isEmpty()) {
      size = readLine(); // the CR LF that ends the previous chunk
    }
    if (size == null) {
      return false;
    }
    int semi = size.indexOf(';');
    chunkLeft = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
    line.setLength(0);
    line.append(save);
    return chunkLeft > 0;
  }

  private String trimmed() {
    int n = line.length();
    if (n > 0 && line.charAt(n - 1) == '\r') {
      line.setLength(n - 1);
    }
    return line.toString();
  }

  private boolean fill() throws IOException {
    int n = in.read(buf);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
