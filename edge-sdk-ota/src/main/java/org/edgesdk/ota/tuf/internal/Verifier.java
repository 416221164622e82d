package org.edgesdk.ota.tuf.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgesdk.ota.tuf.Refusal;
import org.edgesdk.ota.tuf.RepositoryRefusedException;

/** Threshold signature verification over unique key ids. */
public final class Verifier {
  private Verifier() {}

  /**
   * Checks that the metadata carries valid signatures from at least {@code threshold} distinct keys
   * of the role. A key id listed twice, or signing twice, counts once; signatures by keys outside
   * the role are ignored.
   *
   * @param metadata the metadata to check
   * @param what the file and role for messages, for example {@code "2.root.json (new root keys)"}
   * @param keys the key ids to keys of the delegating metadata
   * @param keyIds the role's key ids
   * @param threshold the role's threshold
   * @throws RepositoryRefusedException {@link Refusal#ARBITRARY_INSTALLATION} below the threshold
   */
  public static void verify(
      Metadata<?> metadata, String what, Map<String, TufKey> keys, List<String> keyIds, int threshold) {
    Set<String> roleKeys = new HashSet<>(keyIds);
    Set<String> valid = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (Metadata.Signature signature : metadata.signatures()) {
      String id = signature.keyId();
      if (!roleKeys.contains(id) || valid.contains(id)) {
        continue;
      }
      TufKey key = keys.get(id);
      if (key == null) {
        problems.add("key " + shortId(id) + " is not listed in the keys");
        continue;
      }
      if (key.problem() != null) {
        problems.add("key " + shortId(id) + ": " + key.problem());
        continue;
      }
      if (signature.sig() != null && key.verify(metadata.canonicalSigned(), signature.sig())) {
        valid.add(id);
      } else {
        problems.add("the signature of key " + shortId(id) + " is invalid");
      }
    }
    if (valid.size() < threshold) {
      String detail = what + " has " + valid.size() + " valid signature" + (valid.size() == 1 ? "" : "s")
          + " from distinct trusted keys, threshold is " + threshold
          + (metadata.signatures().isEmpty() ? " (it is unsigned)" : "")
          + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")");
      throw new RepositoryRefusedException(Refusal.ARBITRARY_INSTALLATION, detail);
    }
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
