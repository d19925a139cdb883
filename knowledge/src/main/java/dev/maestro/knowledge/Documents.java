package dev.maestro.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/** Reads files and URLs into chunks, or says why it cannot. */
final class Documents {

  /** A document read and cut, or the reason it was not. */
  sealed interface Read {}

  /** @param capped true when only the first bytes of a larger document were read */
  record Loaded(String document, Format format, byte[] content, List<Chunk> chunks, boolean capped) implements Read {}

  record Refused(String document, String reason) implements Read {}

  private final long maxBytes;
  private final Set<String> allowedHosts;
  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  Documents(long maxBytes, Set<String> allowedHosts) {
    this.maxBytes = maxBytes;
    this.allowedHosts = Set.copyOf(allowedHosts);
  }

  static boolean isUrl(String source) {
    String s = source.toLowerCase(Locale.ROOT);
    return s.startsWith("http://") || s.startsWith("https://");
  }

  Read file(Path file) {
    String document = file.toString();
    Format format = Format.ofName(file.getFileName().toString()).orElse(null);
    if (format == null) {
      return new Refused(document, "unsupported format '." + Format.extension(document) + "'; Maestro ingests " + Format.SUPPORTED);
    }
    byte[] content;
    boolean capped;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (IOException e) {
      return new Refused(document, "cannot read it: " + e.getMessage());
    }
    capped = content.length > maxBytes;
    if (capped) {
      content = java.util.Arrays.copyOf(content, (int) maxBytes);
    }
    return parse(document, format, content, capped);
  }

  Read url(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return new Refused(url, "not a URL: " + e.getMessage());
    }
    for (int redirects = 0; ; redirects++) {
      String refusal = refuseAddress(uri);
      if (refusal != null) {
        return new Refused(url, refusal);
      }
      HttpResponse<InputStream> response;
      try {
        response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        return new Refused(url, "cannot fetch it: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Refused(url, "interrupted while fetching it");
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400 && response.headers().firstValue("location").isPresent() && redirects < 5) {
        closeQuietly(response.body());
        uri = uri.resolve(response.headers().firstValue("location").get());
        continue;
      }
      if (status != 200) {
        closeQuietly(response.body());
        return new Refused(url, "the server answered HTTP " + status);
      }
      String type = response.headers().firstValue("content-type").orElse("");
      Format format = Format.ofMediaType(type, uri.getPath() == null ? "" : uri.getPath()).orElse(null);
      if (format == null) {
        closeQuietly(response.body());
        return new Refused(url, "unsupported content type '" + type + "'; Maestro ingests " + Format.SUPPORTED);
      }
      byte[] content;
      try (InputStream in = response.body()) {
        content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      } catch (IOException e) {
        return new Refused(url, "cannot read the response: " + e.getMessage());
      }
      boolean capped = content.length > maxBytes;
      if (capped) {
        content = java.util.Arrays.copyOf(content, (int) maxBytes);
      }
      return parse(url, format, content, capped);
    }
  }

  /** Ingesting a URL must not become a way to read internal services: only public addresses, unless allow-listed. */
  private String refuseAddress(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return "the URL has no host";
    }
    if (allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
      return null;
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()
            || (a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc)) {
          return host + " resolves to the non-public address " + a.getHostAddress()
              + "; allow it with tools.http.allowed_hosts (MAESTRO_HTTP_ALLOWED_HOSTS) if it is meant to be ingested";
        }
      }
    } catch (UnknownHostException e) {
      return "unknown host " + host;
    }
    return null;
  }

  private Read parse(String document, Format format, byte[] content, boolean capped) {
    if (format == Format.PDF) {
      if (capped) {
        return new Refused(document, "the PDF is larger than " + maxBytes + " bytes, the ingestion limit (knowledge.max_file_bytes); a cut PDF cannot be read");
      }
      try (PDDocument pdf = Loader.loadPDF(content)) {
        var stripper = new PDFTextStripper();
        var pages = new ArrayList<String>();
        for (int p = 1; p <= pdf.getNumberOfPages(); p++) {
          stripper.setStartPage(p);
          stripper.setEndPage(p);
          pages.add(stripper.getText(pdf));
        }
        List<Chunk> chunks = Chunker.pages(pages);
        if (chunks.isEmpty()) {
          return new Refused(document, "the PDF has no text (a scan? Maestro does not read images)");
        }
        return new Loaded(document, format, content, chunks, false);
      } catch (IOException e) {
        return new Refused(document, "not a readable PDF: " + e.getMessage());
      }
    }
    String text = decode(content);
    if (text == null) {
      return new Refused(document, "binary content, not " + format.wire + " text");
    }
    if (format == Format.HTML) {
      text = htmlAsMarkdown(text);
    }
    List<Chunk> chunks = Chunker.chunk(format, text);
    if (chunks.isEmpty()) {
      return new Refused(document, "no text in it");
    }
    return new Loaded(document, format, content, chunks, capped);
  }

  /** UTF-8 text, or null when the bytes look binary (a NUL byte, or more than 1% not UTF-8). */
  static String decode(byte[] content) {
    int probe = Math.min(content.length, 8192);
    for (int i = 0; i < probe; i++) {
      if (content[i] == 0) {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      String lenient = new String(content, StandardCharsets.UTF_8);
      long bad = lenient.chars().filter(c -> c == '\uFFFD').count();
      // A cut at the size limit can split the last character; other text in legacy encodings is mostly ASCII.
      return bad > Math.max(1, lenient.length() / 100) ? null : lenient;
    }
  }

  private static final Set<String> BLOCKS = Set.of("p", "div", "li", "pre", "tr", "td", "th", "blockquote", "dt", "dd", "section",
      "article", "figcaption", "caption", "br", "table", "ul", "ol", "main", "h1", "h2", "h3", "h4", "h5", "h6");

  /** An HTML page's readable text, its headings written as Markdown headings so it is cut at them. */
  static String htmlAsMarkdown(String html) {
    var doc = Jsoup.parse(html);
    doc.select("script, style, noscript, nav, header, footer, template, svg, iframe, form").remove();
    Element body = doc.body();
    var out = new StringBuilder();
    String title = doc.title();
    if (!title.isBlank() && body.selectFirst("h1") == null) {
      out.append("# ").append(title.strip()).append("\n\n");
    }
    NodeTraversor.traverse(new NodeVisitor() {
      @Override
      public void head(Node node, int depth) {
        if (node instanceof TextNode t) {
          boolean pre = t.parent() instanceof Element e && e.tagName().equals("pre");
          out.append(pre ? t.getWholeText() : t.text());
        } else if (node instanceof Element e) {
          String tag = e.tagName();
          if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
            out.append("\n\n").append("#".repeat(tag.charAt(1) - '0')).append(' ');
          } else if (tag.equals("li")) {
            out.append("\n- ");
          } else if (BLOCKS.contains(tag)) {
            out.append('\n');
          } else if (tag.equals("td") || tag.equals("th")) {
            out.append(" | ");
          }
        }
      }

      @Override
      public void tail(Node node, int depth) {
        if (node instanceof Element e && BLOCKS.contains(e.tagName())) {
          out.append('\n');
        }
      }
    }, body);
    return out.toString().replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing was read from it
    }
  }
}
