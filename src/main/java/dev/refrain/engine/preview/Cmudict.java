package dev.refrain.engine.preview;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CMU pronouncing dictionary (134,000 English words in ARPAbet), as CMU Sphinx ships it in its
 * en-us model; the build copies that one file out of the {@code sphinx4-data} artifact. It is kept as
 * its own bytes, sorted as the file is, with the offset of each line, and looked up by binary search:
 * about 3.8 MB, where a map of strings would take five times that. Loaded on the first lookup.
 */
final class Cmudict {
  static final String RESOURCE = "/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";

  private final byte[] text;
  private final int[] lines;

  private Cmudict(byte[] text) {
    this.text = text;
    int count = 0;
    for (byte b : text) if (b == '\n') count++;
    int[] starts = new int[count + 1];
    int n = 0;
    for (int i = 0; i < text.length; i = next(i)) {
      if (text[i] != '\n') starts[n++] = i;
    }
    this.lines = Arrays.copyOf(starts, n);
  }

  private static final class Holder {
    static final Cmudict INSTANCE = load();
  }

  static Cmudict get() {
    return Holder.INSTANCE;
  }

  private static Cmudict load() {
    try (InputStream in = Cmudict.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("the pronouncing dictionary " + RESOURCE + " is not on the class path");
      return new Cmudict(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int size() {
    return lines.length;
  }

  /** The first (most common) pronunciation of a lower-case word, or null when the dictionary lacks it. */
  List<Phoneme> lookup(String word) {
    byte[] key = word.getBytes(StandardCharsets.UTF_8);
    int lo = 0, hi = lines.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = compare(key, lines[mid]);
      if (c == 0) return phonemes(lines[mid] + key.length + 1);
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return null;
  }

  /** The key against the word that starts a line; the space after a word sorts below every letter, as in the file. */
  private int compare(byte[] key, int at) {
    for (int i = 0; ; i++) {
      int k = i < key.length ? key[i] & 0xff : ' ';
      int t = at + i < text.length ? text[at + i] & 0xff : '\n';
      if (t == '\n') t = ' ';
      if (k != t) return k - t;
      if (k == ' ') return 0;
    }
  }

  private List<Phoneme> phonemes(int from) {
    List<Phoneme> out = new ArrayList<>();
    int end = from;
    while (end < text.length && text[end] != '\n') end++;
    for (String symbol : new String(text, from, end - from, StandardCharsets.US_ASCII).trim().split("\\s+")) {
      Phoneme p = Phoneme.arpabet(symbol);
      if (p != null) out.add(p);
    }
    return out.isEmpty() ? null : List.copyOf(out);
  }

  private int next(int i) {
    while (i < text.length && text[i] != '\n') i++;
    return i + 1;
  }
}
