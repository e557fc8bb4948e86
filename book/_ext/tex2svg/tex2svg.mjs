// TeX to SVG with MathJax 3 from npm, run at build time: the site's equations
// (book/_ext/static_math.py) and the PDF's (book/_pdf/build_pdf.py), with no script in the
// reader's browser and no CDN.
//
// node tex2svg.mjs TOOLS   (TOOLS: the npm prefix holding node_modules/mathjax-full)
// stdin:  JSON [{"tex": "x^2 \\tag{2.1}", "display": true}, ...]
// stdout: JSON ["<mjx-container ...><svg ...>...</svg></mjx-container>", ...] in the same
//         order; an equation MathJax cannot parse comes back as {"error": "message"} so that
//         the caller can name it.
//
// fontCache "local": each SVG carries the glyph paths it uses, so it stands alone (the PDF
// prints each as an image; the site shares them between the equations of a page).
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const require = createRequire(join(resolve(process.argv[2] || "."), "package.json"));
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
// "ams" tags: \tag{N.k} prints its label at the right. Without noerrors and noundefined, and
// with formatError throwing, a TeX mistake or an unknown macro is an error the build reports,
// not red text on the page.
const packages = AllPackages.filter((name) => name !== "noerrors" && name !== "noundefined");
const tex = new TeX({
  packages,
  tags: "ams",
  formatError: (_jax, error) => {
    throw error;
  },
});
const svg = new SVG({ fontCache: "local" });
const html = mathjax.document("", { InputJax: tex, OutputJax: svg });

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(({ tex: source, display }) => {
    try {
      html.reset(); // equation labels are per equation here: \tag sets its own
      const node = html.convert(source, { display: Boolean(display) });
      return adaptor.outerHTML(node);
    } catch (error) {
      return { error: String(error && error.message ? error.message : error) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
