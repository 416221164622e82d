package org.edgesdk.examples.edgectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code edgectl demo}'s A/B chapter tells the whole story, with its numbers. */
class AbChapterTest {

  @Test
  void demo_abChapter_goodCommittedBadRolledBack() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, Edgectl.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("demo"),
        err.toString());
    String text = out.toString();
    int start = text.indexOf(". A/B update: install, reboot, health check, commit; then a bad update rolled back");
    assertTrue(start > 0, text);
    String chapter = text.substring(start, text.indexOf("\n\n", start));
    String[] expected = {
        "device     slots A (running 1.0, 4194304 bytes) and B",
        "booted A",
        "publish    rootfs-2.0.img.gz (2.0, security version 2): 4194304 bytes, ",
        "install    rootfs-2.0.img.gz verified, decompressed and written to slot B: 4194304 bytes in ",
        "read back and verified; B is primary",
        "reboot     bootloader booted B (2 attempts left); update trial",
        "health     check 'service answers' passed: committed 2.0 in slot B; anti-rollback floor raised to security version 2",
        "install    rootfs-3.0.img.gz verified, decompressed and written to slot A: 4194304 bytes in ",
        "reboot     bootloader booted A; update trial running 3.0",
        "health     check 'service answers' failed: rolled back; slot A marked bad, 1 reboot requested",
        "reboot     bootloader booted B: running 2.0 again; update rolled-back; 3.0 is not offered again",
        "versions   before: A 1.0 (factory); after: B 2.0 (good), A bad",
    };
    for (String line : expected) {
      assertTrue(chapter.contains(line), "missing '" + line + "' in\n" + chapter);
    }
    assertTrue(Pattern.compile("written to slot B: 4194304 bytes in \\d+ ms").matcher(chapter).find(), chapter);
    assertTrue(!chapter.contains("skipped") && !chapter.contains("unexpected"), chapter);
  }
}
