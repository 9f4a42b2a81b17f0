package dev.refrain.bench.preview;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Which sounds of the sung lines the recogniser's acoustic models fail to hear, phone by phone: each
 * line is force-aligned to its own phones (pocketsphinx_batch with a chain grammar per line, every
 * phone a word of one phone, pronunciations from the dictionary that comes with the model), for the
 * singing and for the reference speech slowed to the same length. A phone's acoustic score per frame
 * is how far the right phone falls behind the best-matching model state in each frame (0 would be a
 * perfect match); the frames it gets are how long the aligner lets it last. A sound the voice makes
 * badly scores low and is squeezed to a few frames, the rest of its time given to its neighbours.
 */
final class PhoneMatch {
  private static final Path DICTIONARY = Path.of("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict");

  private PhoneMatch() {}

  /** Per phone: how many, summed acoustic score, summed frames. */
  private record Tally(int count, long score, long frames) {
    Tally plus(long s, long f) {
      return new Tally(count + 1, score + s, frames + f);
    }

    double perFrame() {
      return score / (double) Math.max(1, frames);
    }

    double meanFrames() {
      return frames / (double) Math.max(1, count);
    }
  }

  /** Prints the table for the lines' WAVs named {@code sungPrefix + i} and {@code slowedPrefix + i} in {@code scratch}. */
  static void print(List<String> lines, Path scratch, String sungPrefix, String slowedPrefix) throws Exception {
    if (!Files.isRegularFile(DICTIONARY)) {
      System.out.println("Phone match skipped: no " + DICTIONARY);
      return;
    }
    Map<String, List<String>> pronunciations = new HashMap<>();
    for (String entry : Files.readAllLines(DICTIONARY)) {
      String[] t = entry.trim().split("\\s+");
      if (t.length > 1) pronunciations.putIfAbsent(t[0], List.of(t).subList(1, t.length));
    }
    TreeSet<String> phones = new TreeSet<>();
    List<Path> grammars = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      List<String> sequence = new ArrayList<>();
      for (String word : lines.get(i).split(" ")) sequence.addAll(pronunciations.get(word));
      phones.addAll(sequence);
      StringBuilder fsg = new StringBuilder("FSG_BEGIN line" + i + "\nNUM_STATES " + (sequence.size() + 1) + "\nSTART_STATE 0\nFINAL_STATE "
          + sequence.size() + "\n");
      for (int k = 0; k < sequence.size(); k++) fsg.append("TRANSITION ").append(k).append(' ').append(k + 1).append(" 1.0 ").append(word(sequence.get(k))).append('\n');
      grammars.add(Files.writeString(scratch.resolve("phones-" + i + ".fsg"), fsg.append("FSG_END\n")));
    }
    StringBuilder dict = new StringBuilder();
    for (String p : phones) dict.append(word(p)).append(' ').append(p).append('\n');
    Path phoneDict = Files.writeString(scratch.resolve("phones.dict"), dict);

    Map<String, Tally> sung = align(scratch, sungPrefix, grammars, phoneDict);
    Map<String, Tally> slowed = align(scratch, slowedPrefix, grammars, phoneDict);
    System.out.println("Phone match (forced alignment to each line's own phones; acoustic score per frame, 0 = the best model state every frame; frames the aligner gives the phone):");
    System.out.printf("%-6s %6s %22s %22s %10s%n", "phone", "count", "sung: score (frames)", "slowed: score (frames)", "sung lower");
    List<String> order = new ArrayList<>(phones);
    order.removeIf(p -> !sung.containsKey(p) || !slowed.containsKey(p));
    order.sort((a, b) -> Double.compare(sung.get(a).perFrame() - slowed.get(a).perFrame(), sung.get(b).perFrame() - slowed.get(b).perFrame()));
    for (String p : order) {
      Tally s = sung.get(p), r = slowed.get(p);
      System.out.printf(Locale.ROOT, "%-6s %6d %14.1f (%5.1f) %14.1f (%5.1f) %10.1f%n", p, s.count(), s.perFrame(), s.meanFrames(), r.perFrame(),
          r.meanFrames(), r.perFrame() - s.perFrame());
    }
    System.out.printf(Locale.ROOT, "RESULT phone_score_sung_vowels=%.1f phone_score_sung_consonants=%.1f phone_score_slowed_vowels=%.1f phone_score_slowed_consonants=%.1f%n",
        pooled(sung, true), pooled(sung, false), pooled(slowed, true), pooled(slowed, false));
  }

  private static String word(String phone) {
    return "ph_" + phone.toLowerCase(Locale.ROOT);
  }

  /** Score per frame over the vowels (ARPAbet vowels start with A, E, I, O or U) or over the consonants. */
  private static double pooled(Map<String, Tally> tallies, boolean vowels) {
    long score = 0, frames = 0;
    for (Map.Entry<String, Tally> e : tallies.entrySet()) {
      if ("AEIOU".indexOf(e.getKey().charAt(0)) >= 0 == vowels) {
        score += e.getValue().score();
        frames += e.getValue().frames();
      }
    }
    return score / (double) Math.max(1, frames);
  }

  /** Aligns every line's WAV {@code prefix + i} to its grammar; tallies each phone's segments. */
  private static Map<String, Tally> align(Path scratch, String prefix, List<Path> grammars, Path dict) throws Exception {
    StringBuilder ctl = new StringBuilder(), fsgctl = new StringBuilder();
    for (int i = 0; i < grammars.size(); i++) {
      ctl.append(prefix).append(i).append('\n');
      fsgctl.append(grammars.get(i)).append('\n');
    }
    Path ctlFile = Files.writeString(scratch.resolve(prefix + "phones.ctl"), ctl);
    Path fsgFile = Files.writeString(scratch.resolve(prefix + "phones.fsgctl"), fsgctl);
    Path seg = scratch.resolve(prefix + "phones.seg");
    // Beams wide open: an alignment must not fail for a voice the models hear badly, that is what is measured.
    run(List.of("pocketsphinx_batch", "-adcin", "yes", "-adchdr", "44", "-cepdir", scratch.toString(), "-cepext", ".wav", "-ctl", ctlFile.toString(),
        "-fsgctl", fsgFile.toString(), "-dict", dict.toString(), "-hypseg", seg.toString(), "-hyp", scratch.resolve(prefix + "phones.hyp").toString(),
        "-beam", "1e-80", "-wbeam", "1e-60", "-pbeam", "1e-80", "-logfn", "/dev/null"));
    Map<String, Tally> tallies = new HashMap<>();
    if (!Files.exists(seg)) return tallies;
    for (String line : Files.readAllLines(seg)) {
      // uttid S score T total A acoustic L language, then per segment: start frame, acoustic, language, word; then the end frame.
      String[] t = line.trim().split("\\s+");
      for (int k = 9; k + 4 < t.length; k += 4) {
        String w = t[k + 3];
        if (!w.startsWith("ph_")) continue;
        String phone = w.substring(3).replaceFirst("\\(\\d+\\)$", "").toUpperCase(Locale.ROOT);
        long frames = Math.max(1, Long.parseLong(t[k + 4]) - Long.parseLong(t[k]));
        tallies.merge(phone, new Tally(1, Long.parseLong(t[k + 1]), frames), (a, b) -> a.plus(b.score(), b.frames()));
      }
    }
    return tallies;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly();
  }
}
