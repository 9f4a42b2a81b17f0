package dev.refrain.engine.preview;

import static dev.refrain.engine.preview.Phoneme.*;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Sings one word of lyrics that is not English, by rule, in its own language's vowels: Latin, Cyrillic
 * and Greek spellings letter by letter (Spanish, Italian and German habits, not English ones), kana
 * mora by mora, Hangul block by block. Han characters and other scripts carry no reading we could know,
 * so they get syllables of their rough shape, picked from the code points: never silence, always the
 * same for the same word.
 */
final class Foreign {
  private Foreign() {}

  /**
   * Latin, Cyrillic and Greek spellings: "keys=phonemes", keys sharing a value listed together. A
   * marked letter missing here says its base letter (ó is o); silent ones (h, ь, ъ) are missing too.
   * c, g, u, i, y and е also depend on their neighbours: see {@link #letter}.
   */
  private static final Map<String, List<Phoneme>> LETTERS = table("""
      a=AA, e=EH, i y=IY, o=AO, u=UW, é=EY, ä æ ɛ=EH, å ɔ=AO, ö ø œ ő=ER, ü ű=IY, ı=IH, ə=AH,
      ai ay=AY, au=AW, ei ey=EY, eu äu oi oy=OY, ou=UW, eau=AO,
      b=B, c k q ck qu=K, d đ=D, f ph=F, g=G, j=Y, l=L, ł=W, m=M, n=N, ñ ń gn=N Y, p=P, r ř=R,
      s ß ç=S, t th=T, v w=V, x=K S, z ţ ț=T S, ch č ć=CH, sh sch š ś ş ș=SH, ž ź ż=ZH, ð=DH, þ=TH, ŋ=NG,
      а=AA, б=B, в=V, г ґ=G, д=D, е є=Y EH, ё=Y AO, ж=ZH, з=Z, и і=IY, ї=Y IY, й ј=Y, к=K, л=L, м=M,
      н=N, о=AO, п=P, р=R, с=S, т=T, у=UW, ў=W, ф=F, х=HH, ц=T S, ч ћ ќ=CH, ш щ=SH, ы=IH, э=EH,
      ю=Y UW, я=Y AA, ђ џ ѓ=JH, љ=L Y, њ=N Y, ѕ=D Z,
      α=AA, ε=EH, η ι υ=IY, ο ω=AO, β=V, γ=G, δ=DH, ζ=Z, θ=TH, κ=K, λ=L, μ=M, ν=N, ξ=K S, π=P, ρ=R,
      σ ς=S, τ=T, φ=F, χ=HH, ψ=P S, ου ού=UW, αι αί=EH, ει εί οι οί υι=IY, αυ αύ=AA V, ευ εύ=EH V""");
  /** Consonants that may lead r or l into a syllable together (pr, gl, θρ). */
  private static final Set<Phoneme> CLUSTERED = EnumSet.of(P, B, T, D, K, G, F, V, TH, DH, HH);

  private static final Map<String, List<Phoneme>> ROMAJI = table("""
      a=AA, i=IY, u=UW, e=EH, o=AO, k=K, g=G, s=S, sh=SH, z=Z, j=JH, t=T, ch=CH, ts=T S, d=D, n=N,
      h=HH, f=F, b=B, p=P, m=M, y=Y, r=R, w=W, v=V""");
  /** Hiragana as romaji (katakana is the same 0x60 higher); the last line is small kana and katakana's own. */
  private static final Map<Integer, Syllable> KANA = kanaTable("""
      あa いi うu えe おo かka きki くku けke こko がga ぎgi ぐgu げge ごgo さsa しshi すsu せse そso
      ざza じji ずzu ぜze ぞzo たta ちchi つtsu てte とto だda ぢji づzu でde どdo なna にni ぬnu ねne のno
      はha ひhi ふfu へhe ほho ばba びbi ぶbu べbe ぼbo ぱpa ぴpi ぷpu ぺpe ぽpo まma みmi むmu めme もmo
      やya ゆyu よyo らra りri るru れre ろro わwa ゐi ゑe をo ゔvu ゕka ゖke
      ぁa ぃi ぅu ぇe ぉo ゃya ゅyu ょyo ゎwa ヷva ヸvi ヹve ヺvo""");
  private static final String SMALL = "ぁぃぅぇぉゃゅょゎ";
  /** Onsets that already carry the y of a small ゃゅょ (しゃ is "sha", not "shya"). */
  private static final Set<Phoneme> PALATAL = EnumSet.of(SH, CH, JH);

  /** Hangul jamo in Unicode order; a medial's leading y or w joins the onset, "-" is none. */
  private static final List<List<Phoneme>> INITIALS =
      lists("G, K, N, D, T, R, M, B, P, S, S, -, JH, JH, CH, K, T, P, HH");
  private static final List<List<Phoneme>> MEDIALS = lists(
      "AA, EH, Y AA, Y EH, AH, EH, Y AH, Y EH, AO, W AA, W EH, W EH, Y AO, UW, W AH, W EH, W IY, Y UW, UH, IY, IY");
  /** Finals are only released as seven sounds: clusters and ㅅㅈㅊㅌㅎ neutralise. */
  private static final List<Phoneme> FINALS = phonemes("K K K N N N T L L L L L L L L M P P T T NG T T K T P T");

  private static final List<List<Phoneme>> MANDARIN_INITIALS =
      lists("-, B, P, M, F, D, T, N, L, G, K, HH, JH, CH, SH, R, Z, S");
  /** Mandarin's vowels; i and ü both sing as IY, hence twice. */
  private static final Phoneme[] MANDARIN_VOWELS = {AA, AO, AH, IY, UW, IY, ER};
  private static final Phoneme[] ANY_ONSETS = {M, N, L, R, B, D, G, K, P, T, S, SH, HH, Y, W};
  private static final Phoneme[] ANY_VOWELS = {AA, EH, IY, AO, UW};

  /** How a run of a word is sung; ATTACH is punctuation, digits and marks, which ride with their neighbours. */
  private enum Kind { ALPHABET, KANA, HANGUL, HAN, OTHER, ATTACH }

  /** One word's sung syllables: at least one for any non-empty word, empty only for null or "". */
  static List<Syllable> word(String word) {
    if (word == null) return List.of();
    // NFKC folds half-width kana, ligatures and styled letters; NFC puts dakuten and accents back on their letter.
    int[] cps = Normalizer.normalize(Normalizer.normalize(word, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT),
        Normalizer.Form.NFC).codePoints().toArray();
    Kind[] kinds = Arrays.stream(cps).mapToObj(Foreign::kind).toArray(Kind[]::new);
    for (int i = 1; i < kinds.length; i++) if (kinds[i] == Kind.ATTACH) kinds[i] = kinds[i - 1];
    for (int i = kinds.length - 2; i >= 0; i--) if (kinds[i] == Kind.ATTACH) kinds[i] = kinds[i + 1];  // leading ones
    List<Syllable> out = new ArrayList<>();
    for (int start = 0, end; start < cps.length; start = end) {
      for (end = start + 1; end < cps.length && kinds[end] == kinds[start]; end++) {}
      int[] run = Arrays.copyOfRange(cps, start, end);
      List<Syllable> part = switch (kinds[start]) {
        case ALPHABET -> spelled(run);
        case KANA -> kana(run);
        case HANGUL -> hangul(run);
        case HAN -> han(run);
        case OTHER, ATTACH -> any(run);  // ATTACH: a word of nothing but marks and punctuation
      };
      out.addAll(part.isEmpty() ? any(run) : part);  // e.g. kana that are all gaps or unknown
    }
    return List.copyOf(out);
  }

  private static Kind kind(int cp) {
    if (cp >= 0xAC00 && cp <= 0xD7A3) return Kind.HANGUL;
    return switch (Character.UnicodeScript.of(cp)) {
      case LATIN, CYRILLIC, GREEK -> Kind.ALPHABET;
      case HIRAGANA, KATAKANA -> Kind.KANA;
      case HAN -> Kind.HAN;
      case COMMON, INHERITED -> Kind.ATTACH;
      default -> Kind.OTHER;
    };
  }

  /** An alphabetic spelling: longest table match first, then syllables around its vowels. */
  private static List<Syllable> spelled(int[] cps) {
    int[] letters = new int[cps.length];
    boolean[] accented = new boolean[cps.length];  // a written stress: acute or grave, precomposed or combining
    int n = 0;
    for (int cp : cps) {
      if (Character.isLetter(cp)) {
        accented[n] = accent(cp);
        letters[n++] = cp;
      } else if (n > 0 && accent(cp)) {
        accented[n - 1] = true;
      }
    }
    List<Phoneme> sounds = new ArrayList<>();
    BitSet marked = new BitSet();
    for (int i = 0; i < n; i++) {
      int next = i + 1 < n ? letters[i + 1] : 0;
      if (letters[i] == next) continue;  // a doubled letter is said once (ll, ss, ee)
      List<Phoneme> said = null;
      int len = Math.min(3, n - i);
      for (; len > 1; len--) {
        said = LETTERS.get(new String(letters, i, len));
        // "ay" in "playa": before another vowel, the pair's second letter leads that vowel's syllable instead
        boolean glides = said != null && said.size() == 1 && said.getFirst().vowel() && i + len < n
            && vowel(letters[i + len]);
        if (said != null && !glides) break;
        said = null;
      }
      if (said == null) said = letter(i > 0 ? letters[i - 1] : 0, letters[i], next, accented[i], sounds);
      boolean stress = false;
      for (int j = i; j < i + len; j++) stress |= accented[j];
      for (Phoneme p : said) {
        if (stress && p.vowel()) marked.set(sounds.size());
        sounds.add(p);
      }
      i += len - 1;
    }
    return syllables(sounds, marked);
  }

  /** What one letter says where its neighbours decide it, else what the table says for it or its base letter. */
  private static List<Phoneme> letter(int previous, int c, int next, boolean accented, List<Phoneme> said) {
    if (c == 'c') return List.of(front(next) ? S : K);
    if (c == 'g') return List.of(front(next) ? JH : G);
    if (c == 'u' && previous == 'g' && front(next)) return List.of();  // gue, gui: the u only keeps the g hard
    // an unstressed i, u or y before a vowel glides into it (tiene, bueno, yo); día and púa keep theirs
    if ((c == 'i' || c == 'y' || c == 'u' || c == 'ü') && vowel(next) && !accented) {
      return List.of(c == 'u' || c == 'ü' ? W : Y);
    }
    // нет: after a consonant е softens it rather than adding a y
    if ((c == 'е' || c == 'є') && !said.isEmpty() && !said.getLast().vowel()) return List.of(EH);
    return Objects.requireNonNullElse(lookup(c), List.of());
  }

  private static List<Phoneme> lookup(int c) {
    List<Phoneme> p = LETTERS.get(Character.toString(c));
    return p != null ? p : LETTERS.get(Character.toString(base(c)));
  }

  /** The letter under its marks: o for ó, и for й. */
  private static int base(int c) {
    return Normalizer.normalize(Character.toString(c), Normalizer.Form.NFD).codePointAt(0);
  }

  private static boolean vowel(int c) {
    List<Phoneme> p = lookup(c);
    return p != null && p.getLast().vowel();
  }

  /** Whether c and g soften before this letter. */
  private static boolean front(int c) {
    return base(c) == 'e' || base(c) == 'i' || base(c) == 'y';
  }

  private static boolean accent(int cp) {
    String d = Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFD);
    return d.indexOf('\u0301') >= 0 || d.indexOf('\u0300') >= 0 || d.indexOf('\u0342') >= 0;
  }

  /**
   * Every vowel a nucleus. Between two, one consonant leads the next syllable, of more the last does, with
   * the one before it if they make a cluster (pr, fl, ts, or anything before a glide). The written accent's
   * syllable is stressed, else the penultimate. No vowel at all (hmm, brrr): a neutral AH, its last consonant
   * closing it.
   */
  private static List<Syllable> syllables(List<Phoneme> sounds, BitSet marked) {
    List<Integer> nuclei = IntStream.range(0, sounds.size()).filter(i -> sounds.get(i).vowel()).boxed().toList();
    if (nuclei.isEmpty()) {
      int split = Math.max(0, sounds.size() - 1);
      return List.of(new Syllable(sounds.subList(0, split), AH, sounds.subList(split, sounds.size()), true));
    }
    int stressed = marked.isEmpty() ? Math.max(0, nuclei.size() - 2)
        : nuclei.indexOf(marked.previousSetBit(sounds.size()));
    List<Syllable> out = new ArrayList<>();
    for (int k = 0, start = 0; k < nuclei.size(); k++) {
      int v = nuclei.get(k);
      int end = sounds.size();
      if (k + 1 < nuclei.size()) {
        end = Math.max(v + 1, nuclei.get(k + 1) - 1);
        if (end > v + 1 && clusters(sounds.get(end - 1), sounds.get(end))) end--;
      }
      out.add(new Syllable(sounds.subList(start, v), sounds.get(v), sounds.subList(v + 1, end), k == stressed));
      start = end;
    }
    return out;
  }

  private static boolean clusters(Phoneme a, Phoneme b) {
    return b == Y || b == W || (b == R || b == L) && CLUSTERED.contains(a) || a == T && b == S;
  }

  /**
   * A mora a syllable: small kana reshape the one before (きゃ kya, ティ ti), ん closes it with N, っ is a
   * gap and ー or an う after o or u only hold its vowel on. Stress alternates from the first.
   */
  private static List<Syllable> kana(int[] cps) {
    List<Syllable> out = new ArrayList<>();
    boolean joinable = false;  // whether the last syllable is a bare mora that what follows may reshape
    for (int cp : cps) {
      int h = cp >= 0x30A1 && cp <= 0x30F6 ? cp - 0x60 : cp;
      Syllable mora = KANA.get(h);
      Syllable last = out.isEmpty() ? null : out.getLast();
      if (h == 'ん') {
        if (last == null) out.add(new Syllable(List.of(), UH, List.of(N), false));
        else out.set(out.size() - 1, new Syllable(last.onset(), last.nucleus(), concat(last.coda(), List.of(N)),
            false));
        joinable = false;
      } else if (h == 'う' && joinable && (last.nucleus() == AO || last.nucleus() == UW)) {
        joinable = false;  // こう, すう: a long vowel, not a new note
      } else if (mora != null && joinable && SMALL.indexOf(h) >= 0) {
        out.set(out.size() - 1, joined(last, mora));
      } else {
        if (mora != null) out.add(mora);
        joinable = mora != null;
      }
    }
    List<Syllable> stressed = new ArrayList<>();
    for (Syllable s : out) stressed.add(new Syllable(s.onset(), s.nucleus(), s.coda(), stressed.size() % 2 == 0));
    return stressed;
  }

  /** A mora reshaped by the small kana after it: its onset, the small one's glide and vowel. */
  private static Syllable joined(Syllable mora, Syllable small) {
    List<Phoneme> onset = new ArrayList<>(mora.onset());
    if (!small.onset().isEmpty()) {
      if (onset.isEmpty() || !PALATAL.contains(onset.getLast())) onset.addAll(small.onset());
    } else if (onset.isEmpty() && (mora.nucleus() == IY || mora.nucleus() == UW)) {
      onset.add(mora.nucleus() == IY ? Y : W);  // イェ ye, ウィ wi
    }
    return new Syllable(onset, small.nucleus(), List.of(), false);
  }

  /** A block a syllable, from its jamo indices. Stress alternates from the first. */
  private static List<Syllable> hangul(int[] cps) {
    List<Syllable> out = new ArrayList<>();
    for (int cp : cps) {
      if (cp < 0xAC00 || cp > 0xD7A3) continue;
      int s = cp - 0xAC00;
      List<Phoneme> medial = MEDIALS.get(s % 588 / 28);
      List<Phoneme> onset = concat(INITIALS.get(s / 588), medial.subList(0, medial.size() - 1));
      List<Phoneme> coda = s % 28 == 0 ? List.of() : List.of(FINALS.get(s % 28 - 1));
      out.add(new Syllable(onset, medial.getLast(), coda, out.size() % 2 == 0));
    }
    return out;
  }

  /** A character a Mandarin-shaped syllable picked from its code point; "er" takes no initial or final. */
  private static List<Syllable> han(int[] cps) {
    List<Syllable> out = new ArrayList<>();
    for (int cp : cps) {
      if (kind(cp) != Kind.HAN) continue;
      int h = mix(cp);
      Phoneme vowel = MANDARIN_VOWELS[h % MANDARIN_VOWELS.length];
      h /= MANDARIN_VOWELS.length;
      List<Phoneme> onset = vowel == ER ? List.of() : MANDARIN_INITIALS.get(h % MANDARIN_INITIALS.size());
      h /= MANDARIN_INITIALS.size();
      List<Phoneme> coda = vowel == ER || h % 5 < 3 ? List.of() : List.of(h % 5 == 3 ? N : NG);
      out.add(new Syllable(onset, vowel, coda, out.size() % 2 == 0));
    }
    return out;
  }

  /** A script we cannot read: a consonant and a vowel per 2.5 code points or so, picked from them. */
  private static List<Syllable> any(int[] cps) {
    int count = Math.max(1, Math.round(cps.length / 2.5f));
    List<Syllable> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      int h = k;
      for (int i = k * cps.length / count; i < (k + 1) * cps.length / count; i++) h = mix(h + cps[i]);
      Phoneme vowel = ANY_VOWELS[h / ANY_ONSETS.length % ANY_VOWELS.length];
      out.add(new Syllable(List.of(ANY_ONSETS[h % ANY_ONSETS.length]), vowel, List.of(), k % 2 == 0));
    }
    return out;
  }

  /** A well-spread non-negative hash, so neighbouring code points do not sound alike. */
  private static int mix(int x) {
    x *= 0x9E3779B1;
    x ^= x >>> 15;
    x *= 0x85EBCA6B;
    return (x ^ x >>> 13) & Integer.MAX_VALUE;
  }

  private static List<Phoneme> concat(List<Phoneme> a, List<Phoneme> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }

  private static List<Phoneme> phonemes(String spaced) {
    return Arrays.stream(spaced.trim().split("\\s+")).filter(s -> !s.equals("-")).map(Phoneme::valueOf).toList();
  }

  private static List<List<Phoneme>> lists(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(Foreign::phonemes).toList();
  }

  private static Map<String, List<Phoneme>> table(String spec) {
    Map<String, List<Phoneme>> map = new HashMap<>();
    for (String entry : spec.split(",")) {
      String[] keysAndSounds = entry.split("=");
      for (String key : keysAndSounds[0].trim().split("\\s+")) map.put(key, phonemes(keysAndSounds[1]));
    }
    return Map.copyOf(map);
  }

  private static Map<Integer, Syllable> kanaTable(String spec) {
    Map<Integer, Syllable> map = new HashMap<>();
    for (String k : spec.trim().split("\\s+")) {
      String onset = k.substring(1, k.length() - 1);
      map.put((int) k.charAt(0), new Syllable(onset.isEmpty() ? List.of() : ROMAJI.get(onset),
          ROMAJI.get(k.substring(k.length() - 1)).getFirst(), List.of(), false));
    }
    return Map.copyOf(map);
  }
}
