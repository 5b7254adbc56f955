// Typesets TeX as MathJax's CommonHTML, for book_extras.py at build time (Node.js).
// Usage: node mathjax_chtml.js MATHJAX_DIR  (the es5 directory of MathJax 3, as the book's
// page would have loaded it). Reads one JSON request per line on stdin and writes one JSON
// answer per line on stdout:
//   {"tex": "...", "display": true|false}  ->  {"html": "<mjx-container ...>"}  or  {"error": "..."}
//   {"stylesheet": true}                    ->  {"css": "..."}
// The stylesheet is the one MathJax put in a page: the rules of the characters and constructs
// typeset since the previous stylesheet, which starts the next page afresh (output.clearCache).
// The output is what MathJax's tex-chtml.js drew in the browser with the page's default
// options, less what needs the browser (and an undefined macro is an error, not red text): the
// size is not matched to the page font's x-height here (a script at the top of each page's body
// does it once a page: book/_templates/layout.html), nor measured for characters outside
// MathJax's fonts, and there is no context menu. Each formula carries its MathML for screen
// readers (assistive-mml), as in the browser.
const dir = process.argv[2];
global.MathJax = {
  loader: {paths: {mathjax: dir}, load: ["input/tex", "output/chtml", "adaptors/liteDOM", "a11y/assistive-mml"], require},
  // A TeX error, an undefined macro included, is an error of the build, not red text in the page.
  tex: {packages: {"[-]": ["noundefined"]}, formatError: (jax, error) => { throw error; }},
  chtml: {fontURL: "FONT_URL", matchFontHeight: false},
  startup: {typeset: false},
};
require(dir + "/startup.js");

const readline = require("readline");
MathJax.startup.promise.then(() => {
  const adaptor = MathJax.startup.adaptor;
  let queue = Promise.resolve();
  const answer = (object) => process.stdout.write(JSON.stringify(object) + "\n");
  readline.createInterface({input: process.stdin}).on("line", (line) => {
    const request = JSON.parse(line);
    queue = queue.then(async () => {
      if (request.stylesheet) {
        answer({css: adaptor.textContent(MathJax.chtmlStylesheet())});
        return MathJax.startup.output.clearCache();
      }
      try {
        answer({html: adaptor.outerHTML(await MathJax.tex2chtmlPromise(request.tex, {display: request.display}))});
      } catch (error) {
        answer({error: String(error.message || error)});
      }
    });
  });
}).catch((error) => { console.error(error); process.exit(1); });
