package dev.maestro.knowledge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in embedding model: signed feature hashing (Weinberger et al., 2009) of words, word
 * pairs and character 3- to 5-grams of each word (the subword features of fastText), with
 * sub-linear term weights, into 384 dimensions, unit length. It needs no model file and no network,
 * embeds a passage in microseconds, and makes texts that share words, word forms, misspellings and
 * identifier parts ({@code RunEngine} and {@code run engine}) close. It knows no synonyms: for
 * semantic similarity configure a trained model (an OpenAI-compatible {@code /v1/embeddings}
 * endpoint, or a LangChain4j in-process model).
 */
public final class HashingEmbedder implements Embedder {
  public static final String ID = "hash-ngram-384-v1";
  static final int DIMENSIONS = 384;
  private static final double WORD = 1.0;
  private static final double PAIR = 0.5;
  private static final double GRAMS = 1.0; // shared among a word's n-grams
  // Lucene's English stop words plus a few: they would otherwise dominate every vector.
  private static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
      "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
      "what", "which", "how", "do", "does", "we", "you", "i", "from", "can", "has", "have");

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public float[] embed(String text) {
    List<String> words = words(text);
    double[] v = new double[DIMENSIONS];
    var counts = new java.util.HashMap<String, Integer>();
    for (String w : words) {
      counts.merge(w, 1, Integer::sum);
    }
    for (var e : counts.entrySet()) {
      String w = e.getKey();
      double weight = 1 + Math.log(e.getValue());
      add(v, "w:" + w, WORD * weight);
      String marked = "<" + w + ">";
      int grams = 0;
      for (int n = 3; n <= 5; n++) {
        grams += Math.max(0, marked.length() - n + 1);
      }
      if (grams > 0) {
        double each = GRAMS * weight / Math.sqrt(grams);
        for (int n = 3; n <= 5; n++) {
          for (int i = 0; i + n <= marked.length(); i++) {
            add(v, marked.substring(i, i + n), each);
          }
        }
      }
    }
    for (int i = 0; i + 1 < words.size(); i++) {
      add(v, "p:" + words.get(i) + " " + words.get(i + 1), PAIR);
    }
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    float[] out = new float[DIMENSIONS];
    if (norm == 0) {
      out[0] = 1; // an empty text still needs a unit vector; it is close to nothing in particular
      return out;
    }
    double inv = 1 / Math.sqrt(norm);
    for (int i = 0; i < DIMENSIONS; i++) {
      out[i] = (float) (v[i] * inv);
    }
    return out;
  }

  /** Lower-case words without stop words; identifiers are split at case changes, '_' and digits. */
  static List<String> words(String text) {
    var words = new ArrayList<String>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
        i++;
      }
      if (start < i) {
        splitIdentifier(text.substring(start, i), words);
      }
    }
    return words;
  }

  private static void splitIdentifier(String token, List<String> out) {
    int start = 0;
    for (int i = 1; i <= token.length(); i++) {
      boolean boundary = i == token.length();
      if (!boundary) {
        char prev = token.charAt(i - 1);
        char c = token.charAt(i);
        boundary = (Character.isLowerCase(prev) && Character.isUpperCase(c))
            || (Character.isLetter(prev) != Character.isLetter(c))
            || (i + 1 < token.length() && Character.isUpperCase(prev) && Character.isUpperCase(c) && Character.isLowerCase(token.charAt(i + 1)));
      }
      if (boundary) {
        String part = token.substring(start, i).toLowerCase(Locale.ROOT);
        if (!part.isEmpty() && !STOP.contains(part)) {
          out.add(part);
        }
        start = i;
      }
    }
  }

  private static void add(double[] v, String feature, double weight) {
    long h = hash(feature);
    int index = (int) Long.remainderUnsigned(h, DIMENSIONS);
    v[index] += (h >>> 63) == 0 ? weight : -weight;
  }

  /** 64-bit FNV-1a over UTF-8 with a final avalanche (from MurmurHash3's fmix64). */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
