// Real Lucene's ArabicAnalyzer on the texts akhbar-eval speed times (one core, JIT warmed):
// the baseline of issue 3's speed target, measured on the same machine in the same session.
// Input: a file of texts separated by NUL characters (run.sh writes it from the corpus).
// Output: one markdown row, the median of the timed rounds and their range.

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.util.Version;

public class LuceneArabicSpeed {
    public static void main(String[] args) throws Exception {
        byte[] raw = Files.readAllBytes(Paths.get(args[0]));
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String[] texts = new String(raw, StandardCharsets.UTF_8).split("\u0000");
        long bytes = 0;
        for (String t : texts) {
            bytes += t.getBytes(StandardCharsets.UTF_8).length;
        }
        ArabicAnalyzer analyzer = new ArabicAnalyzer(Version.LUCENE_4_10_4);
        double[] seconds = new double[rounds];
        long tokens = 0;
        for (int r = -warmup; r < rounds; r++) {
            long started = System.nanoTime();
            long n = 0;
            long checksum = 0;
            for (String text : texts) {
                try (TokenStream stream = analyzer.tokenStream("body", text)) {
                    CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
                    stream.reset();
                    while (stream.incrementToken()) {
                        n++;
                        checksum += term.length();
                    }
                    stream.end();
                }
            }
            double s = (System.nanoTime() - started) / 1e9;
            System.err.printf("round %d: %.1f MB/s (%d tokens, checksum %d)%n", r, bytes / 1e6 / s, n, checksum);
            if (r >= 0) {
                seconds[r] = s;
                tokens = n;
            }
        }
        Arrays.sort(seconds);
        double median = seconds[rounds / 2];
        System.out.printf(
            "| Lucene %s ArabicAnalyzer (JIT warmed, %d rounds after %d warm-up) | %.1f | %.1f–%.1f | %.2f M |%n",
            Version.LUCENE_4_10_4, rounds, warmup, bytes / 1e6 / median,
            bytes / 1e6 / seconds[rounds - 1], bytes / 1e6 / seconds[0], tokens / median / 1e6);
    }
}
