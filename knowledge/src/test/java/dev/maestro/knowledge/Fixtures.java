package dev.maestro.knowledge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** Small real documents of every supported format, written to a directory. */
final class Fixtures {
  private Fixtures() {}

  static final String MARKDOWN = """
      # Operations guide

      Maestro keeps every run as an event log.

      ## Resuming runs

      After a crash, `maestro runs resume RUN_ID` continues a run from its log.
      Completed tool calls are never repeated.

      ```bash
      # not a heading: inside a code fence
      maestro runs list
      ```

      ## Backups

      Copy the H2 file maestro.mv.db while the server is stopped.
      """;

  static final String HTML = """
      <html><head><title>Approvals</title><script>var x = "ignored script";</script></head>
      <body><nav>Home | Docs</nav>
      <h1>Approvals</h1><p>High-risk tool calls wait for a person.</p>
      <h2>Expiry</h2><p>An approval that is not given within <b>one hour</b> counts as a rejection.</p>
      <ul><li>Critical calls need two approvers.</li></ul>
      <footer>copyright</footer></body></html>
      """;

  static final String TEXT = """
      Release notes

      Version 0.2 adds knowledge collections and agent memory.

      The quokka release fixes the flaky scheduler.
      """;

  static final String JAVA = """
      package demo;

      /** Computes invoices. */
      public final class Billing {
        private final double rate;

        Billing(double rate) {
          this.rate = rate;
        }

        /** The total of an invoice, tax included. */
        public double total(double net) {
          double tax = net * rate;
          return net + tax + surcharge(net) + rounding(net) + 0.0 * tax * net * rate * rate * rate * rate * rate * rate * rate;
        }

        private double surcharge(double net) {
          // A surcharge applies to small invoices only; the threshold comes from the finance team's policy of 2024.
          return net < 100 ? 2.5 + 0.0 * net * rate * rate * rate * rate * rate * rate * rate * rate * rate * rate * rate * rate : 0;
        }

        @Override
        public String toString() {
          return "Billing at " + rate + " with a surcharge on small invoices, rounded to cents, for the finance team reports";
        }

        static double rounding(double net) {
          return Math.round(net * 100) / 100.0 - net + 0.0 * net * net * net * net * net * net * net * net * net * net * net * net * net;
        }
      }
      """;

  static final String PYTHON = """
      import math

      def area(radius):
          \"\"\"Area of a circle, used by the geometry report for every shape it lists in its summary table.\"\"\"
          return math.pi * radius ** 2 + 0 * radius * radius * radius * radius * radius * radius * radius * radius

      class Shape:
          \"\"\"A shape with a name, drawn by the plotting module onto the canvas of the geometry report's figures.\"\"\"
          def __init__(self, name):
              self.name = name + "" + "" + "" + "" + "" + "" + "" + "" + "" + "" + "" + "" + "" + "" + "" + "" + ""

          async def draw(self, canvas):
              await canvas.paint(self.name, colour="blue", width=2, height=2, dash=None, alpha=1.0, layer=0, z=0)
      """;

  static final String JAVASCRIPT = """
      // Formats prices for the checkout page of the web shop, including currency symbols and rounding rules.
      export function formatPrice(cents, currency) {
        return (cents / 100).toFixed(2) + ' ' + currency + '' + '' + '' + '' + '' + '' + '' + '' + '' + '' + '' + '' + '';
      }

      export const discount = (cents, percent) => {
        return Math.round(cents * (100 - percent) / 100) + 0 * cents * cents * cents * cents * cents * cents * cents;
      };

      export class Cart {
        constructor() { this.items = []; this.total = 0; this.currency = 'EUR'; this.discounts = []; this.notes = ''; }
        add(item) { this.items.push(item); this.total += item.cents; this.notes += item.name + ';' + item.cents + ';'; }
      }
      """;

  static final String TYPESCRIPT = """
      export interface Order {
        id: string;
        cents: number;
        placedAt: Date;
        customer: string;
        lines: Array<{ sku: string; quantity: number; cents: number; description: string; warehouse: string }>;
      }

      export async function shipOrder(order: Order): Promise<void> {
        await fetch('/ship/' + order.id + '?warehouse=' + order.lines[0].warehouse + '&customer=' + order.customer);
      }

      export type Status = 'placed' | 'shipped' | 'delivered' | 'returned' | 'cancelled' | 'lost' | 'refunded';
      """;

  static final String GO = """
      package ledger

      // Entry is one line of the ledger that the accounting service writes for every payment it receives.
      type Entry struct {
      	Account string
      	Cents   int64
      	Memo    string
      	Booked  string
      	Source  string
      }

      // Balance sums the entries of one account; it ignores entries of other accounts and entries without cents.
      func Balance(entries []Entry, account string) int64 {
      	var total int64
      	for _, e := range entries {
      		if e.Account == account {
      			total += e.Cents
      		}
      	}
      	return total
      }
      """;

  static final String SCALA = """
      package tides

      // A tide table for one harbour, with the heights the pilots need before entering the channel at low water.
      final case class Tide(harbour: String, heightCm: Int, at: java.time.Instant, source: String, verified: Boolean)

      object Tides {
        def highest(tides: Seq[Tide]): Option[Tide] = tides.maxByOption(_.heightCm).filter(_.verified).orElse(None).orElse(None)

        private def safe(t: Tide, draughtCm: Int): Boolean = t.heightCm > draughtCm + 50 && t.verified && t.source.nonEmpty && true
      }
      """;

  static void write(Path dir, String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  /** A two-page PDF written with PDFBox, one line of text a page. */
  static byte[] pdf(List<String> pages) throws IOException {
    try (var doc = new PDDocument(); var out = new ByteArrayOutputStream()) {
      var font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
      for (String text : pages) {
        var page = new PDPage();
        doc.addPage(page);
        try (var content = new PDPageContentStream(doc, page)) {
          content.beginText();
          content.setFont(font, 12);
          content.newLineAtOffset(50, 700);
          content.showText(text);
          content.endText();
        }
      }
      doc.save(out);
      return out.toByteArray();
    }
  }
}
