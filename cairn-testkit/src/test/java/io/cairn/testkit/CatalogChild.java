package io.cairn.testkit;

import io.cairn.Cairn;
import io.cairn.catalog.Catalog;
import io.cairn.catalog.PutOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Programs the catalog process tests run in child JVMs. */
public final class CatalogChild {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]);
    switch (args[0]) {
      case "race" -> {
        // The same n contents as every other child, and one new job of the dataset per put.
        int n = Integer.parseInt(args[2]);
        String dataset = args[3];
        try (Cairn cairn = Cairn.open(home)) {
          Catalog catalog = cairn.catalog();
          System.out.println("READY");
          for (int i = 0; i < n; i++) {
            catalog.put(("shared-" + i).getBytes(StandardCharsets.UTF_8), PutOptions.defaults());
            System.out.println("JOB " + catalog.newJob(dataset));
          }
        }
        System.out.println("FINISHED");
      }
      case "put-until-killed" -> {
        Cairn cairn = Cairn.open(home);
        Catalog catalog = cairn.catalog();
        for (int i = 0; ; i++) {
          String id =
              catalog
                  .put(("acked-" + i).getBytes(StandardCharsets.UTF_8), PutOptions.defaults())
                  .id();
          System.out.println("ACK " + id);
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }
}
