package dev.maestro.cli;

import dev.maestro.engine.ConflictException;
import dev.maestro.engine.pack.Pack;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;

/** The packs on the class path, found with {@link ServiceLoader}, in order of id. */
final class Packs {
  private Packs() {}

  static List<Pack> discover() {
    var packs = new ArrayList<Pack>();
    ServiceLoader.load(Pack.class, Packs.class.getClassLoader()).forEach(packs::add);
    packs.sort(Comparator.comparing(Pack::id));
    var ids = new HashSet<String>();
    for (Pack pack : packs) {
      if (!ids.add(pack.id())) {
        throw new ConflictException("two packs on the class path have the id '" + pack.id() + "'; remove one of their jars");
      }
    }
    return List.copyOf(packs);
  }
}
